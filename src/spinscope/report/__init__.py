"""Results -> human views: a self-contained HTML page and a terminal view.

Renderers take an ``AnalysisResult`` (or its ``to_dict`` dict) and never analyse anything.
Each renderer is imported on first use, so that the terminal view (``spinscope analyze``'s
default output) does not pay for jinja2, which only the HTML page needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinscope.report.html import render_html
    from spinscope.report.terminal import render_terminal

__all__ = ["render_html", "render_terminal"]


def __getattr__(name: str) -> Any:
    if name == "render_html":
        from spinscope.report.html import render_html

        return render_html
    if name == "render_terminal":
        from spinscope.report.terminal import render_terminal

        return render_terminal
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
