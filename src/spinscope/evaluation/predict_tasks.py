"""The ``spinscope predict`` tasks, one table: name -> (the analyser it needs, the writer in
``evaluation.predict``, the writer's extra arguments). Light to import, so that the CLI takes its
choices from it; the writers load when a task runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from spinscope.errors import ConfigError

TASKS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "ptc-si": ("techniques", "ptc_si_lines", ()),
    "ptc-tc": ("techniques", "ptc_tc_lines", ("template",)),
    "semeval23-st1": ("framing", "semeval23_article_lines", ("st1",)),
    "semeval23-st2": ("framing", "semeval23_article_lines", ("st2",)),
    "semeval23-st3": ("techniques", "semeval23_st3_lines", ()),
    "semeval25-st2": ("framing", "semeval25_st2_lines", ()),
}


def predict_lines(
    task: str,
    settings: dict,
    folder: Path,
    *,
    template: Path | None = None,
    update: Callable[[int, int], object] | None = None,
) -> Iterable[str]:
    """The submission lines of ``task`` for the articles in ``folder``; ``update(done, total)``
    is called as the batches of articles are done (a progress bar)."""
    from spinscope.evaluation import predict
    from spinscope.registry import create_analyzer

    if task not in TASKS:
        raise ConfigError(f"Unknown prediction task {task!r}. Available: {', '.join(TASKS)}.")
    analyser, writer, extra = TASKS[task]
    if "template" in extra and not template:
        raise ConfigError(f"predict {task} needs --template FILE (the spans to classify).")
    model = create_analyzer(analyser, settings)
    return getattr(predict, writer)(
        model, folder, *(template if e == "template" else e for e in extra), update=update
    )
