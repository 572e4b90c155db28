"""Why a technique span fits, from the evidence itself: the words the tagger scored highest for
the technique inside the span, and for most techniques a cue named in the text (the national
group a flag-waving span appeals to, the absolute an exaggeration uses, the question a doubt
span asks, how often a repeated phrase recurs). Templates only; every clause quotes the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spinscope.analysis import span_geometry
from spinscope.analysis.spans import CHANNELS, TokenScores
from spinscope.model.definitions import quote

# technique (both taxonomies' names) -> (cue pattern, what the cue shows)
_CUES: list[tuple[tuple[str, ...], str, str]] = [
    (
        ("Flag-Waving", "Flag_Waving"),
        r"nations?|national|country|countr(?:y|ies)|patriot\w*|homeland|motherland|fatherland|"
        r"our (?:people|land|flag|values|soldiers|troops|children|town|city)|flag|"
        r"americans?|america|british|britain|russians?|russia|ukrainians?|chinese|europeans?",
        "it appeals to a group the reader belongs to",
    ),
    (
        ("Exaggeration,Minimisation", "Exaggeration-Minimisation"),
        r"never|always|all|every\w*|nothing|nobody|entire(?:ly)?|whole|total(?:ly)?|completely|"
        r"absolutely|most|worst|best|greatest|biggest|\w+est|only|mere(?:ly)?|just",
        "it uses an absolute or a superlative",
    ),
    (
        ("Doubt",),
        r"really|so-called|supposed(?:ly)?|alleged(?:ly)?|claims?|questionable|dubious",
        "it questions credibility",
    ),
    (
        ("Appeal_to_fear-prejudice", "Appeal_to_Fear-Prejudice"),
        r"threat\w*|danger\w*|destroy\w*|chaos|disaster\w*|fear\w*|terror\w*|crisis|collapse\w*|"
        r"die|death|kill\w*|invasion|invade\w*|catastroph\w*|ruin\w*|attack\w*",
        "it raises a threat",
    ),
    (
        ("Causal_Oversimplification", "Consequential_Oversimplification"),
        r"because|caus\w*|the reason|due to|blame\w*|responsible|leads? to|will lead",
        "it names a single cause or consequence",
    ),
    (
        ("Appeal_to_Authority",),
        r"experts?|scientists?|stud(?:y|ies)|professor|doctors?|according to|officials?|research",
        "it leans on an authority",
    ),
    (
        ("Bandwagon,Reductio_ad_hitlerum", "Appeal_to_Popularity"),
        r"everyone|everybody|most people|millions|the majority|all of us|nobody",
        "it appeals to what everyone supposedly thinks",
    ),
    (
        ("Black-and-White_Fallacy", "False_Dilemma-No_Choice"),
        r"either|or else|only (?:two|one)|no other|no choice|no alternative|the only",
        "it offers only two options",
    ),
    (
        ("Thought-terminating_Cliches", "Conversation_Killer"),
        r"that'?s it|enough|period|end of (?:story|discussion)|it is what it is|make no mistake",
        "it shuts down further thought",
    ),
    (
        ("Whataboutism,Straw_Men,Red_Herring", "Whataboutism", "Straw_Man", "Red_Herring"),
        r"what about|yet they|while they|but they|so-called",
        "it turns to something else",
    ),
    (("Slogans",), r"stand with|\w+ first|make \w+ great", "it is a short, punchy phrase"),
]
_PUNCT = {"Doubt": r"\?", "Slogans": "!"}  # punctuation cues (no word boundaries around them)
CUES = {
    label: (re.compile(rf"(?i)(?<!\w)(?:{pattern})(?!\w)|{_PUNCT.get(labels[0], '(?!)')}"), why)
    for labels, pattern, why in _CUES
    for label in labels
}
REPETITION = ("Repetition",)
# words too common to be said to carry a technique
STOP = set(
    "a an the and or but of to in on at by for with from as is are was were be been being it its "
    "this that these those their they them his her he she we our us you your i my me not no so "
    "will would can could has have had do does did there here who which what when where how all "
    "than then into over about up out".split()
)


def carrying_words(
    scores: TokenScores, start: int, end: int, channel: str, k: int = 3
) -> list[str]:
    """Up to ``k`` words of the span that the tagger scored highest for ``channel`` (at least
    half the span's top score), in text order."""
    if channel not in CHANNELS:
        return []
    rng = span_geometry.token_range(scores.enc.offsets, start, end)
    if rng is None:
        return []
    col = CHANNELS.index(channel)
    words: dict[tuple[int, int], float] = {}
    for i in range(*rng):
        a, b = (int(x) for x in scores.enc.offsets[i])
        span = span_geometry.snap_span(scores.text, max(a, start), min(b, end))
        if span and scores.text[span[0] : span[1]].lower() not in STOP:
            words[span] = max(words.get(span, 0.0), float(scores.probs[i, col]))
    if not words:
        return []
    top = max(words.values())
    best = sorted(words, key=lambda w: -words[w])[:k]
    return [scores.text[a:b] for a, b in sorted(best) if words[(a, b)] >= top / 2]


def why(label: str, span_text: str, text: str, count: Callable[[str], int] | None = None) -> str:
    """A clause on why the technique fits this span, quoting what shows it, or ''.
    ``count`` is ``text.lower().count``, or the same from an index, where the caller has one (a
    long text's many findings then lower and read the text once)."""
    if label in REPETITION:
        count = text.lower().count if count is None else count
        n = count(span_text.strip().lower())  # non-overlapping matches, as re.findall
        return f"the phrase occurs {n} times in the text" if n > 1 else ""
    cue = CUES.get(label)
    if cue is None:
        return ""
    found = list(dict.fromkeys(m.group(0) for m in cue[0].finditer(span_text)))[:3]
    if not found:
        return ""
    shown = ", ".join(f'"{quote(w, 40)}"' for w in found)
    return f"{cue[1]} ({shown})"


def evidence_clause(scores: TokenScores, start: int, end: int, taxonomy: str, label: str) -> str:
    """ " Here it ...; carried most by "x", "y"." for a finding's explanation, or ''."""
    span_text = scores.text[start:end]
    parts = []
    reason = why(label, span_text, scores.text, scores.lower_counts.count)
    if reason:
        parts.append(f"Here {reason}")
    words = carrying_words(scores, start, end, f"{taxonomy}:{label}")
    if words and len(words) < len(span_text.split()):
        parts.append("carried most by " + ", ".join(f'"{quote(w, 40)}"' for w in words))
    if not parts:
        return ""
    clause = "; ".join(parts)
    return " " + clause[0].upper() + clause[1:] + "."


__all__ = ["CUES", "carrying_words", "evidence_clause", "why"]
