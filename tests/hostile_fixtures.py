"""Hostile input for the reader, batch and CLI tests of issue #16: the JSONL lines that used to
end a corpus run, hypothesis strategies that mix them with valid and garbage lines, and a stand-in
pipeline that analyses in microseconds (numpy offsets included, as real analysers give them)."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import strategies as st

from spinscope.model.document import AnalysisResult, Document, Finding

ARTICLE = "The minister said the plan would save every family money, and critics were wrong."

# The lines of issue #16 that killed `spinscope batch` with a traceback, by name.
TRIGGERS = {
    "lone surrogate": '{"text": "A report \\ud800 on the budget, said the minister."}',
    "5000-digit integer": '{"text": "A report on the budget.", "n": ' + "9" * 5000 + "}",
    "bad IPv6 URL with text": '{"text": "A report on the budget.", "url": "http://[::1"}',
    "bad IPv6 URL with html": (
        '{"html": "<html><body><article><p>The minister said the plan would save every family '
        'money, and critics were wrong about it.</p></article></body></html>", '
        '"url": "http://[::1"}'
    ),
    "100k-deep array": "[" * 100_000 + "]" * 100_000,
}


def article(k: int) -> str:
    """A distinct small news text."""
    return f"Report {k}: {ARTICLE} The council of town {k} agreed on Monday."


def valid_line(k: int) -> str:
    return json.dumps({"text": article(k), "outlet": f"Outlet {k % 3}"})


# -- hypothesis strategies ------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
_meta = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
_urls = st.sampled_from(
    ["http://[::1", "http://[::1]:99999/", "https://news.example/a", "", "not a url", "http://xn--/",
     "javascript:alert(1)", "http://\udfff/"]
) | st.text(max_size=30)  # fmt: skip
_texts = st.one_of(
    st.text(max_size=80),  # may hold lone surrogates, control characters, only blanks
    st.just(ARTICLE),
    st.builds(lambda a, b: a + ARTICLE + b, st.text(max_size=10), st.text(max_size=10)),
)


@st.composite
def records(draw) -> dict:
    """A JSON object: mostly article-like (text or html, url, title, extra fields), some not."""
    out: dict = {}
    body = draw(st.sampled_from(["text", "html", "both", "neither"]))
    if body in ("text", "both"):
        out["text"] = draw(_texts | _scalars)
    if body in ("html", "both"):
        text = draw(_texts)
        out["html"] = draw(st.sampled_from([f"<html><body><p>{text}</p></body></html>", text, ""]))
    if draw(st.booleans()):
        out["url"] = draw(_urls | _scalars)
    if draw(st.booleans()):
        out["title"] = draw(_texts | _scalars)
    out.update(draw(st.dictionaries(st.text(max_size=6), _meta, max_size=3)))
    return out


def _deep(depth: int, brackets: str) -> str:
    return brackets[0] * depth + brackets[1] * depth


def _huge_int(digits: int) -> str:
    return '{"text": "A report on the budget.", "n": ' + "7" * digits + "}"


def _utf8_ok(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


jsonl_lines = st.one_of(
    st.builds(lambda r: json.dumps(r, ensure_ascii=True), records()),  # "\\ud800" escapes stay
    st.builds(lambda r: json.dumps(r, ensure_ascii=False), records()),  # raw text, raw surrogates
    st.sampled_from(sorted(TRIGGERS.values())),
    st.builds(_deep, st.integers(1, 3000), st.sampled_from(["[]", "{}"])),
    st.builds(_huge_int, st.integers(4000, 6000)),
    st.sampled_from(
        [
            '{"text": NaN}',
            '{"text": "a", "x": 1e999}',
            "{oops",
            "[1, 2]",
            "null",
            '"s"',
            '{"text": "\\udc80 half"}',
            '{"text": "\\ud83d\\ude00 a pair is fine"}',
        ]
    ),  # fmt: skip
    st.text(max_size=40),  # garbage, control characters, raw surrogates
    st.binary(max_size=40).map(lambda b: b.decode("utf-8", "surrogateescape")),  # bad bytes
)


def line_bytes(line: str) -> bytes:
    """A generated line as one line of a file: line breaks inside it become spaces, and a raw
    surrogate becomes the invalid byte it stands for (or "?" where it stands for none)."""
    line = line.replace("\n", " ").replace("\r", " ")
    try:
        return line.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return line.encode("utf-8", "replace")


# -- a fast stand-in for the analysis pipeline ---------------------------------------------------


class StubPipeline:
    """Pipeline(settings).run(docs), in microseconds: one finding on the first word, with numpy
    offsets and confidence (as the real analysers produce them). A text containing "BOOM" makes
    the whole call raise, as a crashing analyser would."""

    def __init__(self, settings=None, analyzers=None) -> None:
        self.settings = settings

    @classmethod
    def for_settings(cls, settings):
        return cls(settings)

    def run(self, docs):
        if isinstance(docs, Document):
            raise TypeError("expects a list")
        if any("BOOM" in d.text for d in docs):
            raise RuntimeError("analyser exploded")
        out = []
        for d in docs:
            end = max(1, min(len(d.text), d.text.find(" ") if " " in d.text else len(d.text)))
            finding = Finding(
                start=np.int64(0), end=np.int64(end), text=d.text[:end], label="Loaded_Language",
                taxonomy="semeval2023", category="x", confidence=np.float32(0.5),
                explanation="stub", analyzer="stub",
            )  # fmt: skip
            out.append(AnalysisResult(doc=d, findings=[finding]))
        return out
