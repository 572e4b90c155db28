"""spaCy's attribute ruler, for the attributes the claims rules read (``pos_``, ``tag_``,
``dep_``), as dictionary look-ups: the same values in about a third of the ruler's time (its
Matcher tries 179 patterns at every token; this looks up the few a token can match).

spaCy's ruler matches every pattern on the parse as the tagger and parser left it, then sets the
attributes of each match in pattern order, so a later pattern overrides an earlier one: here each
token's value of an attribute is the one of the last pattern (by its place in the ruler) that
matches and sets it. Its lemmas and morphological features are not set: nothing reads them.
Patterns of a form this does not read (operators, regexes, other token attributes) make
``compile_rules`` return None, and the ruler runs as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SETS = ("POS", "TAG", "DEP")  # the attributes read (``token.pos_``, ``tag_``, ``dep_``)
KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # token attributes a pattern may test, indexed first

Predicate = dict[str, tuple[bool, frozenset[Any]]]  # attribute -> (IN, not NOT_IN; values)


class Rule:
    """One pattern of the ruler: its place (later wins), its tokens' predicates, the token it sets
    (``index`` into the match) and what it sets."""

    def __init__(self, order: int, tokens: list[Predicate], index: int, sets: dict[str, str]):
        self.order, self.tokens, self.index, self.sets = order, tokens, index, sets

    def matches(self, columns: dict[str, list[Any]], start: int) -> bool:
        """Whether the rule matches at token ``start`` (``columns``: each key's token values)."""
        if start + len(self.tokens) > len(columns["TAG"]):
            return False
        return all(
            (columns[key][start + k] in values) == inside
            for k, predicate in enumerate(self.tokens)
            for key, (inside, values) in predicate.items()
        )


def columns(tokens: Sequence[Token]) -> dict[str, list[Any]]:
    """Each key's value at each token."""
    return {
        "TAG": [t.tag_ for t in tokens],
        "LOWER": [t.lower_ for t in tokens],
        "DEP": [t.dep_ for t in tokens],
        "IS_SPACE": [t.is_space for t in tokens],
    }


class Rules:
    """The ruler's patterns that set ``SETS``, indexed by the first token's first tested key."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.index: dict[tuple[str, Any], list[Rule]] = {}
        for rule in rules:
            first = rule.tokens[0]
            key = next(k for k in KEYS if first.get(k, (False,))[0])
            for v in first[key][1]:
                self.index.setdefault((key, v), []).append(rule)
        self.keys = [k for k in KEYS if any(key == k for key, _ in self.index)]

    def apply(self, doc: Doc) -> None:
        """Set the attributes of ``doc``'s tokens as the ruler would."""
        found: dict[tuple[int, str], tuple[int, str]] = {}  # (token, attr) -> (order, value)
        tokens = list(doc)
        cols = columns(tokens)
        for i in range(len(tokens)):
            for key in self.keys:
                for rule in self.index.get((key, cols[key][i]), ()):
                    if not rule.matches(cols, i):
                        continue
                    target = i + (rule.index if rule.index >= 0 else len(rule.tokens) + rule.index)
                    for attr, v in rule.sets.items():
                        if found.get((target, attr), (-1, ""))[0] < rule.order:
                            found[target, attr] = (rule.order, v)
        for (i, attr), (_, v) in found.items():
            token = tokens[i]
            if attr == "POS":
                token.pos_ = v
            elif attr == "TAG":
                token.tag_ = v
            else:
                token.dep_ = v


def compile_rules(patterns: Iterable[dict[str, Any]]) -> Rules | None:
    """``Rules`` from an ``AttributeRuler.patterns`` list, or None where one that sets a read
    attribute has a form not read here."""
    rules = []
    for order, entry in enumerate(patterns):
        sets = {k.upper(): v for k, v in entry["attrs"].items() if k.upper() in SETS}
        if not sets:
            continue
        if not all(isinstance(v, str) for v in sets.values()):
            return None
        for pattern in entry["patterns"]:
            tokens = [t for t in map(_predicate, pattern) if t]
            if tokens and not any(inside for inside, _ in tokens[0].values()):
                return None  # nothing to look the first token up by
            if not pattern or len(tokens) != len(pattern):
                return None
            rules.append(Rule(order, tokens, int(entry["index"]), sets))
    return Rules(rules)


def _predicate(spec: dict[str, Any]) -> Predicate | None:
    out: Predicate = {}
    for key, want in spec.items():
        key = key.upper()
        if key not in KEYS:
            return None
        if isinstance(want, dict):
            if len(want) != 1 or next(iter(want)) not in ("IN", "NOT_IN"):
                return None
            out[key] = ("IN" in want, frozenset(next(iter(want.values()))))
        elif isinstance(want, str | bool) and (key == "IS_SPACE") == isinstance(want, bool):
            out[key] = (True, frozenset([want]))
        else:
            return None
    return out
