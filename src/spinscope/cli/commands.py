"""One function per command: compute with the library, then format and write."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from spinscope.errors import ConfigError, IngestError
from spinscope.model.jsonable import dumps
from spinscope.model.wording import plural


def _write(path: str, content: str) -> None:
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


def cmd_analyze(args, settings_of) -> int:
    from rich.console import Console

    from spinscope.analysis.pipeline import Pipeline
    from spinscope.cli.main import EXIT_PARTIAL
    from spinscope.model.jsonable import plain

    settings = settings_of(args)
    console = Console(stderr=args.json == "-")
    items, failed = _analyze_inputs(args.source, settings)
    if args.html and len(items) + failed > 1:
        raise ConfigError("--html writes one report; give a single article, not a JSONL.")
    if not items:  # every record of the JSONL file failed, each one printed
        return EXIT_PARTIAL
    pipeline = Pipeline(settings)
    if _is_jsonl(args.source):  # one failure line per bad record, never a crash
        results, lost = _analyse_each(pipeline, items)
    else:
        results, lost = pipeline.run([doc for _, doc in items]), 0
    failed += lost
    if not results:
        return EXIT_PARTIAL
    for result in results:
        for warning in result.warnings:
            print(f"spinscope: warning: {warning}", file=sys.stderr)
    if args.json:
        data = [plain(r.to_dict()) for r in results]
        many = len(items) + failed > 1
        _write(args.json, dumps(data if many else data[0], ensure_ascii=False, indent=1) + "\n")
    if args.html and results:
        from spinscope.report.html import render_html

        _write(args.html, render_html(results[0]))
    if not args.quiet and args.json != "-":
        from spinscope.report.terminal import render_terminal

        for result in results:
            render_terminal(result, console, taxonomy=args.taxonomy)
    if args.explain and results:
        record = {
            k: v
            for k, v in results[0].to_dict().items()
            if k not in ("document", "findings", "claims", "labels")
        }
        console.print_json(dumps(record))
    return EXIT_PARTIAL if failed else 0


def _analyze_inputs(source: str, settings: dict) -> tuple[list, int]:
    """``([(where, Document)], failures)`` of one ``analyze`` source; a JSONL file's bad records
    are printed (``spinscope: failed: FILE, line N: reason``) and counted, not raised."""
    from spinscope.ingest import load
    from spinscope.ingest.jsonl import jsonl_items

    max_bytes = settings["ingest.max_bytes"]
    if not _is_jsonl(source):
        doc = load(
            source,
            allow_private=settings["ingest.allow_private_urls"],
            timeout_s=settings["ingest.timeout_s"],
            max_bytes=max_bytes,
        )
        return [(source, doc)], 0
    items, failed = [], 0
    for item in jsonl_items(source, max_bytes=max_bytes):
        if item.error is not None or item.doc is None:
            _print_failure(item.error or f"{item.ref}: no document.")
            failed += 1
        else:
            items.append((item.ref, item.doc))
    if not items and not failed:
        raise IngestError(f"{source} holds no articles (no non-blank lines); {_JSONL_HINT}.")
    return items, failed


def _is_jsonl(source: str) -> bool:
    from spinscope.ingest import is_url

    return not is_url(source) and source.lower().endswith(".jsonl")


_JSONL_HINT = "each line must be one JSON object with a 'text' or 'html' field"


def _analyse_each(pipeline, items: list) -> tuple[list, int]:
    """The results of ``items`` (analysed together; if that fails, one at a time), and how many
    failed: a record whose analysis or JSON form fails is printed as a failure and left out."""
    from spinscope.ingest.jsonl import unexpected
    from spinscope.model.jsonable import plain

    docs = [doc for _, doc in items]
    try:
        results = pipeline.run(docs)
    except Exception:  # noqa: BLE001 -- retried one at a time below, each failure printed
        results = None
    out, failed = [], 0
    for k, (where, doc) in enumerate(items):
        try:
            result = results[k] if results is not None else pipeline.run([doc])[0]
            plain(result.to_dict())  # its JSON form must exist too
        except Exception as exc:  # noqa: BLE001 -- one record must never end the run
            _print_failure(f"{where}: analysis failed ({unexpected(exc)}).")
            failed += 1
            continue
        out.append(result)
    return out, failed


def _print_failure(reason: str) -> None:
    print(f"spinscope: failed: {reason}", file=sys.stderr)


@contextmanager
def _progress(description: str):
    """A progress bar on stderr; yields ``update(done, total)``."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _tagger(settings):
    from spinscope.registry import create_analyzer

    return create_analyzer("techniques", settings)


def cmd_eval(args, settings_of) -> int:
    from spinscope.cli.eval_output import render
    from spinscope.cli.main import default_data_dir, print_json
    from spinscope.evaluation.tasks import Options, run_task

    options = Options(
        data=args.data or default_data_dir(),
        settings=lambda: settings_of(args),
        split=args.split,
        folds=args.folds,
        max_steps=args.max_steps,
        out=args.out,
        lang=args.lang,
        progress=_progress,
    )
    result = run_task(args.task, options)
    if args.json:
        print_json(result)
    else:
        print(render(args.task, result, args.lang))
    return 0


