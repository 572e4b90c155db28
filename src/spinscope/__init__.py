"""spinscope: shows how a news text persuades, with the evidence in the text."""

from __future__ import annotations

__version__ = "0.1.0"
