"""The evaluation tasks, one table (issue #19): each named task returns a plain dict.

``spinscope eval`` takes its task choices from ``TASKS`` and its options from ``options()``; it only
parses arguments and prints what ``run_task`` returns (``cli/eval_output.py``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from spinscope.errors import ConfigError, DataError
from spinscope.evaluation.options import Options, Progress


@dataclass(frozen=True)
class Task:
    name: str
    help: str
    run: Callable[[Options], dict]
    langs: tuple[str, ...] = field(default=())
    # what it reads: "settings" (--set, --config), "tagger" (the technique tagger's --model-dir
    # and --threshold) and the Options fields; the CLI refuses the rest (it was ignored)
    takes: tuple[str, ...] = ("settings",)


def training_module(module: str):
    """A module of the [train] extra, or a one-line error naming what is missing."""
    try:
        return importlib.import_module(f"spinscope.training.{module}")
    except ImportError as exc:
        raise ConfigError(
            f"This needs the [train] extra ({exc.name} is missing): pip install 'spinscope[train]'."
        ) from None


def _tagger(settings: dict):
    from spinscope.registry import create_analyzer

    return create_analyzer("techniques", settings)


def _folder(data: Path, name: str, what: str, probe: str = "") -> Path:
    folder = data / name
    if not (folder / probe if probe else folder).is_dir():
        raise DataError(f"{what} not found at {folder}; pass --data FOLDER or set SPINSCOPE_DATA.")
    return folder


def _ptc(data: Path) -> Path:
    return _folder(data, "ptc-semeval2020-task11", "PTC")


def semeval23_folder(data: Path) -> Path:
    return _folder(data, "semeval2023-task3", "SemEval-2023 Task 3", probe="en")


def semeval25_folder(data: Path) -> Path:
    return _folder(data, "semeval2025-task10", "SemEval-2025 Task 10")


CHECKWORTHY_DATA = {
    "checkthat19": "checkthat2019-task1-en",
    "checkthat20": "checkthat2020-task1-en",
    "claimbuster": "claimbuster",
}


def checkworthy_folder(data: Path, task: str) -> Path:
    return _folder(data, CHECKWORTHY_DATA[task], task)


# -- technique spans --------------------------------------------------------------------------


def ptc(o: Options) -> dict:
    from spinscope.evaluation.run import evaluate_ptc

    folder = _ptc(o.data)
    tagger = _tagger(o.settings())
    with o.progress(f"Scoring PTC {o.split}") as update:
        return evaluate_ptc(tagger, folder, o.split, progress=update)


def tagger_spans(tagger, texts: list[str], update=None) -> list[list[tuple]]:
    """``(start, end, label, confidence)`` of the tagger's SemEval-2023 spans per text: the
    spans ``predict semeval23-st3`` writes (raw decoding, 8 texts a batch), each with the
    confidence the tagger reports for it (calibrated where the model ships a calibration for
    these settings)."""
    from spinscope.evaluation.predict import semeval23_tagger
    from spinscope.model.taxonomy import SEMEVAL2023

    st3 = semeval23_tagger(tagger)
    cal = tagger.calibration.get(SEMEVAL2023)
    out: list[list[tuple]] = []
    for k in range(0, len(texts), 8):
        for sc in st3.scores(texts[k : k + 8]):
            spans = st3.spans(sc, SEMEVAL2023)
            confs = [float(s.confidence) for s in spans]
            if cal:
                confs = [
                    round(cal.confidence(s.label, c), 4) for s, c in zip(spans, confs, strict=True)
                ]
            out.append([(s.start, s.end, s.label, c) for s, c in zip(spans, confs, strict=True)])
        if update:
            update(len(out), len(texts))
    return out


def _model_fields(tagger) -> dict:
    return {"model": tagger.card.get("name"), "model_version": tagger.card.get("version"),
            "model_dir": str(tagger.model_dir), "variant": tagger.variant,
            "threshold": tagger.threshold, "decoder": tagger.decoder}  # fmt: skip


def score_technique_docs(tagger, docs, train_rows, progress: Progress, what: str) -> dict:
    from spinscope.evaluation.technique_scores import score_spans

    with progress(f"Scoring {what}") as update:
        predicted = tagger_spans(tagger, [d.text for d in docs], update)
    return {**_model_fields(tagger), **score_spans(docs, predicted, train_rows=train_rows)}


def semeval23_st3(o: Options) -> dict:
    """EN: the 75 PTC dev articles in their 2023 form; another language: its dev set (floor from
    train), scored by what gives its findings (the paragraph analyser for its
    ``techniques_paragraphs.languages``, unless ``techniques.model_dir`` names a tagger)."""
    settings = o.settings()
    paragraph_langs = str(settings["techniques_paragraphs.languages"]).lower().split(",")
    if o.lang.lower() in paragraph_langs and not settings["techniques.model_dir"]:
        return semeval23_st3_paragraphs(o)
    if o.lang == "EN":
        from spinscope.evaluation.run import evaluate_semeval23_st3

        _ptc(o.data)
        return evaluate_semeval23_st3(_tagger(o.settings()), o.data)
    from spinscope.corpora.technique_spans import load_semeval23_spans
    from spinscope.evaluation.technique_scores import gold_rows

    folder = _folder(o.data, "semeval2023-task3", "SemEval-2023 Task 3")
    docs = load_semeval23_spans(folder, o.lang, "dev")
    train = gold_rows(load_semeval23_spans(folder, o.lang, "train"))
    tagger = _tagger(o.settings())
    result = score_technique_docs(tagger, docs, train, o.progress, f"SemEval-2023 {o.lang} dev")
    return {"task": "semeval2023-task3-st3", "split": f"{o.lang} dev", **result}


def checkthat24(o: Options) -> dict:
    """Paragraph micro-F1, span F1 and ECE on the CheckThat! 2024 Task 3 English dev half; the
    constant floor is chosen on SemEval-2023 English train (when present)."""
    from spinscope.corpora.technique_spans import load_checkthat24, load_semeval23_spans
    from spinscope.evaluation.technique_scores import gold_rows

    folder = _folder(o.data, "checkthat2024-task3-en-dev", "CheckThat! 2024 Task 3")
    docs = load_checkthat24(folder)
    se23 = o.data / "semeval2023-task3"
    train = gold_rows(load_semeval23_spans(se23, "EN", "train")) if (se23 / "en").is_dir() else None
    tagger = _tagger(o.settings())
    result = score_technique_docs(tagger, docs, train, o.progress, "CheckThat! 2024 en dev")
    return {"task": "checkthat2024-task3", "split": "en dev half (49 articles)", **result}


def _paragraph_model(o: Options):
    from spinscope.registry import create_analyzer

    model = create_analyzer("techniques_paragraphs", o.settings())
    return model, {"analyser": "techniques_paragraphs", "model": model.card.get("name"),
                   "model_version": model.card.get("version"), "model_dir": str(model.model_dir),
                   "multilingual_tagger": model.multilingual is not None}  # fmt: skip


def semeval23_st3_paragraphs(o: Options) -> dict:
    """The multilingual paragraph model on --lang's ST3 dev paragraphs (the official templates;
    EN: the 75 PTC dev articles), with the constant floor chosen on --lang's train."""
    from spinscope.corpora.technique_paragraphs import LANGS, load_split
    from spinscope.evaluation.paragraph_scores import (
        gold_of,
        paragraph_decisions,
        score_paragraph_model,
    )

    _folder(o.data, "semeval2023-task3", "SemEval-2023 Task 3", probe=LANGS[o.lang])  # ge, po
    par = load_split(o.data, o.lang, "dev")
    train = gold_of(load_split(o.data, o.lang, "train"))
    model, fields = _paragraph_model(o)
    with o.progress(f"Scoring SemEval-2023 {o.lang} dev paragraphs") as update:
        decided = paragraph_decisions(model, par)
        update(len(par), len(par))
    result = score_paragraph_model(model, par, decided, train)
    split = "en, the 75 PTC dev articles" if o.lang == "EN" else f"{o.lang} dev"
    return {"task": "semeval2023-task3-st3", "split": split, **fields, **result}


