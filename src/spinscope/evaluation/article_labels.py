"""Official article-level metrics of SemEval-2023 Task 3 (ST1, ST2) and SemEval-2025 Task 10
(ST1, ST2), written from their published definitions.

Sources: the organisers' READMEs (``semeval2023-task3/README.organizers.md``: "Subtask 1 ...
macro-F1. The scorer also reports micro-F1"; "Subtask 2 ... micro-F1. The scorer also reports
macro-F1"; ``semeval2025-task10/README.organizers.md``: ST1 "EMR is the Exact Match Ratio on the
fine-grained roles which is the official evaluation metric", with micro P/R/F1 and main-role
accuracy; ST2 ``F1@coarse`` / ``F1@fine`` reported as "mean (std)") and the task papers
(Piskorski et al., SemEval 2023 and SemEval 2025, where ST2 is samples-averaged F1).

Common conventions for every function here:

- The gold ids define the evaluation set. **A gold id without a prediction counts as an empty
  prediction** (wrong); **predicted ids that are not in gold are ignored**. The official scorers
  refuse such files instead; this is lenient but never flatters a system.
- F1 of a class with no true positive is 0 (scikit-learn's ``zero_division=0``), also when the
  class has neither gold nor predicted items.
- Values are plain floats, not rounded.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping

from spinscope.corpora.semeval23_articles import FRAMES, GENRES
from spinscope.corpora.semeval25 import EntityMention, NarrativeLabels, Taxonomy


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp else 0.0
    r = tp / (tp + fn) if tp else 0.0
    return {"precision": p, "recall": r, "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0}


def _multilabel_counts(
    gold: Mapping[str, Iterable[str]], pred: Mapping[str, Iterable[str]], labels: Collection[str]
) -> tuple[Counter, Counter, Counter]:
    keep = set(labels)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for doc, g_labels in gold.items():
        g = set(g_labels) & keep
        p = set(pred.get(doc, ())) & keep
        tp.update(g & p)
        fp.update(p - g)
        fn.update(g - p)
    return tp, fp, fn


def genre_macro_f1(
    gold: Mapping[str, str], pred: Mapping[str, str], labels: Collection[str] = GENRES
) -> dict:
    """SemEval-2023 Task 3 ST1 (genre): macro-F1 over ``labels`` (official), micro-F1, per class.

    Single-label: each article has one gold genre and at most one predicted genre. A missing
    prediction is a false negative of the gold class only, so micro-F1 equals accuracy when every
    article has a prediction. Returns ``macro_f1``, ``micro_f1``, ``per_class`` (label ->
    precision/recall/f1/support), ``n`` and ``missing`` (gold ids without a prediction).
    """
    g = {doc: [label] for doc, label in gold.items()}
    p = {doc: [label] for doc, label in pred.items() if label is not None}
    result = _multilabel_scores(g, p, labels)
    result["missing"] = sum(doc not in pred or pred[doc] is None for doc in gold)
    return result


def _multilabel_scores(
    gold: Mapping[str, Iterable[str]], pred: Mapping[str, Iterable[str]], labels: Collection[str]
) -> dict:
    tp, fp, fn = _multilabel_counts(gold, pred, labels)
    per_class = {
        label: {**_prf(tp[label], fp[label], fn[label]), "support": tp[label] + fn[label]}
        for label in labels
    }
    micro = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {
        "macro_f1": sum(c["f1"] for c in per_class.values()) / max(len(per_class), 1),
        "micro_f1": micro["f1"],
        "micro_precision": micro["precision"],
        "micro_recall": micro["recall"],
        "per_class": per_class,
        "n": len(gold),
        "missing": sum(doc not in pred for doc in gold),
    }


def frames_micro_f1(
    gold: Mapping[str, Iterable[str]],
    pred: Mapping[str, Iterable[str]],
    labels: Collection[str] = FRAMES,
) -> dict:
    """SemEval-2023 Task 3 ST2 (framing): micro-F1 over (article, frame) pairs (official).

    Also macro-F1 (mean of the per-frame F1 over all ``labels``), micro P/R and per-frame scores.
    Labels outside ``labels`` are dropped from gold and predictions, as the official scorer's
    label binariser does. An article with an empty gold list contributes only false positives.
    """
    return _multilabel_scores(gold, pred, labels)


def samples_f1(
    gold: Mapping[str, Iterable[str]],
    pred: Mapping[str, Iterable[str]],
    labels: Collection[str] | None = None,
    empty_f1: float = 1.0,
) -> dict:
    """SemEval-2025 Task 10 ST2: F1 per article, then the mean and the standard deviation.

    Per article ``F1 = 2|G & P| / (|G| + |P|)`` on label sets. The organisers' README states only
    "F1 per article, averaged, with std" (printed as ``mean (std)``); it does not say how empty
    sets are handled, so this function fixes it: both sets empty gives ``empty_f1`` (1.0, a
    correct "nothing"); exactly one set empty gives 0. ``Other`` is an ordinary label (it is in
    both official label lists): predicting ``Other`` for an ``Other`` article scores 1, and
    ``Other`` next to real labels is simply one more label. With ``labels`` given, labels outside
    it are dropped from both sides first (the official scorer binarises with its class files).
    The standard deviation is the population one (numpy's default ``ddof=0``).
    """
    keep = None if labels is None else set(labels)
    scores = []
    for doc, g_labels in gold.items():
        g, p = set(g_labels), set(pred.get(doc, ()))
        if keep is not None:
            g, p = g & keep, p & keep
        if not g and not p:
            scores.append(empty_f1)
        else:
            scores.append(2 * len(g & p) / (len(g) + len(p)))
    n = len(scores)
    mean = sum(scores) / n if n else 0.0
    std = math.sqrt(sum((s - mean) ** 2 for s in scores) / n) if n else 0.0
    return {"f1": mean, "std": std, "n": n, "missing": sum(doc not in pred for doc in gold)}


def narrative_scores(
    gold: Mapping[str, NarrativeLabels],
    pred: Mapping[str, NarrativeLabels],
    taxonomy: Taxonomy | None = None,
) -> dict:
    """SemEval-2025 Task 10 ST2: ``fine`` (subnarratives, official ``F1@fine``) and ``coarse``
    (narratives, ``F1@coarse``) samples-F1, each a ``samples_f1`` result.

    With ``taxonomy``, labels are restricted to the official label lists (which lack 4
    subnarratives that occur in the training data); without it, every label string counts.
    """
    fine_labels = coarse_labels = None
    if taxonomy is not None:
        fine_labels, coarse_labels = taxonomy.subnarratives, taxonomy.narratives
    fine_gold = {d: x.subnarratives for d, x in gold.items()}
    coarse_gold = {d: x.narratives for d, x in gold.items()}
    fine_pred = {d: x.subnarratives for d, x in pred.items()}
    coarse_pred = {d: x.narratives for d, x in pred.items()}
    return {
        "fine": samples_f1(fine_gold, fine_pred, fine_labels),
        "coarse": samples_f1(coarse_gold, coarse_pred, coarse_labels),
    }


def entity_role_scores(
    gold: Iterable[EntityMention],
    pred: Mapping[tuple[str, int, int], tuple[str, Iterable[str]]],
) -> dict:
    """SemEval-2025 Task 10 ST1 (entity framing) scores.

    ``pred`` maps ``(doc_id, start, end_exclusive)`` -> ``(main_role, fine_roles)``. Returns
    ``emr`` (official: share of mentions whose predicted set of fine roles equals the gold set),
    ``main_role_accuracy``, and micro ``precision`` / ``recall`` / ``f1`` over (mention, fine
    role) pairs. A gold mention without a prediction counts as main role ``""`` with no fine
    roles; predictions for other keys are ignored. All gold mentions count, aligned or not.
    """
    n = exact = main_ok = tp = n_pred = n_gold = missing = 0
    for m in gold:
        key = (m.doc_id, m.start, m.end_exclusive)
        if key not in pred:
            missing += 1
        main, fine = pred.get(key, ("", ()))
        g, p = set(m.fine_roles), set(fine)
        n += 1
        exact += g == p
        main_ok += main == m.main_role
        tp += len(g & p)
        n_pred += len(p)
        n_gold += len(g)
    micro = _prf(tp, n_pred - tp, n_gold - tp)
    return {
        "emr": exact / n if n else 0.0,
        "main_role_accuracy": main_ok / n if n else 0.0,
        "precision": micro["precision"],
        "recall": micro["recall"],
        "f1": micro["f1"],
        "n": n,
        "missing": missing,
    }
