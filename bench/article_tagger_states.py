"""Experiment: are the technique tagger's contextual hidden states better article features than
the mean of the model2vec sentence vectors? The tagger runs over every article in
`spinscope analyze` anyway, so its states would cost nothing at run time. Features per article:
the shipped mean vector, the mean of the tagger's last hidden states over all word pieces
(unit length), or both side by side.

Genre (macro-F1) and frames (micro-F1): 5-fold CV on the 433 English SemEval-2023 training
articles, mean over 5 fold seeds, the shipped recipes (frames C=4, threshold 0.5; genre softmax,
class-balanced) at several C. Narratives: the shipped recipe's 5-fold CV on the 399 English
SemEval-2025 training articles (thresholds chosen inside, by fine samples-F1); English dev is
scored once for the best CV configuration.

    python bench/article_tagger_states.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from _tagger_cache import tagger_rows

from spinscope.analysis.framing_vectors import article_vectors
from spinscope.evaluation.article_labels import frames_micro_f1, genre_macro_f1, narrative_scores
from spinscope.training import framing, narratives


def mean_state(sc) -> np.ndarray:
    """The tagger's last hidden states averaged over the text's word pieces, unit length."""
    h = sc.hidden.astype(np.float64)
    m = h.mean(0) if len(h) else np.zeros(h.shape[1])
    return m / max(np.linalg.norm(m), 1e-12)


def tagger_means(texts: list[str], cache: Path) -> np.ndarray:
    return np.asarray(tagger_rows(texts, cache, mean_state))


def feature_sets(mean: np.ndarray, tag: np.ndarray) -> dict[str, np.ndarray]:
    both = np.hstack([mean, tag]) / np.sqrt(2)
    return {"mean vector (shipped)": mean, "tagger states": tag, "both": both}


def framing_cv(x, ids, genres, frames, genre_c, frame_c, seed):
    framing.GENRE_C, framing.C = genre_c, frame_c
    pg, pf = {}, {}
    for held, w in framing.fold_fits(x, ids, genres, frames, 5, seed):
        g, f = framing.predict(w, x[held])
        pg.update({ids[k]: v for k, v in zip(held, g, strict=True)})
        pf.update({ids[k]: v for k, v in zip(held, f, strict=True)})
    return (
        genre_macro_f1({i: genres[i] for i in ids}, pg)["macro_f1"],
        frames_micro_f1({i: frames[i] for i in ids}, pf)["micro_f1"],
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    cache = Path("runs/article_tagger_states")

    ids, texts, genres, frames = framing.dataset(args.data / "semeval2023-task3")
    mean = np.stack([v.article for v in article_vectors(texts)])
    tag = tagger_means(texts, cache / "semeval23")
    print("SemEval-2023 genre macro-F1 / frames micro-F1, 5-fold CV, mean of 5 fold seeds")
    for name, x in feature_sets(mean, tag).items():
        for c in (4.0, 16.0, 64.0, 256.0):
            r = np.array([framing_cv(x, ids, genres, frames, c, c, s) for s in range(5)])
            print(f"  {name:22s} C={c:<6} genre {r[:, 0].mean():.3f}  frames {r[:, 1].mean():.3f}")

    root = args.data / "semeval2025-task10"
    nids, ntexts, by_id = narratives.dataset(root, "EN", "train")
    labels = [by_id[i] for i in nids]
    nmean = np.stack([v.article for v in article_vectors(ntexts)])
    ntag = tagger_means(ntexts, cache / "semeval25-train")
    did, dtexts, dlab = narratives.dataset(root, "EN", "dev")
    dsets = feature_sets(
        np.stack([v.article for v in article_vectors(dtexts)]),
        tagger_means(dtexts, cache / "semeval25-dev"),
    )
    print("SemEval-2025 narratives, 5-fold CV on EN train (fine / coarse samples-F1)")
    best = None
    for name, x in feature_sets(nmean, ntag).items():
        for c in (4.0, 16.0, 64.0):
            narratives.C = c
            ch = narratives.choose_threshold(x, labels)
            print(f"  {name:22s} C={c:<5} CV {ch['cv_fine_f1']:.3f} / {ch['cv_coarse_f1']:.3f}")
            if best is None or ch["cv_fine_f1"] > best[0]:
                best = (ch["cv_fine_f1"], name, c, ch)
    _, name, c, ch = best
    narratives.C = c
    model = narratives.fit_model(feature_sets(nmean, ntag)[name], labels)
    t = (ch["gate_threshold"], ch["threshold"], ch["subnarrative_threshold"])
    pred = dict(zip(did, narratives.predict_sets(model, dsets[name], t, texts=dtexts), strict=True))
    sc = narrative_scores({i: dlab[i] for i in did}, pred)
    print(f"dev, best CV ({name}, C={c}, thresholds {t}): "
          f"fine {sc['fine']['f1']:.4f} coarse {sc['coarse']['f1']:.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
