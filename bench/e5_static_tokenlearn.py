"""Fit static word-piece vectors to e5-onnx's title+lead vectors (issue 20; an experiment in the
spirit of tokenlearn, for bench/story_encoders.py ``m2v-e5-tl``).

The plain model2vec distillation (``bench/e5_static_distill.py``) runs each piece through e5 on
its own; this fits the pieces' vectors so that the mean of a text's pieces points where e5-onnx
(``query: `` prefix, mean-pooled) puts the text **after centring on its language's mean**, the
vectors that story clustering compares with ``--centre-all``:

- texts: every article of ../shared/data's SemEval-2023 Task 3 and SemEval-2025 Task 10 folders
  of ``stories_language_means.SOURCES`` except the story gold's (both halves), as ``lead_text``
  makes them (title + 40 words), plus ``--windows`` more per article (12 words as the title and
  the 40 after them, 52 words further into the text each time, as ``stories_speed.py --real``);
- targets: e5-onnx vectors minus e5-onnx's language mean (``--teacher-means``, from
  ``stories_language_means.py --encoder e5-onnx --out``), unit length; cached in
  ``OUT/teacher.npz``;
- student: the unweighted mean of the text's pieces' vectors (``EmbeddingBag``), initialised
  from ``OUT/m2v-e5-384`` minus the mean piece vector; loss 1 - cosine; SparseAdam; 5 % of the
  articles held out, the epoch with the lowest held-out loss kept (the story gold is not used);
- saved as ``OUT/m2v-e5-tl`` (``StaticModel``; pieces never seen keep their start vectors);
- ``--mode linear`` fits far fewer numbers instead: the start vectors stay, a weight a piece and
  one 384 x 384 map are fitted, then folded into the vectors (``OUT/m2v-e5-tl-linear``).

    python bench/e5_static_tokenlearn.py --out DIR --teacher-means FILE [--windows 3]
        [--epochs 8] [--lr 0.01] [--mode full|linear] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import glob
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))


def training_texts(data: Path, windows: int) -> tuple[list[str], list[str], list[int]]:
    """(texts, their languages, their article numbers), the story gold's articles left out."""
    from stories_gold_eval import read_gold
    from stories_language_means import SOURCES

    from spinscope.ingest.files import read_path
    from spinscope.store.stories import lead_text

    gold = {g.file_id.split("/")[-1] for g in read_gold()}
    texts, langs, article = [], [], []
    for lang, patterns in SOURCES.items():
        files = {}
        for pattern in patterns:
            for f in sorted(glob.glob(str(data / pattern / "*.txt"))):
                if Path(f).stem not in gold:
                    files.setdefault(Path(f).stem, f)
        for f in sorted(files.values()):
            doc = read_path(Path(f))
            words = doc.text.split()
            leads = [lead_text(doc.title, doc.text)]
            for k in range(1, windows + 1):
                at = 52 * k
                if at + 52 <= len(words):
                    leads.append(lead_text(" ".join(words[at : at + 12]),
                                           " ".join(words[at + 12 : at + 312])))  # fmt: skip
            texts += leads
            langs += [lang] * len(leads)
            article += [len(set(article))] * len(leads)
    return texts, langs, article


def teacher(out: Path, texts: list[str], langs: list[str], means_file: Path) -> np.ndarray:
    """Unit e5-onnx vectors centred on e5-onnx's language means (cached in out/teacher.npz)."""
    from stories_gold_eval import read_means
    from story_encoders import E5_DIMS, make_encoder

    import spinscope.store.story_space as space

    cache = out / "teacher.npz"
    if cache.exists():
        with np.load(cache) as z:
            if len(z["vecs"]) == len(texts):
                return z["vecs"]
    t0 = time.perf_counter()
    vecs = make_encoder("e5-onnx").encode(texts)
    print(f"teacher: {len(texts)} texts in {time.perf_counter() - t0:.0f} s", flush=True)
    vecs = space.centre(vecs, langs, read_means(means_file))[:, :E5_DIMS]
    vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    np.savez(cache, vecs=vecs.astype(np.float32))
    return vecs


