"""Genre and frames, new (multilingual features, all six languages) against old (English
model2vec features, English train), on the same splits: FR/DE/IT/PL/RU dev and the English
shifted-mix split (genre), the five dev sets and English 5-fold CV (frames).

    PYTHONPATH=src python bench/framing_multilingual.py --data ../shared/data --cache /tmp/feats
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from spinscope.analysis.feature_cache import load_cache
from spinscope.analysis.framing import shipped_model_dir
from spinscope.analysis.framing_vectors import article_vectors as old_vectors
from spinscope.model.jsonable import dumps
from spinscope.training import framing as old
from spinscope.training import framing_multilingual as fm


def old_scores(root: Path, data: dict) -> dict:
    with np.load(shipped_model_dir() / "framing.npz") as z:
        w = {k: z[k].astype(np.float64) for k in z.files}
    out: dict = {"genre_dev": {}, "frames_dev": {}}
    for lang in fm.DEV_LANGS:
        _, texts, gold = fm.split_data(root, lang, "dev", 1)
        x = np.stack([v.article for v in old_vectors(texts)])
        out["genre_dev"][lang] = fm.genre_scores(gold, fm.genre_probs(w, x))["macro_f1"]
        _, texts, gold = fm.split_data(root, lang, "dev", 2)
        x = np.stack([v.article for v in old_vectors(texts)])
        out["frames_dev"][lang] = round(fm.frames_f1(gold, fm.frame_probs(w, x), 0.5), 4)
    # the old recipe refitted on English train without the shifted split, scored on it
    ids, texts, gold = fm.split_data(root, "EN", "train", 1)
    held = fm.en_shifted_ids(ids, gold)
    fids, _, fgold = fm.split_data(root, "EN", "train", 2)
    frames = dict(zip(fids, fgold, strict=True))
    keep = [k for k, i in enumerate(ids) if i not in held and i in frames]
    test = [k for k, i in enumerate(ids) if i in held]
    x = np.stack([v.article for v in old_vectors(texts)])
    w2 = old.fit(x[keep], [gold[k] for k in keep], [frames[ids[k]] for k in keep])
    out["genre_en_shifted"] = fm.genre_scores([gold[k] for k in test], fm.genre_probs(w2, x[test]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--old", action="store_true")
    a = ap.parse_args()
    root = a.data / "semeval2023-task3"
    data = fm.load_all(root, load_cache(a.cache))
    genre = fm.train_genre(data)
    frames = fm.train_frames(data)
    new = {
        "genre": {k: v for k, v in genre.items() if k not in ("weights", "en_shifted_ids")},
        "frames": {k: v for k, v in frames.items() if k != "weights"},
    }
    print(dumps({"new": new, **({"old": old_scores(root, data)} if a.old else {})}, indent=1))


if __name__ == "__main__":
    main()