def checkthat24_paragraphs(o: Options) -> dict:
    """The multilingual paragraph model on the CheckThat! 2024 Task 3 English dev half
    (paragraph micro-F1 and ECE); the constant floor is chosen on all English ST3 train."""
    from spinscope.corpora.technique_paragraphs import load_checkthat24, load_split
    from spinscope.evaluation.paragraph_scores import (
        gold_of,
        paragraph_decisions,
        score_paragraph_model,
    )

    par = load_checkthat24(_folder(o.data, "checkthat2024-task3-en-dev", "CheckThat! 2024 Task 3"))
    train = None
    if (o.data / "semeval2023-task3" / "en").is_dir():
        train = gold_of(load_split(o.data, "EN", "train")) + gold_of(
            load_split(o.data, "EN", "dev")
        )
    model, fields = _paragraph_model(o)
    with o.progress("Scoring CheckThat! 2024 en dev paragraphs") as update:
        decided = paragraph_decisions(model, par)
        update(len(par), len(par))
    result = score_paragraph_model(model, par, decided, train)
    return {"task": "checkthat2024-task3", "split": "en dev half (49 articles)", **fields, **result}


# -- check-worthiness -------------------------------------------------------------------------


def _checkthat(o: Options, task: str) -> dict:
    from spinscope.analysis.claims import HEAD_NAMES, head_scores
    from spinscope.evaluation.checkworthy import evaluate_checkthat19, evaluate_checkthat20
    from spinscope.registry import create_analyzer

    folder = checkworthy_folder(o.data, task)
    claims = create_analyzer("claims", o.settings())
    evaluate = evaluate_checkthat19 if task == "checkthat19" else evaluate_checkthat20
    cache: dict[tuple, object] = {}

    def probs(texts):  # the sentences are scored once, for every head (a progress bar: 25 s)
        if tuple(texts) not in cache:
            cache.clear()
            cache[tuple(texts)] = claims.scorer.score(list(texts), update=update)
        return cache[tuple(texts)]

    # Each CheckThat! task is scored with the head trained for it (what fact-checkers picked);
    # the other heads' MAP is reported beside it.
    head = "checkthat19"
    with o.progress(f"Scoring {task} sentences") as update:
        result = evaluate(folder, lambda t: head_scores(probs(t), head))
    by_head = {h: round(evaluate(folder, lambda t, h=h: head_scores(probs(t), h))["map"], 4)  # type: ignore[misc]  # mypy can't type a lambda with a default arg
               for h in HEAD_NAMES}  # fmt: skip
    return {"head": head, "model_sha256": claims.scorer.model_sha256, **result,
            "map_by_head": by_head}  # fmt: skip


