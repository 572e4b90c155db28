"""Persuasion-technique spans in two taxonomies from one MiniLM encoder pass (ONNX, no torch).

The shipped model lives in ``spinscope/models/techniques/``: ``tagger.int8.onnx`` (encoder plus
token head, outputs per-word-piece channel scores and hidden vectors), ``span_heads.npz``,
``tokenizer.json`` and ``card.json`` (its model card). See ``spinscope.analysis.spans`` for how
scores become spans.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinscope.analysis import calibration, encoder, span_geometry
from spinscope.analysis.base import FromSettings, model_file, read_card
from spinscope.analysis.calibration import Calibration
from spinscope.analysis.explain import evidence_clause
from spinscope.analysis.spans import (
    CHANNELS,
    TAXONOMY_LABELS,
    Decoding,
    NumpySpanHeads,
    RawSpan,
    TextLabeller,
    TokenScores,
    classify,
    decode_labelled,
    decode_si,
)
from spinscope.errors import ConfigError, ModelError
from spinscope.model.definitions import explain
from spinscope.model.document import Document, Finding
from spinscope.model.taxonomy import category
from spinscope.settings import comma_list, label_thresholds, named_settings, optional, setting_args

if TYPE_CHECKING:
    from tokenizers import Tokenizer

NAME = "techniques"
SPAN_CLASSIFIER = "span_classifier.int8.onnx"
SPAN_LABELLERS = ("classifier", "heads")
VERSION = "techniques.span_tagger.v1"


def shipped_model_dir() -> Path:
    return Path(str(resources.files("spinscope") / "models" / "techniques"))


def accurate_model_dir() -> Path:
    """Where ``spinscope build-accurate`` puts the accurate tagger: ``$SPINSCOPE_HOME`` or
    ``~/.local/share/spinscope``, then ``techniques-accurate``."""
    root = os.environ.get("SPINSCOPE_HOME") or Path.home() / ".local" / "share" / "spinscope"
    return Path(root) / "techniques-accurate"


def built_accurate_dir() -> Path:
    """The accurate tagger's folder, or one line saying how to build it."""
    folder = accurate_model_dir()
    if not (folder / "tagger.int8.onnx").exists() or not (folder / "card.json").exists():
        raise ModelError(  # a missing model: exit 3, as the other model errors
            f"The accurate tagger is not built in {folder}: pip install 'spinscope[accurate]', "
            "then run `spinscope build-accurate`."
        )
    return folder


