"""Import -> export -> import is the identity for each annotation format, on the texts that
break offsets: characters outside the BMP (emoji, flags, mathematical letters), CRLF and lone CR
line ends, other line separators, spans at the very end of the text, overlapping spans of two
techniques and one span with two labels."""

import json

import pytest

from spinscope.interchange.annotated import read_annotations
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.model.taxonomy import category
from spinscope.store import Store
from spinscope.store.annotations import store_human_findings
from spinscope.store.exports import export

T = "semeval2023"
# text -> (quoted span, label); each quote's first occurrence is the span
EMOJI = (
    "Hey \U0001f642\U0001f642 you \U0001d401old traitors! \U0001f1fa\U0001f1f8 Vote now\U0001f642"
)
HARD = {
    EMOJI: [
        ("traitors", "Name_Calling-Labeling"),
        ("\U0001d401old traitors", "Loaded_Language"),  # overlaps the one before
        ("Vote now\U0001f642", "Slogans"),  # ends the text, on an emoji
    ],
    "Line one is fine.\r\nThey will destroy us\r\nall. The \U0001f468\u200d\U0001f469 end": [
        ("They will destroy us\r\nall", "Appeal_to_Fear-Prejudice"),
        ("destroy", "Loaded_Language"),
        ("\U0001f468\u200d\U0001f469 end", "Slogans"),
    ],
    "Old mac\rtext with CR\rhere\u2028and\x85there ok": [
        ("text with CR\rhere", "Doubt"),
        ("here\u2028and\x85there ok", "Slogans"),
    ],
    "Ends with a slogan: Make it great": [
        ("Make it great", "Slogans"),
        ("Make it great", "Flag_Waving"),  # the same span, a second technique
        ("great", "Loaded_Language"),
    ],
}
OUT = {"label-studio": "tasks.json", "brat": "brat", "inception": "xmi"}


def _results() -> list[AnalysisResult]:
    out = []
    for k, (text, spans) in enumerate(HARD.items()):
        found = []
        for quoted, label in spans:
            s = text.index(quoted)
            found.append(Finding(s, s + len(quoted), quoted, label, T, category(T, label), 0.5,
                                 "because", "techniques"))  # fmt: skip
        out.append(AnalysisResult(Document(text, f"Hard {k}", {"source": f"hard{k}.txt"}), found))
    return out


def _accepted(path):
    """Label Studio: a person accepts every prediction as it is."""
    tasks = json.loads(path.read_text(encoding="utf-8"))
    for task in tasks:
        task["annotations"] = [{"result": task["predictions"][0]["result"]}]
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")


def _spans(docs) -> set[tuple[str, int, int, str]]:
    return {(d.text, s.start, s.end, s.label) for d in docs for s in d.spans}


@pytest.mark.parametrize("fmt", list(OUT))
def test_import_export_import_is_the_identity(tmp_path, fmt):
    with Store(tmp_path / "hard.duckdb") as store:
        store.write(_results())
        first, again = tmp_path / "1" / OUT[fmt], tmp_path / "2" / OUT[fmt]
        first.parent.mkdir(), again.parent.mkdir()
        export(store, fmt, first, taxonomy=T)
        if fmt == "label-studio":
            _accepted(first)
        read = read_annotations(first, fmt)
        assert store_human_findings(store, read, analyzer=fmt) == (len(HARD), [])
        export(store, fmt, again, taxonomy=T)
        reread = read_annotations(again, fmt)
        bad = store.query(
            "SELECT count(*) FROM findings f JOIN documents d USING (doc_id) "
            'WHERE substr(d.text, f.start + 1, f."end" - f.start) <> f.text'
        )
    assert _spans(reread) == _spans(read) and bad == [(0,)]
    stored = {(t, t.index(q), t.index(q) + len(q), lab) for t, sp in HARD.items() for q, lab in sp}
    assert _spans(read) == stored  # and nothing was lost on the way out either
