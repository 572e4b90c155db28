"""The multilingual tagger's data side (``training.techniques_multilingual``): the SemEval-2023
articles of each language, the channels an article trains, its token windows and their batches."""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from spinscope.analysis import encoder, span_geometry
from spinscope.analysis.spans import CHANNELS
from spinscope.corpora.ptc import Article, add_semeval23_layer, load_ptc, read_articles, read_labels
from spinscope.model.taxonomy import PTC2020, SEMEVAL2023
from spinscope.training.techniques_data import bucket_by_length, token_labels

if TYPE_CHECKING:
    from spinscope.training.techniques_multilingual import MultiConfig


LANGUAGES = ("fr", "ge", "it", "po", "ru")  # SemEval-2023 folders besides en (PTC covers en)


SE23_CHANNELS = np.array([c.startswith(f"{SEMEVAL2023}:") for c in CHANNELS])


def load_semeval23(root: Path, lang: str, split: str) -> list[Article]:
    """SemEval-2023 ST3 articles of one language and split with their technique spans."""
    folder = Path(root) / lang
    texts = read_articles(folder / f"{split}-articles-subtask-3")
    span_dir = folder / f"{split}-labels-subtask-3-spans"
    out = []
    for art_id, text in texts.items():
        path = span_dir / f"article{art_id}-labels-subtask-3.txt"
        spans = read_labels(path).get(art_id, []) if path.exists() else []
        out.append(Article(f"{lang}{art_id}", text, {SEMEVAL2023: spans}))
    return out


def load_data(data: Path) -> tuple[list[Article], dict[str, list[Article]]]:
    """Training articles (PTC train with the English 2023 layer; FR/DE/IT/PL/RU train) and the
    dev sets by name (PTC dev; each language's 2023 dev)."""
    data = Path(data)
    se23 = data / "semeval2023-task3"
    train = load_ptc(data / "ptc-semeval2020-task11", "train")
    add_semeval23_layer(train, se23 / "en")
    dev = {"ptc": load_ptc(data / "ptc-semeval2020-task11", "dev")}
    for lang in LANGUAGES:
        train += load_semeval23(se23, lang, "train")
        dev[lang] = load_semeval23(se23, lang, "dev")
    return train, dev


def channel_mask(art: Article) -> np.ndarray:
    mask = np.zeros(len(CHANNELS), dtype=np.float32)
    if PTC2020 in art.spans:
        mask[~SE23_CHANNELS] = 1
    if SEMEVAL2023 in art.spans:
        mask[SE23_CHANNELS] = 1
    return mask


def build_windows(articles: list[Article], tokenizer, cfg: MultiConfig) -> list[tuple]:
    """(ids, token labels, channel mask) per sentence window."""
    out = []
    for art in articles:
        enc = encoder.encode(tokenizer, art.text)
        if len(enc.ids) == 0:
            continue
        labels, mask = token_labels(enc, art), channel_mask(art)
        for w in span_geometry.text_windows(
            art.text, enc, cfg.window, cfg.stride, by_sentence=True
        ):
            out.append((enc.ids[w.lo : w.hi], labels[w.lo : w.hi], mask))
    return out


class _Lengths:
    """Adapter so ``techniques.bucket_by_length`` can read window lengths."""

    def __init__(self, windows: list[tuple]) -> None:
        self.windows = windows

    def __getitem__(self, i: int):
        return type("W", (), {"ids": self.windows[i][0]})


def collate(batch: list[tuple], bos: int, eos: int, pad: int):
    import torch

    n = max(len(ids) for ids, _, _ in batch) + 2
    ids = torch.full((len(batch), n), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    labels = torch.zeros((len(batch), n, len(CHANNELS)))
    channels = torch.zeros((len(batch), len(CHANNELS)))
    for r, (piece_ids, lab, ch) in enumerate(batch):
        k = len(piece_ids)
        ids[r, 0], ids[r, k + 1] = bos, eos
        ids[r, 1 : k + 1] = torch.from_numpy(piece_ids)
        mask[r, : k + 2] = 1
        labels[r, 1 : k + 1] = torch.from_numpy(lab)
        channels[r] = torch.from_numpy(ch)
    return ids, mask, labels, channels


def epoch_order(n: int, epoch: int, cfg: MultiConfig, windows: list[tuple]) -> list[int]:
    rng = random.Random(cfg.seed * 1000 + epoch)
    order = list(range(n))
    rng.shuffle(order)
    return bucket_by_length(order, _Lengths(windows), cfg.batch_size, rng)


def _cached_windows(path: Path, articles: list[Article], tokenizer, cfg: MultiConfig) -> list:
    """The training windows, cached beside the checkpoints (a resume skips ~2 minutes of
    tokenising); the cache is used only for the same encoder, window and articles."""
    import pickle

    key = (cfg.encoder, cfg.window, cfg.stride, len(articles), sum(len(a.text) for a in articles))
    if path.exists():
        with open(path, "rb") as fh:
            cached = pickle.load(fh)
        if cached["key"] == key:
            return cached["windows"]
    windows = build_windows(articles, tokenizer, cfg)
    with open(path, "wb") as fh:
        pickle.dump({"key": key, "windows": windows}, fh)
    return windows