def claimbuster(o: Options) -> dict:
    import tempfile

    folder = checkworthy_folder(o.data, "claimbuster")
    checkworthy = training_module("checkworthy")  # one model trained a fold
    experiments = training_module("checkworthy_cv")
    if o.folds < 2:
        raise ConfigError("--folds must be at least 2.")
    ct19 = checkworthy_folder(o.data, "checkthat19")
    out = o.out or Path(tempfile.mkdtemp(prefix="spinscope-cv-"))
    cfg = checkworthy.TrainConfig(max_steps=o.max_steps)
    return experiments.cross_validate_claimbuster(folder, ct19, cfg, folds=o.folds, out_dir=out)


# -- article labels ---------------------------------------------------------------------------


def _framing(o: Options, subtask: str) -> dict:
    """Genre (ST1) and frames (ST2) by article-level cross-validation of the training recipe on
    the English training articles (the English dev set is withheld)."""
    folder = semeval23_folder(o.data)
    if o.folds < 2:
        raise ConfigError("--folds must be at least 2.")
    result = training_module("framing").cross_validate(folder, folds=o.folds)
    key = "genre" if subtask == "st1" else "frames"
    metric = "genre_macro_f1" if key == "genre" else "frames_micro_f1"
    return {
        "task": f"semeval2023-task3-{subtask}",
        "split": f"en train, {o.folds}-fold cross-validation by article",
        "articles": result["articles"],
        metric: result[metric],
        **({"genre_micro_f1": result["genre_micro_f1"]} if key == "genre" else {}),
        **({"frames_macro_f1": result["frames_macro_f1"]} if key == "frames" else {}),
        "per_label": result[key]["per_class"],
    }


