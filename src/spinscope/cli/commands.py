"""One function per command: compute with the library, then format and write."""

from __future__ import annotations

import sys

from spinscope.cli.analyze import analyse, analyze_inputs, interrupted_line, timeout_error
from spinscope.cli.output import (
    batch_progress,
    check_outputs,
    check_prediction_output,
    inert,
    json_text,
    progress,
    quiet_library_bars,
    warn,
    write,
)
from spinscope.cli.stats import print_trends, story_stats, write_stats_charts
from spinscope.errors import AnalysisTimeout, ConfigError
from spinscope.model.jsonable import dumps
from spinscope.model.wording import plural


def cmd_analyze(args, settings_of) -> int:
    from spinscope.analysis.pipeline import check_settings
    from spinscope.cli.main import EXIT_INTERRUPT, EXIT_PARTIAL
    from spinscope.model.jsonable import plain

    settings = settings_of(args)
    # a value only the analysers refuse is refused now, before the input is read (a URL
    # fetched): built, not loaded; the pipeline is kept for the run
    pipeline = check_settings(settings)
    check_outputs(args.source, {"--json": args.json, "--html": args.html})
    items, failed = analyze_inputs(args.source, settings)
    if args.html and len(items) + failed > 1:
        raise ConfigError("--html writes one report; give a single article, not a JSONL.")
    if not items:  # every record of the JSONL file failed, each one printed
        return EXIT_PARTIAL
    # a Ctrl-C or the time bound stopped a JSONL run: the results so far are written first
    results, lost, stop = analyse(pipeline, items, args.source, settings["analyze.timeout_s"])
    failed += lost
    total = len(items) + failed
    if isinstance(stop, AnalysisTimeout) and not results:
        raise timeout_error(stop, 0, total, None)
    if stop is not None and not results:
        print(interrupted_line(0, total, None), file=sys.stderr)
        return EXIT_INTERRUPT
    if not results:
        return EXIT_PARTIAL
    for result in results:
        for warning in result.warnings:
            warn(warning)
    if args.json:
        data = [plain(r.to_dict()) for r in results]
        many = len(items) + failed > 1
        write(args.json, json_text(data if many else data[0]) + "\n")
    if args.html and results:
        from spinscope.report.html import render_html

        write(args.html, render_html(results[0]))
    to_stdout = "-" in (args.json, args.html)  # then stdout is that output's alone
    if (not args.quiet and not to_stdout) or args.explain:
        from rich.console import Console  # only here: 0.1 s of a --quiet --json start

        console = Console(stderr=to_stdout)
    if not args.quiet and not to_stdout:
        from spinscope.report.terminal import render_terminal

        for result in results:
            render_terminal(result, console, taxonomy=args.taxonomy, voice=settings["report.voice"])
    if args.explain and results:
        record = {
            k: v
            for k, v in results[0].to_dict().items()
            if k not in ("document", "findings", "claims", "labels")
        }
        console.print_json(dumps(record))
    if isinstance(stop, AnalysisTimeout):  # one error line, exit 1 (cli.main)
        raise timeout_error(stop, len(results), total, args.json)
    if stop is not None:
        print(interrupted_line(len(results), total, args.json), file=sys.stderr)
        return EXIT_INTERRUPT
    return EXIT_PARTIAL if failed else 0


def cmd_eval(args, settings_of) -> int:
    from spinscope.cli.eval_output import render
    from spinscope.cli.main import default_data_dir, print_json
    from spinscope.evaluation.tasks import TASKS, Options, options, run_task

    _check_eval_options(args, TASKS[args.task].takes)
    quiet_library_bars()  # claimbuster trains models
    values = {
        **{name: getattr(args, name) for name in options()},
        "data": args.data or default_data_dir(),
    }
    result = run_task(
        args.task, Options(**values, settings=lambda: settings_of(args), progress=progress)
    )
    if args.json:
        print_json(result)
    else:
        print(render(args.task, result, args.lang))
    return 0