def _bags(tokenizer, texts: list[str]):
    import torch

    ids = [e.ids or [0] for e in tokenizer.encode_batch(texts, add_special_tokens=False)]
    flat = torch.tensor([i for row in ids for i in row], dtype=torch.long)
    offsets = torch.tensor(np.cumsum([0] + [len(r) for r in ids[:-1]]), dtype=torch.long)
    return flat, offsets


class Linear:
    """``--mode linear``: the start vectors frozen, a weight a piece and one 384 x 384 map
    fitted (a text = map(sum of weight x vector / pieces)); ``weight`` folds them back."""

    def __init__(self, start: np.ndarray) -> None:
        import torch

        self.bag = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(start), mode="sum")
        self.scale = torch.nn.Embedding(len(start), 1, sparse=True)
        torch.nn.init.ones_(self.scale.weight)
        self.map = torch.nn.Parameter(torch.eye(start.shape[1]))

    def __call__(self, flat, offsets):
        import torch

        w = self.scale(flat).squeeze(1)
        counts = torch.diff(torch.cat([offsets, torch.tensor([len(flat)])])).clamp(min=1)
        return (self.bag(flat, offsets, per_sample_weights=w) / counts[:, None]) @ self.map

    def optimisers(self, lr: float) -> list:
        import torch

        return [torch.optim.SparseAdam(self.scale.parameters(), lr=lr),
                torch.optim.Adam([self.map], lr=lr / 10)]  # fmt: skip

    @property
    def weight(self):
        return (self.bag.weight * self.scale.weight) @ self.map


class Full:
    """``--mode full``: every piece's vector fitted (SparseAdam)."""

    def __init__(self, start: np.ndarray) -> None:
        import torch

        self.bag = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(start), freeze=False,
                                                         mode="mean", sparse=True)  # fmt: skip

    def __call__(self, flat, offsets):
        return self.bag(flat, offsets)

    def optimisers(self, lr: float) -> list:
        import torch

        return [torch.optim.SparseAdam(self.bag.parameters(), lr=lr)]

    @property
    def weight(self):
        return self.bag.weight


def fit(start: np.ndarray, tokenizer, texts, targets, held: set[int], article, a) -> np.ndarray:
    """Token vectors fitted on cosine loss; the best held-out epoch's."""
    import torch

    torch.manual_seed(0)
    bag = Linear(start) if a.mode == "linear" else Full(start)
    opts = bag.optimisers(a.lr)
    train = [i for i in range(len(texts)) if article[i] not in held]
    val = [i for i in range(len(texts)) if article[i] in held]
    y = torch.tensor(targets)

    def loss_of(idx):
        flat, offsets = _bags(tokenizer, [texts[i] for i in idx])
        pred = bag(flat, offsets)
        return 1 - torch.nn.functional.cosine_similarity(pred, y[idx]).mean()

    best, best_w = float("inf"), start
    rng = random.Random(0)
    for epoch in range(a.epochs + 1):
        if epoch:
            rng.shuffle(train)
            for s in range(0, len(train), a.batch):
                for opt in opts:
                    opt.zero_grad()
                loss_of(train[s : s + a.batch]).backward()
                for opt in opts:
                    opt.step()
        with torch.no_grad():
            v = float(loss_of(val))
        print(f"epoch {epoch}: held-out loss {v:.4f}", flush=True)
        if v < best:
            with torch.no_grad():
                best, best_w = v, bag.weight.detach().numpy().copy()
    return best_w


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--teacher-means", required=True)
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--mode", choices=("full", "linear"), default="full")
    a = ap.parse_args(argv)
    from model2vec import StaticModel

    out = Path(a.out)
    texts, langs, article = training_texts(Path(a.data), a.windows)
    print(f"{len(texts)} texts of {len(set(article))} articles", flush=True)
    targets = teacher(out, texts, langs, Path(a.teacher_means))
    model = StaticModel.from_pretrained(out / "m2v-e5-384")
    start = np.asarray(model.embedding, dtype=np.float32)
    start = start - start.mean(axis=0)
    held = set(random.Random(1).sample(sorted(set(article)), len(set(article)) // 20))
    model.embedding = fit(start, model.tokenizer, texts, targets, held, article, a)
    name = "m2v-e5-tl" if a.mode == "full" else "m2v-e5-tl-linear"
    model.save_pretrained(str(out / name))
    print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
