"""Results -> human views: a self-contained HTML page and a terminal view.

Renderers take an ``AnalysisResult`` (or its ``to_dict`` dict) and never analyse anything.
"""

from __future__ import annotations

from spinscope.report.html import render_html
from spinscope.report.terminal import render_terminal

__all__ = ["render_html", "render_terminal"]