def _check_eval_options(args, takes: tuple[str, ...]) -> None:
    """Refuse an option the task does not read (``Task.takes``): it was ignored without a word,
    so ``--set roles.model_dir=mine`` printed the shipped model's score, ``--split train`` the
    test set's."""
    from spinscope.evaluation.tasks import options

    given = {("--set", "settings"): args.overrides, ("--config", "settings"): args.config,
             ("--model-dir", "tagger"): args.model_dir,
             ("--threshold", "tagger"): args.threshold is not None}  # fmt: skip
    refused = [flag for (flag, kind), value in given.items() if value and kind not in takes]
    for name, (flags, keywords) in options().items():
        if name not in ("data", "lang", *takes) and getattr(args, name) != keywords["default"]:
            refused.append(flags[0])
    if refused:
        raise ConfigError(
            f"eval {args.task} does not read {' or '.join(refused)} (see `spinscope eval --help`): "
            "it would be ignored; nothing was run."
        )


def cmd_predict(args, settings_of) -> int:
    from spinscope.evaluation.predict_tasks import predict_lines

    _check_predict_options(args)
    # semeval25-st2 reads every *.txt of the folder, the others its article<ID>.txt
    any_txt = args.task == "semeval25-st2"
    check_prediction_output(args.out, args.folder, args.template, any_txt=any_txt)
    settings = settings_of(args)
    with progress(f"Predicting {args.task}") as update:
        out = list(predict_lines(args.task, settings, args.folder, template=args.template,
                                 update=update))  # fmt: skip
    write(str(args.out), "".join(line + "\n" for line in out))
    print(f"wrote {plural(len(out), 'line')} to {args.out}", file=sys.stderr)
    return 0


def _check_predict_options(args) -> None:
    """Refuse --template but for ptc-tc, and the technique tagger's --model-dir and --threshold
    for the tasks of the framing analyser: they were ignored without a word."""
    from spinscope.evaluation.predict_tasks import TASKS

    analyser, _, extra = TASKS[args.task]
    given = {"--template": args.template and "template" not in extra,
             "--model-dir": args.model_dir and analyser != "techniques",
             "--threshold": args.threshold is not None and analyser != "techniques"}  # fmt: skip
    refused = [flag for flag, wrong in given.items() if wrong]
    if refused:
        raise ConfigError(
            f"predict {args.task} does not read {' or '.join(refused)} (see `spinscope predict "
            "--help`): it would be ignored; nothing was run."
        )


def cmd_train(args, settings_of) -> int:
    from spinscope.cli.main import default_data_dir
    from spinscope.training import tasks

    _check_train_options(args.what, vars(args))
    quiet_library_bars()
    values = {**vars(args), "data": args.data or default_data_dir()}
    result = tasks.run(args.what, **tasks.options_of(args.what, values))
    # the result is the command's output (`> result.json`); messages and progress go to stderr
    print(dumps(result, indent=1))
    return 0


def _check_train_options(name: str, values: dict) -> None:
    """Refuse an option given on the command line that task ``name`` does not take: it was
    ignored (``--lang XX`` trained on every language, ``--data`` beside ``--ptc`` read nothing)."""
    from spinscope.training.tasks import OPTIONS, TASKS

    task = TASKS[name]
    for option, (flags, keywords) in OPTIONS.items():
        unset = keywords.get("default", False if keywords.get("action") == "store_true" else None)
        if option in task.options or values.get(option, unset) in (unset, None, [], False):
            continue
        takers = [t.name for t in TASKS.values() if option in t.options]
        who = (
            f"{', '.join(takers)} {'does' if len(takers) == 1 else 'do'}"
            if len(takers) <= 3
            else "see `spinscope train --help`"
        )
        raise ConfigError(f"train {name} does not take {flags[0]} ({who}); nothing was run.")


def cmd_settings(args, settings_of) -> int:
    from spinscope.analysis.pipeline import check_settings
    from spinscope.cli.main import overrides_of
    from spinscope.cli.settings_view import print_settings

    # a bad value is one line, exit 1: those only an analyser can refuse too (a label of the
    # framing model), as `analyze` refuses them, before any model loads
    settings = settings_of(args)
    check_settings(settings)
    checking = args.config is not None or bool(overrides_of(args))
    print_settings(settings, set(overrides_of(args)), checking=checking)
    return 0


