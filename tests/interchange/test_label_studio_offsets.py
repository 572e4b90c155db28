"""Label Studio counts a text region's ``start``/``end`` in code points, as Python does, not in
UTF-16 units (JavaScript string indices): pinned with what Label Studio 1.23.2 itself showed and
exported for a text with characters outside the BMP before and inside spans (checked
2026-12-08 in its editor in headless Chromium; see BENCHMARKS.md, "Label Studio offsets")."""

import json

from spinscope.interchange.annotated import Span, TaskDoc
from spinscope.interchange.label_studio import read, write

# three characters outside the BMP: U+1F642 before every span, U+1F389 and U+1D400 (a bold
# math A) inside the second span and before "residents"
TEXT = "Rally \U0001f642 today: a shameful betrayal \U0001f389 of \U0001d400ll residents, they say."


def span(quoted: str, label: str) -> Span:
    start = TEXT.index(quoted)
    return Span(start, start + len(quoted), quoted, label, 0.9)


def test_write_gives_the_offsets_label_studio_highlights(tmp_path):
    # imported into Label Studio 1.23.2, these regions highlighted exactly "shameful betrayal"
    # and "🎉 of 𝐀ll residents"; UTF-16 offsets would have been 18-35 and 36-55
    spans = [span("shameful betrayal", "Loaded_Language"),
             span("\U0001f389 of \U0001d400ll residents", "Doubt")]  # fmt: skip
    doc = TaskDoc("d1", TEXT, {}, {}, spans, spans, "m1", True)
    out = tmp_path / "tasks.json"
    write([doc], out, "semeval2023")
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    for key in ("predictions", "annotations"):
        values = [r["value"] for r in task[key][0]["result"]]
        assert [(v["start"], v["end"]) for v in values] == [(17, 34), (35, 53)]


def test_read_takes_regions_drawn_in_label_studio(tmp_path):
    # the regions a person drew over "today" and "residents" in Label Studio 1.23.2's editor,
    # as its JSON export gave them (code points; UTF-16 would be 9-14 and 47-56); without
    # "text" (a config with saveTextResult="no") nothing could tell the two readings apart
    regions = [
        {"type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 8, "end": 13, "labels": ["Slogans"]}},
        {"type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 44, "end": 53, "text": "residents", "labels": ["Repetition"]}},
    ]  # fmt: skip
    path = tmp_path / "export.json"
    task = {"id": 1, "data": {"text": TEXT}, "annotations": [{"id": 1, "result": regions}]}
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    (raw,) = read(path)
    assert [(TEXT[a:b], label) for a, b, label, _ in raw.spans] == [
        ("today", "Slogans"), ("residents", "Repetition"),
    ]  # fmt: skip
