"""One function per command: compute with the library, then format and write."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

from spinscope.errors import ConfigError, DataError, IngestError


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
    from spinscope.ingest import load_many

    settings = settings_of(args)
    console = Console(stderr=args.json == "-")
    docs = list(
        load_many(
            args.source,
            allow_private=settings["ingest.allow_private_urls"],
            timeout_s=settings["ingest.timeout_s"],
            max_bytes=settings["ingest.max_bytes"],
        )
    )
    results = Pipeline(settings).run(docs)
    for result in results:
        for warning in result.warnings:
            print(f"spinscope: warning: {warning}", file=sys.stderr)
    if args.json:
        data = [r.to_dict() for r in results]
        _write(
            args.json,
            json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=1) + "\n",
        )
    if args.html:
        from spinscope.report.html import render_html

        if len(results) > 1:
            raise ConfigError("--html writes one report; give a single article, not a JSONL.")
        _write(args.html, render_html(results[0]))
    if not args.quiet and args.json != "-":
        from spinscope.report.terminal import render_terminal

        for result in results:
            render_terminal(result, console, taxonomy=args.taxonomy)
    if args.explain:
        record = {
            k: v
            for k, v in results[0].to_dict().items()
            if k not in ("document", "findings", "claims", "labels")
        }
        console.print_json(json.dumps(record))
    return 0


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
    from spinscope.cli.main import default_data_dir, print_json
    from spinscope.evaluation.run import evaluate_ptc

    data = args.data or default_data_dir()
    if args.task in ("checkthat19", "checkthat20", "claimbuster"):
        return _eval_checkworthy(args, settings_of, data)
    if args.task in ("semeval23-st1", "semeval23-st2"):
        return _eval_framing(args, data)
    if args.task == "semeval25-st2":
        return _eval_narratives(args, data)
    if args.task == "semeval25-st1":
        return _eval_entity_roles(args, data)
    ptc = data / "ptc-semeval2020-task11"
    if not ptc.is_dir():
        raise DataError(f"PTC not found at {ptc}; pass --data FOLDER or set SPINSCOPE_DATA.")
    tagger = _tagger(settings_of(args))
    if args.task == "semeval23-st3":
        from spinscope.evaluation.run import evaluate_semeval23_st3

        result = evaluate_semeval23_st3(tagger, data)
        if args.json:
            print_json(result)
        else:
            print(
                f"SemEval-2023 ST3, {result['split']}: micro-F1 {result['micro_f1']:.4f}, "
                f"macro-F1 {result['macro_f1']:.4f}"
            )
        return 0
    with _progress(f"Scoring PTC {args.split}") as update:
        result = evaluate_ptc(tagger, ptc, args.split, progress=update)
    if args.json:
        print_json(result)
        return 0
    print(
        f"PTC {args.split} ({result['n_articles']} articles), model {result['model']} "
        f"{result['model_version']} ({result['variant']}), threshold {result['threshold']}"
    )
    print(
        f"  SI F1        {result['si_f1']:.4f}  (P {result['si_precision']:.4f}, "
        f"R {result['si_recall']:.4f})"
    )
    print(f"  TC micro-F1  {result['tc_micro_f1']:.4f}")
    print(f"  full task F1 {result['full_task_f1']:.4f}  ({result['decoder']} decoder)")
    for label, f1 in result["tc_per_technique_f1"].items():
        print(
            f"    {label:38s} TC F1 {f1:.3f}  full F1 "
            f"{result['full_task_per_technique_f1'][label]:.3f}"
        )
    return 0


CHECKWORTHY_DATA = {
    "checkthat19": "checkthat2019-task1-en",
    "checkthat20": "checkthat2020-task1-en",
    "claimbuster": "claimbuster",
}


def _dataset(data: Path, task: str) -> Path:
    folder = data / CHECKWORTHY_DATA[task]
    if not folder.is_dir():
        raise DataError(f"{task} not found at {folder}; pass --data FOLDER or set SPINSCOPE_DATA.")
    return folder


def _eval_checkworthy(args, settings_of, data: Path) -> int:
    from spinscope.cli.main import print_json

    folder = _dataset(data, args.task)
    if args.task == "claimbuster":
        result = _claimbuster_cv(args, data, folder)
        if args.json:
            print_json(result)
        else:
            print(
                f"ClaimBuster {result['dataset']}, {result['folds']}-fold cross-validation "
                f"(check-worthy class, threshold {result['threshold']}):"
            )
            print(
                f"  F1 {result['f1']['mean']:.4f} ± {result['f1']['sd']:.4f}  "
                f"(P {result['precision']['mean']:.4f}, R {result['recall']['mean']:.4f})"
            )
        return 0
    from spinscope.analysis.claims import HEAD_NAMES, head_scores
    from spinscope.evaluation.checkworthy import evaluate_checkthat19, evaluate_checkthat20
    from spinscope.registry import create_analyzer

    claims = create_analyzer("claims", settings_of(args))
    evaluate = evaluate_checkthat19 if args.task == "checkthat19" else evaluate_checkthat20
    cache: dict[tuple, object] = {}

    def probs(texts):
        key = tuple(texts)
        if key not in cache:
            cache.clear()
            cache[key] = claims.scorer.score(list(texts))
        return cache[key]

    # Each CheckThat! task is scored with the head trained for it (what fact-checkers picked);
    # the other heads' MAP is reported beside it.
    head = "checkthat19"
    result = evaluate(folder, lambda t: head_scores(probs(t), head))
    by_head = {
        h: round(
            result["map"]
            if h == head
            else evaluate(folder, lambda t, h=h: head_scores(probs(t), h))["map"],
            4,
        )
        for h in HEAD_NAMES
    }
    result = {"head": head, "model_sha256": claims.scorer.model_sha256, **result}
    result["map_by_head"] = by_head
    if args.json:
        print_json(result)
    else:
        name = {"checkthat19": "CheckThat! 2019 Task 1", "checkthat20": "CheckThat! 2020 Task 1"}
        print(
            f"{name[args.task]} {result['split']} ({result['sentences']} sentences, "
            f"{result['positives']} check-worthy), head {head}: MAP {result['map']:.4f}"
        )
        print("  MAP by head: " + ", ".join(f"{k} {v:.4f}" for k, v in by_head.items()))
    return 0


def _claimbuster_cv(args, data: Path, folder: Path) -> dict:
    import tempfile

    checkworthy = _training("checkworthy")  # one model trained a fold
    if args.folds < 2:
        raise ConfigError("--folds must be at least 2.")
    ct19 = _dataset(data, "checkthat19")
    out = args.out or Path(tempfile.mkdtemp(prefix="spinscope-cv-"))
    cfg = checkworthy.TrainConfig(max_steps=args.max_steps)
    return checkworthy.cross_validate_claimbuster(folder, ct19, cfg, folds=args.folds, out_dir=out)


def _training(module: str):
    """A module of the [train] extra, or a one-line error naming what is missing."""
    import importlib

    try:
        return importlib.import_module(f"spinscope.training.{module}")
    except ImportError as exc:
        raise ConfigError(
            f"This needs the [train] extra ({exc.name} is missing): pip install 'spinscope[train]'."
        ) from None


def _semeval23(data: Path) -> Path:
    folder = data / "semeval2023-task3"
    if not (folder / "en").is_dir():
        raise DataError(
            f"SemEval-2023 Task 3 not found at {folder}; pass --data FOLDER or set SPINSCOPE_DATA."
        )
    return folder


def _eval_framing(args, data: Path) -> int:
    """Genre (ST1) and frames (ST2) by article-level cross-validation of the training recipe on
    the English training articles (the English dev set is withheld)."""
    from spinscope.cli.main import print_json

    folder = _semeval23(data)
    if args.folds < 2:
        raise ConfigError("--folds must be at least 2.")
    result = _training("framing").cross_validate(folder, folds=args.folds)
    key = "genre" if args.task == "semeval23-st1" else "frames"
    metric = "genre_macro_f1" if key == "genre" else "frames_micro_f1"
    out = {
        "task": f"semeval2023-task3-{args.task[-3:]}",
        "split": f"en train, {args.folds}-fold cross-validation by article",
        "articles": result["articles"],
        metric: result[metric],
        **({"genre_micro_f1": result["genre_micro_f1"]} if key == "genre" else {}),
        **({"frames_macro_f1": result["frames_macro_f1"]} if key == "frames" else {}),
        "per_label": result[key]["per_class"],
    }
    if args.json:
        print_json(out)
    else:
        print(f"SemEval-2023 {args.task[-3:].upper()}, {out['split']} ({out['articles']} "
              f"articles): {metric.replace('_', ' ')} {out[metric]:.4f}")  # fmt: skip
    return 0


def _semeval25(data: Path) -> Path:
    folder = data / "semeval2025-task10"
    if not folder.is_dir():
        raise DataError(
            f"SemEval-2025 Task 10 not found at {folder}; pass --data FOLDER or set SPINSCOPE_DATA."
        )
    return folder


def _eval_entity_roles(args, data: Path) -> int:
    """Entity roles on the given dev mentions of --lang: English with the shipped model, another
    language with a model trained on its own training mentions first."""
    from spinscope.cli.main import print_json

    folder = _semeval25(data)
    entity_roles = _training("entity_roles")
    result = entity_roles.evaluate(folder, args.lang)
    if args.json:
        print_json(result)
    else:
        print(
            f"SemEval-2025 ST1, {args.lang} dev ({result['mentions']} given mentions): exact match "
            f"ratio {result['emr']:.4f}, main-role accuracy {result['main_role_accuracy']:.4f} "
            f"(majority class {result['main_role_accuracy_of_majority_class']:.4f})"
        )
    return 0


def _eval_narratives(args, data: Path) -> int:
    """Samples-F1 on sub-narratives (fine) and narratives (coarse) of the dev set of --lang."""
    import tempfile

    from spinscope.analysis.framing import shipped_model_dir
    from spinscope.cli.main import print_json

    folder = _semeval25(data)
    narratives = _training("narratives")
    model = shipped_model_dir()
    if args.lang != "EN":
        model = Path(tempfile.mkdtemp(prefix="spinscope-narratives-"))
        narratives.train(folder, model, lang=args.lang)
    result = narratives.evaluate(folder, model, lang=args.lang)
    result["model"] = "shipped (English)" if args.lang == "EN" else f"trained on {args.lang} train"
    if args.json:
        print_json(result)
    else:
        print(
            f"SemEval-2025 ST2, {args.lang} dev ({result['documents']} documents, model "
            f"{result['model']}): F1 fine {result['f1_fine']:.4f} (sd {result['f1_fine_sd']:.2f})"
            f", F1 coarse {result['f1_coarse']:.4f} (sd {result['f1_coarse_sd']:.2f})"
        )
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
        print(f"wrote {len(out)} lines to {args.out}", file=sys.stderr)
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
    print(f"wrote {len(out)} lines to {args.out}", file=sys.stderr)
    return 0


def cmd_train(args, settings_of) -> int:
    from spinscope.training import tasks

    if args.what in tasks.TASKS:
        from spinscope.cli.main import default_data_dir
        from spinscope.model.jsonable import dumps

        if args.prune_on:
            args.prune_on = tuple(c.strip() for c in args.prune_on.split(","))
        args.data = args.data or default_data_dir()
        options = {name: getattr(args, name, None) for name in tasks.TASKS[args.what].options}
        options = {k: v for k, v in options.items() if v not in (None, [], False)}
        print(dumps(tasks.run(args.what, **options), indent=1), file=sys.stderr)
        return 0
    training = _training("cli")
    if args.what == "framing":
        from spinscope.cli.main import default_data_dir

        folder = _semeval23(args.data or default_data_dir())
        card = _training("framing").train(folder, Path(args.out))
        print(json.dumps(card["cross_validation"]), file=sys.stderr)
        se25 = folder.parent / "semeval2025-task10"
        if se25.is_dir():
            card = _training("narratives").train(se25, Path(args.out))
            print(json.dumps(card["threshold_choice"]), file=sys.stderr)
        print(f"model written to {args.out}; use it with --set framing.model_dir={args.out}",
              file=sys.stderr)  # fmt: skip
        return 0
    if args.what == "roles":
        from spinscope.cli.main import default_data_dir

        folder = _semeval25(args.data or default_data_dir())
        card = _training("entity_roles").train(folder, "EN", Path(args.out))["card"]
        chosen = {k: card[k] for k in ("features", "C", "minority_threshold", "fine_threshold")}
        print(json.dumps(chosen), file=sys.stderr)
        print(f"model written to {args.out}; use it with --set roles.model_dir={args.out}",
              file=sys.stderr)  # fmt: skip
        return 0
    if args.what == "checkworthy":
        from spinscope.cli.main import default_data_dir

        data = args.data or default_data_dir()
        folders = {task: _dataset(data, task) for task in CHECKWORTHY_DATA}
        training.train_checkworthy(args, folders)
        return 0
    if not args.ptc:
        raise ConfigError(
            "train techniques needs --ptc FOLDER (and, for the SemEval-2023 layer, --semeval23 "
            "FOLDER)."
        )
    training.train_techniques(args)
    return 0


def cmd_settings(args, settings_of) -> int:
    from spinscope.settings import SCHEMA

    for name, spec in SCHEMA.items():
        extra = f" (one of {', '.join(map(str, spec.choices))})" if spec.choices else ""
        print(f"{name} = {spec.default!r}{extra}\n    {spec.help}")
    return 0


def cmd_batch(args, settings_of) -> int:
    from spinscope.batch import EXIT_PARTIAL, run_batch
    from spinscope.cli.main import print_json
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
        title=f"{data['documents']} documents, {data['words']} words, {data['findings']} "
        f"findings ({data['taxonomy']}), by {data['by']}"
    )
    rows = data["rows"]
    for key in rows[0] if rows else [data["by"]]:
        table.add_column(key.replace("_", " "), justify="left" if key == data["by"] else "right")
    for row in rows:
        table.add_row(*(Text(str(v)) for v in row.values()))  # Text: no markup from labels
    Console().print(table)


def cmd_export(args, settings_of) -> int:
    from spinscope.cli.corpus_io import export_command

    return export_command(args)


def cmd_import_annotations(args, settings_of) -> int:
    from spinscope.cli.corpus_io import import_command

    return import_command(args)


def cmd_serve(args, settings_of) -> int:
    from spinscope.cli.serve import serve_command

    return serve_command(args, settings_of(args))