def cmd_batch(args, settings_of) -> int:
    from spinscope.batch import Interrupted, run_batch
    from spinscope.cli.main import EXIT_INTERRUPT, EXIT_PARTIAL, print_json
    from spinscope.ingest.sources import ReadOptions, parse_fields
    from spinscope.processes import terminate_as_interrupt

    settings = settings_of(args)
    if not args.inputs:
        return _open_store_only(args.store, settings)
    options = ReadOptions.from_settings(settings, fields=parse_fields(args.field))
    command = "spinscope batch " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else "batch"
    try:
        with batch_progress(args.quiet) as progress, terminate_as_interrupt():
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
    except Interrupted as stop:
        print(f"spinscope: interrupted: {_batch_counts(stop.summary, args.store)}; the documents "
              "stored are kept; run the same command again to go on.", file=sys.stderr)  # fmt: skip
        return EXIT_INTERRUPT
    if args.json:
        print_json(summary.to_dict())
    else:
        print(f"spinscope: {_batch_counts(summary, args.store)}.", file=sys.stderr)
    if summary.duplicates and not (summary.stored or summary.failed):
        print("spinscope: every document was already in the store, which keeps the results "
              "they were stored with; to analyse them again (other settings or models), give a "
              "new --store.", file=sys.stderr)  # fmt: skip
    for reason in summary.examples:
        print(f"spinscope: failed: {inert(reason)}", file=sys.stderr)
    if summary.failed > len(summary.examples):
        print(
            f"spinscope: ... and {summary.failed - len(summary.examples)} more; see "
            f"`spinscope export --store {args.store} --format failures --out failures.csv`.",
            file=sys.stderr,
        )
    return EXIT_PARTIAL if summary.failed else 0


def _batch_counts(summary, store: str) -> str:
    """What a batch run did, for its summary line."""
    data = summary.to_dict()
    rate = f", {data['stored_per_s']} documents/s" if data["stored_per_s"] else ""
    return (
        f"{summary.read} read, {summary.stored} stored, {summary.duplicates} already stored or "
        f"repeated, {summary.failed} failed in {data['elapsed_s']} s{rate} (store {store}, run "
        f"{summary.run_id})"
    )


def _open_store_only(path: str, settings: dict) -> int:
    """`batch --store FILE` with no inputs: the store is created, or an older one migrated (the
    command the read-only commands name for an older store)."""
    from spinscope.cli.corpus_io import open_store
    from spinscope.store.schema import SCHEMA_VERSION

    with open_store(path, settings=settings) as store:
        documents = store.count("documents")
    print(
        f"spinscope: the store {path} is ready (store schema {SCHEMA_VERSION}, "
        f"{plural(documents, 'document')}); nothing to analyse: give files, folders or feeds to "
        "add documents.",
        file=sys.stderr,
    )
    return 0


def cmd_stats(args, settings_of) -> int:
    from spinscope.cli.corpus_io import open_store
    from spinscope.cli.main import print_json
    from spinscope.cli.stats import print_trends_csv
    from spinscope.store.stats import trends

    if args.charts == "-":  # `--charts -` made a folder named "-"
        raise ConfigError(
            "Cannot write the charts to -: charts are PNG files and an HTML page in a folder, "
            "not standard output; give a folder name, e.g. --charts charts."
        )
    if args.by == "story":
        if args.csv:
            raise ConfigError("--csv is for --by outlet, month, technique or narrative; "
                              "use --json for --by story.")  # fmt: skip
        code = story_stats(args)  # first: a store never grouped is refused before any chart
        if args.charts:  # the store's trends, whatever --by is (they were left out for story)
            with open_store(args.store, read_only=True) as store:
                for path in write_stats_charts(store, args):
                    print(f"spinscope: wrote {path}", file=sys.stderr)
        return code
    with open_store(args.store, read_only=True) as store:
        data = trends(store, args.by, args.taxonomy)
        written = write_stats_charts(store, args) if args.charts else []
    if args.json:
        print_json(data)
    elif args.csv:
        print_trends_csv(data)
    else:
        print_trends(data)
    for path in written:
        print(f"spinscope: wrote {path}", file=sys.stderr)
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

    def log(message: str) -> None:
        print(f"spinscope: {message}", file=sys.stderr)

    quiet_library_bars()
    summary = build(args.out, force=args.force, log=log)
    use = f"--model-dir {summary['out']}" if args.out else "--set techniques.model=accurate"
    print(
        f"Built {summary['model']} in {summary['out']} ({summary['tagger_mb']} MB); use it with "
        f"{use}.",
        file=sys.stderr,
    )
    return 0