class TechniqueTagger(FromSettings):
    """Finds technique spans; ``analyze(docs)`` returns one list of findings per document."""

    name = NAME
    version = VERSION
    # the shipped tagger learnt from English articles only: the pipeline keeps its spans only in
    # paragraphs detected as English (analysis.language)
    languages: tuple[str, ...] = ("en",)
    SETTING_ARGS = named_settings(
        ("techniques.model_dir", optional),
        "techniques.variant",
        ("techniques.taxonomies", comma_list),
        "techniques.threshold",
        "techniques.decoder",
        "techniques.batch_size",
        "techniques.span_labeller",
        "techniques.min_confidence",
        "techniques.label_min_confidence",
        "techniques.precision_floor",
        "techniques.below_floor",
    )

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> TechniqueTagger:
        """As ``FromSettings``; ``techniques.model = accurate`` (without a ``model_dir``) reads
        the built accurate tagger."""
        args = setting_args(settings, cls.SETTING_ARGS)
        if not args["model_dir"] and settings["techniques.model"] == "accurate":
            args["model_dir"] = built_accurate_dir()
        return cls(**args)

    def __init__(
        self,
        *,
        model_dir: str | Path | None = None,
        variant: str = "int8",
        taxonomies: Sequence[str] = ("semeval2023", "ptc2020"),
        threshold: float = 0.5,
        decoder: str = "hybrid",
        batch_size: int = 16,
        span_labeller: str = "classifier",
        calibrated: bool = True,
        min_confidence: float = 0.0,
        label_min_confidence: str | dict[str, float] = "",
        precision_floor: float = 0.1,
        below_floor: str = "tentative",
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir else shipped_model_dir()
        self.calibrated = calibrated
        self.min_confidence = min_confidence
        self.label_min_confidence = label_thresholds(label_min_confidence)
        self.precision_floor = precision_floor
        if below_floor not in ("tentative", "hide"):
            raise ConfigError(f"Unknown below_floor {below_floor!r}. Available: hide, tentative.")
        self.below_floor = below_floor
        self.variant = variant
        self.taxonomies = tuple(taxonomies)
        self.threshold = threshold
        self.decoder = decoder
        self.batch_size = batch_size
        if span_labeller not in SPAN_LABELLERS:
            raise ConfigError(
                f"Unknown span labeller {span_labeller!r}. Available: {', '.join(SPAN_LABELLERS)}."
            )
        self.span_labeller = span_labeller
        unknown = [t for t in self.taxonomies if t not in TAXONOMY_LABELS]
        if not self.taxonomies:  # every finding was dropped, and the reports said none was found
            raise ConfigError(
                "Setting techniques.taxonomies names no taxonomy; give one or both of "
                f"{', '.join(TAXONOMY_LABELS)}."
            )
        if unknown:
            raise ConfigError(
                f"Unknown taxonomy {unknown[0]!r}. Available: {', '.join(TAXONOMY_LABELS)}."
            )

    # -- model files, loaded once on first use --------------------------------------------
    @cached_property
    def card(self) -> dict[str, Any]:
        card = read_card(self.model_dir / "card.json", "technique", "techniques")
        # another model's folder has a card.json too (framing, check-worthiness): name the
        # tagger it lacks, not the span heads (whose advice, decoder=channels, then failed)
        model_file(self.model_dir / f"tagger.{self.variant}.onnx", "technique", "techniques")
        return card

    @cached_property
    def calibration(self) -> dict[str, Calibration]:
        """Per taxonomy, the calibration fitted for these settings (span labeller, decoder,
        threshold, variant); none when the model has none or the settings differ, and the
        confidences are then the raw scores (the provenance says which)."""
        if not self.calibrated:
            return {}
        found = calibration.load(str(self.model_dir)) or {}
        wanted = {"span_labeller": self.span_labeller, "decoder": self.decoder,
                  "threshold": self.threshold, "variant": self.variant}  # fmt: skip
        return {
            tax: cal for tax, cal in found.items()
            if all(cal.meta.get(k) == v for k, v in wanted.items())
        }  # fmt: skip

    @cached_property
    def _session(self) -> Any:  # an onnxruntime.InferenceSession (onnxruntime has no stubs)
        return encoder.session(str(self.model_dir / f"tagger.{self.variant}.onnx"))

    @cached_property
    def _tokenizer(self) -> Tokenizer:
        return encoder.load_tokenizer(str(self.model_dir / "tokenizer.json"))

    @property
    def decoding(self) -> Decoding:
        """The card's decoding choices (made on dev) with the user's threshold."""
        chosen = self.card.get("decoding", {})
        return Decoding(
            threshold=self.threshold,
            si_source=chosen.get("si_source", "any"),
            max_gap=int(chosen.get("max_gap", 0)),
            min_tokens=int(chosen.get("min_tokens", 1)),
            second_label_ratio=float(chosen.get("second_label_ratio", 1.0)),
        )

    @property
    def channel_weight(self) -> float:
        """How much the token channels count when labelling a given span (chosen on dev)."""
        return float(self.card.get("tc_channel_weight", 0.0))

    @cached_property
    def span_head(self) -> NumpySpanHeads:
        path = self.model_dir / "span_heads.npz"
        if not path.exists():
            if self.model_dir != shipped_model_dir():
                raise ModelError(
                    f"{self.model_dir} has no span heads: use --set techniques.decoder=channels."
                )
            raise ModelError(f"Span heads {path} are missing; reinstall spinscope or retrain.")
        with np.load(path) as data:
            return NumpySpanHeads({k: data[k].astype(np.float32) for k in data.files})

    @cached_property
    def labeller(self) -> NumpySpanHeads | TextLabeller:
        """What names a span's techniques: the span classifier (its own encoder pass over the
        span in its sentence; better TC on dev) where the model folder has one and the setting
        asks for it, else the span heads over the tagger's hidden states."""
        folder = self.labeller_dir
        if self.span_labeller == "classifier" and (folder / SPAN_CLASSIFIER).exists():
            from spinscope.analysis.span_classifier import SpanClassifier

            return TextLabeller(SpanClassifier(folder, batch_size=self.batch_size * 2))
        return self.span_head

    @property
    def labeller_dir(self) -> Path:
        """Where the span classifier is: the model's folder, or the shipped one for a model
        whose card says it names its spans with the shipped classifier (the accurate tagger)."""
        if not (self.model_dir / "card.json").exists():
            return self.model_dir
        return shipped_model_dir() if self.card.get("labeller") == "shipped" else self.model_dir

    @cached_property
    def labeller_sha256(self) -> str | None:
        if self.decoder != "channels" and isinstance(self.labeller, TextLabeller):
            return encoder.model_sha256(self.labeller_dir / SPAN_CLASSIFIER)
        return None

    @cached_property
    def model_sha256(self) -> str | None:
        """Checksum of the ONNX file in use (hashed once per process: it is 23 MB)."""
        path = self.model_dir / f"tagger.{self.variant}.onnx"
        return encoder.model_sha256(path) if path.exists() else None

    def provenance(self) -> dict[str, Any]:
        return {
            "analyzer": self.name,
            "version": self.version,
            "model": self.card.get("name", "unknown"),
            "model_version": self.card.get("version", "unknown"),
            "model_sha256": self.model_sha256,
            "variant": self.variant,
            "span_classifier_sha256": self.labeller_sha256,
            "shared_weights_sha256": encoder.checksums(
                self.model_dir, "../shared/word_embeddings.npy"
            ).get("../shared/word_embeddings.npy"),
            "calibration_sha256": encoder.checksums(self.model_dir, "calibration.json").get(
                "calibration.json"
            ),
            "settings": {
                "span_labeller": "classifier" if self.labeller_sha256 else "heads",
                "taxonomies": list(self.taxonomies),
                "threshold": self.threshold,
                "decoder": self.decoder,
                "tc_channel_weight": self.channel_weight,
                "decoding": asdict(self.decoding),
            },
            "calibrated": sorted(self.calibration),
            "reliability": {
                tax: {label: [r.precision, r.recall] for label, r in cal.reliability.items()}
                for tax, cal in sorted(self.calibration.items())
            },
        }

    # -- inference ------------------------------------------------------------------------
    def scores(self, texts: Sequence[str], *, hidden: bool = True) -> list[TokenScores]:
        """Per-word-piece channel scores and hidden vectors for each text.

        ``hidden=False`` keeps no hidden vectors (``TokenScores.hidden`` has 0 columns): only
        the span heads read them, and for a long text they are most of the memory (1.5 KB a
        word piece, 400 MB for a 1,000,000-character text).
        """
        if isinstance(texts, str):
            raise TypeError("scores() expects a list of texts, got one string.")
        card = self.card  # first, so that a missing model is named by its card
        encs = [encoder.encode(self._tokenizer, t) for t in texts]
        outputs = self._run_windows(texts, encs, card, hidden=hidden)
        return [
            self._merge(t, enc, outputs.get(k, []))
            for k, (t, enc) in enumerate(zip(texts, encs, strict=True))
        ]

    def _run_windows(
        self,
        texts: Sequence[str],
        encs: list[encoder.Encoded],
        card: dict[str, Any],
        *,
        hidden: bool = True,
    ) -> dict[int, list[tuple[encoder.Window, np.ndarray, np.ndarray]]]:
        """Encoder outputs of every window of every text, batched across texts:
        ``{text index: [(window, probs rows, hidden rows), ...]}`` (copies, so that a batch's
        arrays are freed with it; hidden rows with 0 columns where ``hidden`` is False)."""
        window, stride = card.get("window", 256), card.get("stride", 192)
        by_sentence = card.get("windowing", "fixed") == "sentences"
        jobs = [
            (k, w)
            for k, (text, enc) in enumerate(zip(texts, encs, strict=True))
            for w in span_geometry.text_windows(text, enc, window, stride, by_sentence=by_sentence)
        ]
        lengths = [w.hi - w.lo + 2 for _, w in jobs]  # similar lengths together: little padding
        outputs: dict[int, list[tuple[encoder.Window, np.ndarray, np.ndarray]]] = {}
        for rows in encoder.length_batches(lengths, self.batch_size):
            chunk = [jobs[r] for r in rows]
            ids, mask = _batch(encs, chunk, card.get("special_ids"))
            probs, states = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            if not hidden:
                states = states[:, :, :0]
            for row, (k, w) in enumerate(chunk):
                n = w.hi - w.lo
                window_rows = (probs[row, 1 : n + 1].copy(), states[row, 1 : n + 1].copy())
                outputs.setdefault(k, []).append((w, *window_rows))
        return outputs

    def _merge(
        self,
        text: str,
        enc: encoder.Encoded,
        parts: list[tuple[encoder.Window, np.ndarray, np.ndarray]],
    ) -> TokenScores:
        """One text's window outputs put back onto its word pieces."""
        if not parts:
            hidden_size = int(self.card.get("hidden_size", 384))
            empty = np.zeros((0, len(CHANNELS)), np.float32)
            return TokenScores(text, enc, empty, np.zeros((0, hidden_size), np.float32))
        parts = sorted(parts, key=lambda p: p[0].lo)
        wins, n = [p[0] for p in parts], len(enc.ids)
        probs = span_geometry.merge_windows([p[1] for p in parts], wins, n)
        return TokenScores(
            text, enc, probs, span_geometry.merge_windows([p[2] for p in parts], wins, n)
        )

    def spans(self, scores: TokenScores, taxonomy: str) -> list[RawSpan]:
        """Technique spans of one taxonomy, with the configured decoder."""
        # the channels decoder names no span, so a model without span heads can use it
        head = None if self.decoder == "channels" else self.labeller
        return decode_labelled(
            scores, taxonomy, self.decoding, self.decoder, head, channel_weight=self.channel_weight
        )

    @staticmethod
    def _precision(cal: Calibration | None, label: str) -> float | None:
        """The label's held-out precision (0 where it was never predicted there); None without
        a calibration."""
        if cal is None:
            return None
        found = cal.reliability.get(label)
        return found.precision or 0.0 if found else 0.0

    def classify_spans(
        self, scores: TokenScores, spans: list[tuple[int, int]], taxonomy: str
    ) -> np.ndarray:
        """Technique probabilities for given spans (the TC task)."""
        return classify(scores, spans, self.labeller, taxonomy, channel_weight=self.channel_weight)

    def analyze(self, docs: Sequence[Document]) -> list[list[Finding]]:
        if isinstance(docs, Document):
            raise TypeError("analyze() expects a list of Documents, got one Document.")
        results = []
        self.card  # noqa: B018 -- first, so that a missing model is named by its card
        channels_only = self.decoder == "channels"
        # a labeller that reads the text, not the hidden vectors, needs no hidden vectors
        by_text = channels_only or isinstance(self.labeller, TextLabeller)
        all_scores = self.scores([d.text for d in docs], hidden=not by_text)
        labeller = None if channels_only else self.labeller
        if isinstance(labeller, TextLabeller) and self.decoder in ("si+head", "hybrid"):
            labeller.prefetch(
                [
                    (sc.text, [(s.start, s.end) for s in decode_si(sc, self.decoding)])
                    for sc in all_scores
                ]  # fmt: skip
            )
        for doc, sc in zip(docs, all_scores, strict=True):
            findings = []
            for taxonomy in self.taxonomies:
                cal = self.calibration.get(taxonomy)
                for s in self.spans(sc, taxonomy):
                    text = doc.text[s.start : s.end]
                    raw = float(s.confidence)
                    conf = round(cal.confidence(s.label, raw) if cal else raw, 4)
                    if conf < self.label_min_confidence.get(s.label, self.min_confidence):
                        continue
                    precision = self._precision(cal, s.label)
                    tentative = precision is not None and precision < self.precision_floor
                    if tentative and self.below_floor == "hide":
                        continue
                    findings.append(
                        Finding(
                            start=s.start,
                            end=s.end,
                            text=text,
                            label=s.label,
                            taxonomy=taxonomy,
                            category=category(taxonomy, s.label),
                            confidence=conf,
                            explanation=explain(
                                taxonomy,
                                s.label,
                                text,
                                conf,
                                calibrated=cal is not None,
                                evidence=evidence_clause(sc, s.start, s.end, taxonomy, s.label),
                            )
                            + (_tentative_note(precision) if tentative else ""),
                            analyzer=self.name,
                            tentative=tentative,
                        )
                    )
            findings.sort(key=lambda f: (f.start, f.end, f.taxonomy, f.label))
            results.append(findings)
        return results


def _tentative_note(precision: float | None) -> str:
    if not precision:
        return " Tentative: this technique was not found correctly on the held-out articles."
    return (
        f" Tentative: this technique's findings were right {precision:.0%} of the time on "
        "held-out articles."
    )


def _batch(
    encs: list[encoder.Encoded],
    chunk: list[tuple[int, encoder.Window]],
    special_ids: dict[str, int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``input_ids`` and ``attention_mask`` for windows of several texts; ``special_ids`` (the
    card's ``cls``, ``sep`` and ``pad``) for an encoder whose vocabulary is not BERT's."""
    max_len = max(w.hi - w.lo for _, w in chunk) + 2
    pad = (special_ids or {}).get("pad", encoder.PAD_ID)
    ids = np.full((len(chunk), max_len), pad, dtype=np.int64)
    mask = np.zeros((len(chunk), max_len), dtype=np.int64)
    for row, (k, w) in enumerate(chunk):
        one_ids, one_mask = encoder.batch_inputs(encs[k], [w], special_ids)
        ids[row, : one_ids.shape[1]] = one_ids[0]
        mask[row, : one_mask.shape[1]] = one_mask[0]
    return ids, mask