def cmd_predict(args, settings_of) -> int:
    from spinscope.evaluation import predict

    if args.task in ("semeval23-st1", "semeval23-st2", "semeval25-st2"):
        from spinscope.registry import create_analyzer

        framing = create_analyzer("framing", settings_of(args))
        if args.task == "semeval25-st2":
            lines = predict.semeval25_st2_lines(framing, args.folder)
        else:
            lines = predict.semeval23_article_lines(framing, args.folder, args.task[-3:])
        out = list(lines)
        _write(str(args.out), "".join(line + "\n" for line in out))
        print(f"wrote {plural(len(out), 'line')} to {args.out}", file=sys.stderr)
        return 0
    tagger = _tagger(settings_of(args))
    if args.task == "ptc-si":
        lines = predict.ptc_si_lines(tagger, args.folder)
    elif args.task == "ptc-tc":
        if not args.template:
            raise ConfigError("predict ptc-tc needs --template FILE (the spans to classify).")
        lines = predict.ptc_tc_lines(tagger, args.folder, args.template)
    else:
        lines = predict.semeval23_st3_lines(tagger, args.folder)
    out = list(lines)
    _write(str(args.out), "".join(line + "\n" for line in out))
    print(f"wrote {plural(len(out), 'line')} to {args.out}", file=sys.stderr)
    return 0


def cmd_train(args, settings_of) -> int:
    from spinscope.cli.main import default_data_dir
    from spinscope.training import tasks

    values = {**vars(args), "data": args.data or default_data_dir()}
    result = tasks.run(args.what, **tasks.options_of(args.what, values))
    print(dumps(result, indent=1), file=sys.stderr)
    return 0


def cmd_settings(args, settings_of) -> int:
    from spinscope.settings import SCHEMA

    for name, spec in SCHEMA.items():
        extra = f" (one of {', '.join(map(str, spec.choices))})" if spec.choices else ""
        print(f"{name} = {spec.default!r}{extra}\n    {spec.help}")
    return 0


def cmd_batch(args, settings_of) -> int:
    from spinscope.batch import run_batch
    from spinscope.cli.main import EXIT_PARTIAL, print_json
    from spinscope.ingest.sources import ReadOptions, parse_fields

    settings = settings_of(args)
    options = ReadOptions(
        max_bytes=settings["ingest.max_bytes"],
        timeout_s=settings["ingest.timeout_s"],
        allow_private=settings["ingest.allow_private_urls"],
        fields=parse_fields(args.field),
    )
    command = "spinscope batch " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else "batch"
    with _batch_progress(args.quiet) as progress:
        summary = run_batch(
            args.inputs,
            args.store,
            settings,
            options=options,
            engine=args.engine,
            workers=args.workers,
            batch_size=args.batch_size,
            address=args.address,
            command=command,
            progress=progress,
        )
    data = summary.to_dict()
    if args.json:
        print_json(data)
    else:
        rate = f", {data['stored_per_s']} documents/s" if data["stored_per_s"] else ""
        print(
            f"spinscope: {summary.read} read, {summary.stored} stored, {summary.duplicates} "
            f"already stored or repeated, {summary.failed} failed in {data['elapsed_s']} s{rate} "
            f"(store {args.store}, run {summary.run_id}).",
            file=sys.stderr,
        )
    for reason in summary.examples:
        print(f"spinscope: failed: {reason}", file=sys.stderr)
    if summary.failed > len(summary.examples):
        print(
            f"spinscope: ... and {summary.failed - len(summary.examples)} more; see "
            f"`spinscope export --store {args.store} --format failures --out failures.csv`.",
            file=sys.stderr,
        )
    return EXIT_PARTIAL if summary.failed else 0


@contextmanager
def _batch_progress(quiet: bool):
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


def cmd_stats(args, settings_of) -> int:
    from spinscope.cli.main import print_json
    from spinscope.store import Store
    from spinscope.store.stats import trends

    if args.by == "story":
        return _story_stats(args)
    with Store(args.store, read_only=True) as store:
        data = trends(store, args.by, args.taxonomy)
        written = []
        if args.charts:
            from spinscope.store.charts import write_charts

            written = write_charts(store, args.charts, args.taxonomy)
    if args.json:
        print_json(data)
    else:
        _print_trends(data)
    for path in written:
        print(f"spinscope: wrote {path}", file=sys.stderr)
    return 0


def _print_trends(data: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"{plural(data['documents'], 'document')}, {plural(data['words'], 'word')}, "
        f"{plural(data['findings'], 'finding')} ({data['taxonomy']}), by {data['by']}"
    )
    rows = data["rows"]
    for key in rows[0] if rows else [data["by"]]:
        table.add_column(key.replace("_", " "), justify="left" if key == data["by"] else "right")
    for row in rows:
        table.add_row(*(Text(str(v)) for v in row.values()))  # Text: no markup from labels
    Console().print(table)


def _story_stats(args) -> int:
    from spinscope.cli.main import print_json
    from spinscope.cli.stories import print_story_table
    from spinscope.store import Store
    from spinscope.store.story_view import stats_by_story

    with Store(args.store, read_only=True) as store:
        data = stats_by_story(store)
    if args.json:
        print_json(data)
    else:
        print_story_table(data)
    return 0


def cmd_stories(args, settings_of) -> int:
    from spinscope.cli.stories import stories_command

    return stories_command(args)


def cmd_export(args, settings_of) -> int:
    from spinscope.cli.corpus_io import export_command

    return export_command(args)


def cmd_import_annotations(args, settings_of) -> int:
    from spinscope.cli.corpus_io import import_command

    return import_command(args)


def cmd_serve(args, settings_of) -> int:
    from spinscope.cli.serve import serve_command

    return serve_command(args, settings_of(args))


def cmd_build_accurate(args, settings_of) -> int:
    from spinscope.training.techniques_accurate import build

    summary = build(args.out)
    use = f"--model-dir {summary['out']}" if args.out else "--set techniques.model=accurate"
    print(
        f"Built {summary['model']} in {summary['out']} ({summary['tagger_mb']} MB); use it with "
        f"{use}.",
        file=sys.stderr,
    )
    return 0