def _framing_multilingual(o: Options, subtask: str) -> dict:
    """The shipped multilingual model: genre on --lang's dev (EN: the English shifted-mix split,
    held out of its training); frames on --lang's dev (EN: the recipe's 5-fold CV by article,
    which re-encodes every SemEval-2023 article unless --out holds cached vectors)."""
    import numpy as np

    from spinscope.analysis._multilingual import article_vectors
    from spinscope.analysis.framing import shipped_model_dir

    folder = semeval23_folder(o.data)
    fm = training_module("framing_multilingual")
    model = shipped_model_dir()
    card = json.loads((model / "card.json").read_text(encoding="utf-8"))
    with np.load(model / "framing.npz") as z:
        w = {k: z[k].astype(np.float64) for k in z.files}
    head = {"task": f"semeval2023-task3-{subtask}", "model": card["name"]}
    if subtask == "st2" and o.lang == "EN":
        from spinscope.analysis.feature_cache import load_cache

        with o.progress("Encoding SemEval-2023 articles") as update:
            data = fm.load_all(folder, load_cache(o.out), update)
        cv = fm.train_frames(data)
        return {**head, "split": "en train, 5-fold CV by article (other languages' train in "
                "every fold)", "frames_micro_f1": cv["en_cv_micro_f1"], "C": cv["C"]}  # fmt: skip
    split = "train" if o.lang == "EN" else "dev"
    ids, texts, gold = fm.split_data(folder, o.lang, split, 1 if subtask == "st1" else 2)
    if o.lang == "EN":
        keep = [k for k, i in enumerate(ids) if i in set(card["en_shifted_ids"])]
        ids, texts, gold = [ids[k] for k in keep], [texts[k] for k in keep], [gold[k] for k in keep]
    with o.progress(f"Encoding {len(texts)} articles") as update:
        vecs = article_vectors(texts)
        x = np.stack([v.article for v in vecs])
        update(len(texts), len(texts))
    where = "English shifted-mix split" if o.lang == "EN" else f"{o.lang} dev"
    if subtask == "st1":  # the head the analyser reads for this language (framing_genre)
        from spinscope.analysis.framing_genre import head_for

        p = [
            head_for(card, w, t, v, o.lang).probabilities()
            for t, v in zip(texts, vecs, strict=True)
        ]
        return {**head, "split": where, **fm.genre_scores(gold, np.stack(p))}
    f1 = fm.frames_f1(gold, fm.frame_probs(w, x), card["threshold"])
    return {**head, "split": where, "articles": len(ids), "frames_micro_f1": round(f1, 4)}


def semeval25_st1(o: Options) -> dict:
    """Entity roles on the given dev mentions of --lang: English with the shipped model, another
    language with a model trained on its own training mentions first."""
    folder = semeval25_folder(o.data)
    return training_module("entity_roles").evaluate(folder, o.lang)


def semeval25_st2(o: Options) -> dict:
    """Samples-F1 on sub-narratives (fine) and narratives (coarse) of the dev set of --lang."""
    import tempfile

    from spinscope.analysis.framing import shipped_model_dir

    folder = semeval25_folder(o.data)
    narratives = training_module("narratives")
    model = shipped_model_dir()
    card = json.loads((model / "narratives.json").read_text(encoding="utf-8"))
    shipped = o.lang in card.get("languages", ["EN"])
    if not shipped:
        model = Path(tempfile.mkdtemp(prefix="spinscope-narratives-"))
        narratives.train(folder, model, lang=o.lang)
    result = narratives.evaluate(folder, model, lang=o.lang)
    result["model"] = f"shipped ({card['name']})" if shipped else f"trained on {o.lang} train"
    return result


SEMEVAL23_LANGS = ("EN", "FR", "DE", "IT", "PL", "RU")
SEMEVAL25_LANGS = ("EN", "BG", "HI", "PT", "RU")
TAGGER = ("settings", "tagger")  # what the tasks that run the technique tagger read

