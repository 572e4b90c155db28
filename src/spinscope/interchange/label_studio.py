"""Label Studio: a tasks JSON (machine spans as ``predictions``, human ones as ``annotations``)
with its labelling config, and the corrected export read back."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from spinscope.errors import IngestError
from spinscope.interchange.annotated import RawDoc, Span, TaskDoc
from spinscope.model.taxonomy import LABELS

LS_FROM, LS_TO = "label", "text"  # the control and object tag names of the labelling config


# -- write ---------------------------------------------------------------------------------------


def write(docs: Iterable[TaskDoc], out: Path, taxonomy: str) -> int:
    """A Label Studio tasks JSON (machine spans as ``predictions``; for a document people
    annotated, its human spans as ``annotations``, an empty one where they kept no span) and,
    beside it, ``<name>.label-config.xml``, the labelling config whose tag names the regions
    use."""
    tasks = []
    for doc in docs:
        data = {"text": doc.text, "doc_id": doc.doc_id, "taxonomy": taxonomy, **doc.fields}
        task: dict[str, Any] = {"data": data, "meta": doc.meta}
        scores = [s.confidence for s in doc.machine if s.confidence is not None]
        task["predictions"] = [
            {
                "model_version": doc.model_version,
                "score": sum(scores) / len(scores) if scores else 0.0,
                "result": [ls_region(k, s) for k, s in enumerate(doc.machine)],
            }
        ]
        if doc.annotated:
            task["annotations"] = [{"result": [ls_region(k, s) for k, s in enumerate(doc.human)]}]
        tasks.append(task)
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    config_path(out).write_text(label_config(taxonomy))
    return len(tasks)


def config_path(out: Path) -> Path:
    """Where ``write`` puts the labelling config of the tasks file ``out``."""
    return out.with_name(f"{out.stem}.label-config.xml")


def ls_region(k: int, span: Span) -> dict[str, Any]:
    """One region; ``start``/``end`` are code points, as spinscope's offsets: Label Studio's
    ``<Text>`` counts them so too, not in UTF-16 units. Checked in label-studio 1.23.2's wheel,
    web/dist/apps/labelstudio/358.js (one line; its source map gives libs/editor/src/...):
    utils/selection-tools.js:569 ``charsToCodePoints`` ("for external usage js length should
    be converted to code points count") and :634 ``[...textContent].length`` (byte 65589 of
    358.js), tags/object/RichText/domManager.ts:448 ``[...text]`` (byte 672269),
    regions/RichTextRegion.js:87 (``serialize`` writes those offsets); and end to end: its
    editor highlighted these regions exactly and exported regions drawn in it the same way
    (BENCHMARKS.md, "Label Studio offsets")."""
    value = {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]}
    region: dict[str, Any] = {
        "id": f"s{k}", "from_name": LS_FROM, "to_name": LS_TO, "type": "labels"
    }  # fmt: skip
    region["value"] = value
    if span.confidence is not None:
        region["score"] = span.confidence
    return region


def label_config(taxonomy: str) -> str:
    """The Label Studio labelling config for a taxonomy's techniques."""
    labels = "\n".join(f"    <Label value={quoteattr(label)}/>" for label in LABELS[taxonomy])
    return (
        f'<View>\n  <Labels name="{LS_FROM}" toName="{LS_TO}">\n{labels}\n  </Labels>\n'
        f'  <Text name="{LS_TO}" value="$text"/>\n</View>\n'
    )


# -- read ----------------------------------------------------------------------------------------


def read(path: Path) -> list[RawDoc]:
    """A Label Studio JSON export: per task, the latest annotation that was not cancelled
    (``predictions`` are the machine's and are ignored). Tasks nobody annotated are skipped."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8-sig"))  # -sig: a BOM was refused
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(
            f"{path} is not a Label Studio JSON export ({exc}); export the project as JSON."
        ) from None
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise IngestError(f"{path} is not a Label Studio JSON export: expected a list of tasks.")
    raws = []
    for k, task in enumerate(tasks):
        where = f"{path} task {task.get('id', k)}"
        data = _shaped(task.get("data") or {}, dict, where, "data")
        text = data.get("text")
        if not isinstance(text, str):
            raise IngestError(f"{where} has no data.text; tasks need the document text.")
        annotations = _shaped(task.get("annotations") or [], list, where, "annotations")
        done = [
            a
            for a in annotations
            if not _shaped(a, dict, where, "an annotation").get("was_cancelled")
        ]
        if not done:
            continue
        latest = max(enumerate(done), key=lambda ia: (str(ia[1].get("updated_at", "")), ia[0]))
        regions = _shaped(latest[1].get("result") or [], list, where, "an annotation's result")
        spans = [s for r in regions for s in _ls_spans(text, r, where)]
        raws.append(RawDoc(text, spans, where, data.get("taxonomy")))  # where: file and task
    return raws


def _shaped(value: Any, kind: type, where: str, what: str) -> Any:
    """``value`` if it is a ``kind`` (list or dict), else one clear error: a hand-edited or
    foreign export must not end in a traceback."""
    if not isinstance(value, kind):
        shape = "a list" if kind is list else "a JSON object"
        raise IngestError(
            f"{where}: {what} is not {shape} ({type(value).__name__}); give the JSON export "
            "of a Label Studio project."
        )
    return value


def _ls_spans(text: str, region: Any, where: str) -> list[tuple[int, int, str, str]]:
    region = _shaped(region, dict, where, "a region")
    value = _shaped(region.get("value") or {}, dict, where, "a region's value")
    if region.get("type") != "labels" or "start" not in value:
        return []  # other controls (choices, text areas, relations) carry no technique span
    try:
        start, end = int(value["start"]), int(value["end"])
    except (KeyError, TypeError, ValueError, OverflowError):  # Overflow: Infinity
        raise IngestError(f"{where}: a region has no integer start/end.") from None
    cut = next((v for v in (value["start"], value["end"]) if isinstance(v, float) and v % 1), None)
    if cut is not None:  # int() cut 1.7 to 1 without a word; 3.0 is whole
        raise IngestError(
            f"{where}: a region's start or end ({cut}) is not a whole number of characters."
        )
    quoted = value.get("text")
    if isinstance(quoted, str) and text[start:end] != quoted:
        start, end = _from_utf16(text, start, end, quoted, where)
    labels = _shaped(value.get("labels") or [], list, where, "a region's labels")
    return [(start, end, str(label), where) for label in labels]


def _from_utf16(text: str, start: int, end: int, quoted: str, where: str) -> tuple[int, int]:
    """Offsets counted in UTF-16 units (JavaScript string indices) as code points; an error
    when the span's own text matches neither reading. Label Studio 1.23.2 counts code points
    (``ls_region``): this reads files that other tools or scripts wrote from JavaScript
    indices."""
    units, cp = 0, {}
    for i, ch in enumerate(text):
        cp[units] = i
        units += 2 if ord(ch) > 0xFFFF else 1
    cp[units] = len(text)
    a, b = cp.get(start), cp.get(end)
    if a is None or b is None or text[a:b] != quoted:
        raise IngestError(
            f"{where}: the region {start}-{end} does not cover its text {quoted[:40]!r}; "
            "the task text must be the exported one."
        )
    return a, b
