"""What the commands share for output: atomic writes, progress bars and inert lines on stderr."""

from __future__ import annotations

import logging
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

from spinscope.errors import IngestError
from spinscope.model.wording import CONTROL_CHARS


def inert(message: object) -> str:
    """``message`` with its control characters written out (``\\x1b``): an error line names
    a feed's links or a server's redirect, which must not send commands to the terminal."""
    return CONTROL_CHARS.sub(_escape, str(message))


def _escape(match: re.Match[str]) -> str:
    """A control character as Python writes it: ``\\x1b``, a bidi control ``\\u202e``."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def warn(message: object) -> None:
    """The house warning line on stderr: ``spinscope: warning: ...``, inert."""
    print(f"spinscope: warning: {inert(message)}", file=sys.stderr)


class _HouseLines(logging.Handler):
    """The library's logged warnings and errors as the CLI's own lines."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.levelno < logging.ERROR:
                warn(record.getMessage())
            else:
                print(f"spinscope: error: {inert(record.getMessage())}", file=sys.stderr)
        except Exception:
            self.handleError(record)


@contextmanager
def library_warnings(on: bool = True):
    """While a command runs, what the library logs (``spinscope.*``, WARNING and up) as house
    lines: with no handler, Python printed the bare message ("...: 11 of 686 mentions do not
    align ..."). Removed afterwards, so a program that imports spinscope keeps its logging."""
    logger, handler = logging.getLogger("spinscope"), _HouseLines(logging.WARNING)
    if on:
        logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def quiet_library_bars() -> None:
    """Off a terminal, no progress bars from transformers and huggingface_hub ("Loading weights:
    100%|####|", written into a log file); on a terminal they stay. The variable holds for a
    later import; an imported library is told directly."""
    if sys.stderr.isatty():
        return
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    # looked up, not imported: cli/ never imports the [train] libraries (tests/test_layers.py)
    for module, switch in (("huggingface_hub.utils", "disable_progress_bars"),
                           ("transformers.utils.logging", "disable_progress_bar")):  # fmt: skip
        if module in sys.modules:
            getattr(sys.modules[module], switch)()


def json_text(data: object) -> str:
    """``data`` as indented JSON, non-ASCII text as it is but for the characters a terminal
    acts on, escaped (``\\u009b``): json escapes ESC and the other C0 controls, not C1 CSI
    or a bidi override, and ``--json -`` may print to a terminal. The same JSON value."""
    from spinscope.model.jsonable import dumps

    text = dumps(data, ensure_ascii=False, indent=1)
    # outside its strings, JSON is ASCII punctuation, digits and blanks: only strings change
    return CONTROL_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write(path: str, content: str) -> None:
    """Write atomically, so a failed run never leaves half a file behind."""
    if path == "-":
        sys.stdout.write(content)
        return
    target = Path(path)
    if target.is_dir():
        raise IngestError(f"Output {path} is a folder; give a file name.")
    if target.exists() and not target.is_file():  # /dev/null, a pipe: no atomic rename there
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(content)
        return
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        raise IngestError(f"Cannot write {path}: {exc.strerror}.") from None


def check_outputs(source: str, outputs: dict[str, str | None]) -> None:
    """Refuse, before any work, an output (``{"--json": path, ...}``) that would overwrite the
    input article or another output, or whose folder does not exist: the input was overwritten
    without a word, and a failed first write lost the analysis and the other outputs; two
    outputs to stdout (``-``) are refused too."""
    to_stdout = [option for option, path in outputs.items() if path == "-"]
    if len(to_stdout) > 1:  # one after the other, neither would parse
        raise IngestError(
            f"{' and '.join(to_stdout)} cannot both write to stdout (-); give one a file."
        )
    seen: dict[Path, str] = {}
    if source != "-" and Path(source).is_file():
        seen[Path(source).resolve()] = "the input file"
    for option, path in outputs.items():
        if not path or path == "-":
            continue
        target = Path(path).resolve()
        if target in seen:
            raise IngestError(f"{option} {path} would overwrite {seen[target]}; give another name.")
        if not target.parent.is_dir():
            folder = Path(path).parent
            raise IngestError(f"Cannot write {path}: the folder {folder} does not exist.")
        seen[target] = f"the {option} output"


def check_prediction_output(
    out: Path, folder: Path, template: Path | None, *, any_txt: bool = False
) -> None:
    """Refuse, before any work, a ``predict --out`` that would overwrite the template or an
    article the task reads in ``folder`` (``article<ID>.txt``; with ``any_txt`` every ``*.txt``),
    or whose folder does not exist: an article's name overwrote the article, and a missing
    folder lost the predictions of the whole run."""
    from spinscope.corpora.ptc import ARTICLE_RE

    target = out.resolve()
    if template and target == template.resolve():
        raise IngestError(f"--out {out} would overwrite the --template file; give another name.")
    read = out.suffix == ".txt" if any_txt else bool(ARTICLE_RE.match(out.name))
    if read and out.is_file() and target.parent == folder.resolve():
        raise IngestError(f"--out {out} would overwrite an article of {folder}; give another name.")
    check_outputs("-", {"--out": str(out)})


@contextmanager
def progress(description: str):
    """A progress bar on stderr; yields ``update(done, total)``. Off a terminal there is none:
    rich drew nothing there but left a blank line, before the error line of a failed run."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@contextmanager
def batch_progress(quiet: bool):
    """A progress bar with count, rate and ETA (when the total is known) on stderr."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        "documents", BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"), TimeElapsedColumn(), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("batch", total=None, rate="-")

        def update(done, total, summary):
            rate = summary.stored / summary.elapsed_s if summary.elapsed_s else 0.0
            bar.update(task, completed=done, total=total, rate=f"{rate:.1f}")

        yield update
