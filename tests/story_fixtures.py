"""Hand-built stories for the story tests: documents about two events (a dam collapse in English
and Russian, a rate rise) from three outlets, with techniques in the author's and a quoted
voice, figures that differ between outlets, quoted speakers, frames and one undated document.

``KeywordEncoder`` stands in for the multilingual encoder: a text's vector is one axis per event
word it contains, so the tests control which documents are similar."""

from __future__ import annotations

import numpy as np

from spinscope.model.claim import Attribution, Claim, Figure, Mention, Quantity
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.model.labels import ArticleLabel, Evidence
from spinscope.model.language import Language

AXES = ("dam", "плотин", "rate", "ставк", "football")


class KeywordEncoder:
    """One axis per event word (English and Russian words of one event share an axis)."""

    calls = 0

    def encode(self, texts):
        KeywordEncoder.calls += len(texts)
        out = np.zeros((len(texts), 512), dtype=np.float32)
        for k, t in enumerate(texts):
            low = t.lower()
            for a, word in enumerate(AXES):
                if word in low:
                    out[k, a // 2 if a < 4 else 2] += 1.0
            out[k, 10 + k % 7] += 0.2  # a little noise so vectors differ
        return out


def mention(text: str, part: str) -> Mention:
    start = text.index(part)
    return Mention(start, start + len(part), part)


def result(text: str, title: str, outlet: str | None, day: str | None, lang: str = "en",
           figures: tuple = (), speaker: str | None = None, quoted: str | None = None,
           authored: str | None = None, frame: str | None = None) -> AnalysisResult:  # fmt: skip
    """A stored-looking result: ``figures`` are (quantity text, value, about) found in the text;
    ``quoted``/``authored`` are spans given a Loaded_Language finding in that voice."""
    meta = {"outlet": outlet} if outlet else {}
    if day:
        meta["date"] = day
    findings = []
    for part, voice in ((authored, None), (quoted, "quote")):
        if part:
            m = mention(text, part)
            findings.append(Finding(m.start, m.end, part, "Loaded_Language", "semeval2023",
                                    "Justification", 0.8, "", "techniques",
                                    voice=voice))  # fmt: skip
    claims = []
    if figures or speaker:
        figs = [Figure(Quantity(**{**mention(text, q).__dict__, "value": v, "kind": "count"}),
                       "level", None, None, mention(text, about) if about else None)
                for q, v, about in figures]  # fmt: skip
        who = mention(text, speaker) if speaker else None
        attribution = Attribution("named", speaker=who) if who else Attribution("author")
        claims.append(Claim(0, len(text), text, 0.9, figs, [], attribution))
    labels = []
    if frame:
        labels.append(ArticleLabel("frame", frame, 0.7, [Evidence(0, 5, text[:5], 1.0)]))
    doc = Document(text, title, meta, Language(lang, 0.99))
    ran = [{"analyzer": name} for name in ("techniques", "claims", "framing")]  # as batch records
    return AnalysisResult(doc, findings, claims, labels, models=ran)


DAM_EN = ("The dam on the river collapsed overnight and 40 villages were flooded, officials "
          "said. Mayor Ivan Petrenko said the damage was catastrophic.")  # fmt: skip
DAM_RU = ("Плотина на реке разрушена ночью, затоплены 25 villages, сообщили власти. "
          "Ужасная катастрофа.")  # fmt: skip
DAM_EN2 = "Rescue teams reached flooded villages after the dam broke. 40 villages are under water."
RATE = "The central bank raised its key rate to 16 percent on Friday, the governor said."
FOOTBALL = "The football club won the cup on penalties."


def story_results() -> list[AnalysisResult]:
    return [
        result(DAM_EN, "Dam collapses", "Wire", "2024-06-06",
               figures=(("40", 40.0, "villages"),), speaker="Ivan Petrenko",
               quoted="catastrophic", frame="Security_and_defense"),
        result(DAM_RU, "Плотина разрушена", "Pravda-like", "2024-06-07", lang="ru",
               figures=(("25", 25.0, "villages"),), authored="Ужасная катастрофа"),
        result(DAM_EN2, "Dam: rescue", "Wire", "2024-06-08",
               figures=(("40", 40.0, "villages"),)),
        result(RATE, "Rates up", "Wire", "2024-06-07", speaker="the governor"),
        result(FOOTBALL, "Cup final", None, None),
    ]  # fmt: skip