TASKS: dict[str, Task] = {
    t.name: t
    for t in (
        Task("ptc", "SemEval-2020 T11 SI, TC and full task on a PTC split", ptc,
             takes=(*TAGGER, "split")),
        Task("semeval23-st1", "SemEval-2023 genre, English-only recipe, CV on en train",
             lambda o: _framing(o, "st1"), takes=("folds",)),
        Task("semeval23-st2", "SemEval-2023 frames, English-only recipe, CV on en train",
             lambda o: _framing(o, "st2"), takes=("folds",)),
        Task("semeval23-st1-ml", "SemEval-2023 genre, shipped multilingual model, --lang's dev "
             "(EN: shifted-mix split)", lambda o: _framing_multilingual(o, "st1"),
             SEMEVAL23_LANGS, takes=()),
        Task("semeval23-st2-ml", "SemEval-2023 frames, shipped multilingual model, --lang's dev "
             "(EN: 5-fold CV)", lambda o: _framing_multilingual(o, "st2"), SEMEVAL23_LANGS,
             takes=("out",)),
        Task("semeval23-st3", "SemEval-2023 techniques per paragraph (micro-F1) on --lang's dev",
             semeval23_st3, SEMEVAL23_LANGS, TAGGER),
        Task("semeval25-st1", "SemEval-2025 entity roles on --lang's dev", semeval25_st1,
             SEMEVAL25_LANGS, takes=()),
        Task("semeval25-st2", "SemEval-2025 narratives on --lang's dev", semeval25_st2,
             SEMEVAL25_LANGS, takes=()),
        Task("checkthat19", "CheckThat! 2019 T1 check-worthiness MAP",
             lambda o: _checkthat(o, "checkthat19")),
        Task("checkthat20", "CheckThat! 2020 T1 check-worthiness MAP",
             lambda o: _checkthat(o, "checkthat20")),
        Task("claimbuster", "ClaimBuster k-fold cross-validation (trains k models)", claimbuster,
             takes=("folds", "max_steps", "out")),
        Task("checkthat24", "CheckThat! 2024 T3 en dev half: paragraph micro-F1, span F1, ECE",
             checkthat24, takes=TAGGER),
        Task("semeval23-st3-paragraphs", "SemEval-2023 techniques per paragraph on --lang's dev, "
             "multilingual paragraph model", semeval23_st3_paragraphs, SEMEVAL23_LANGS),
        Task("checkthat24-paragraphs", "CheckThat! 2024 T3 en dev half: paragraph micro-F1 and "
             "ECE, multilingual paragraph model", checkthat24_paragraphs),
    )
}  # fmt: skip


def languages() -> tuple[str, ...]:
    """Every language some task takes, in table order."""
    return tuple(dict.fromkeys(lang for t in TASKS.values() for lang in t.langs))


def options() -> dict[str, tuple[tuple[str, ...], dict]]:
    """The options of ``spinscope eval``, in --help order: the flags and argparse keywords of each
    ``Options`` field that a user sets (``--lang`` from the table as it is now)."""
    langs = ", ".join(f"{name} {'/'.join(t.langs)}" for name, t in TASKS.items() if t.langs)
    return {
        "split": (("--split",), {"default": "dev", "choices": ("dev", "train"), "help": "ptc: the "
                  "PTC split (semeval23-st3 --lang EN always uses the PTC dev articles)"}),
        "data": (("--data",), {"type": Path, "default": None,
                 "help": "datasets folder (default: $SPINSCOPE_DATA or ../shared/data)"}),
        "folds": (("--folds",), {"type": int, "default": 5, "help": "claimbuster, "
                  "semeval23-st1/st2: cross-validation folds (trains k models)"}),
        "max_steps": (("--max-steps",), {"type": int, "default": None,
                      "help": "claimbuster: stop each fold early (smoke runs)"}),
        "out": (("--out",), {"type": Path, "default": None, "help": "claimbuster: keep the "
                "fold runs here; semeval23-st2-ml: cached article vectors"}),
        # any case: analyze and the settings write languages in lower case (en, fr)
        "lang": (("--lang",), {"default": "EN", "type": str.upper, "choices": languages(),
                 "help": "the language (any case), "
                 f"for the tasks that take one ({langs}). semeval23-st3: EN scores the PTC dev "
                 "articles in their 2023 form, another language its dev set. semeval25-st2 with "
                 "EN uses the shipped model; otherwise a model is trained on that language's "
                 "training set first, with English-centred features"}),
    }  # fmt: skip


def run_task(name: str, options: Options) -> dict:
    """Run the named task; a language it does not take (no ``langs``: English) is one line."""
    task = TASKS.get(name)
    if task is None:
        raise ConfigError(f"Unknown eval task {name!r}. Available: {', '.join(TASKS)}.")
    langs = task.langs or ("EN",)
    if options.lang not in langs:
        raise ConfigError(
            f"{name} has no language {options.lang!r}. Available: {', '.join(langs)}."
        )
    return shaped(task.run(options), name, options.lang)


def shaped(result: dict, name: str, lang: str) -> dict:
    """Every task's result with ``task`` first (``name`` where it gave none), then ``language``
    (its ``--lang``; EN where English-only): tasks said ``lang``, ``language`` or nothing."""
    rest = {k: v for k, v in result.items() if k not in ("task", "lang", "language")}
    return {"task": result.get("task", name), "language": lang, **rest}
