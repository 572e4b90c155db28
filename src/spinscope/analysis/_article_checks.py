"""Is this a news article at all? Simple, explainable checks for the two kinds of text the
article-level models most often see by mistake, verse and recipes (issue 15): the genre, frame,
narrative and role models learnt from news only, so on such a text they must say "not sure"
with the reason, never give a confident genre.

Each check counts things a reader can verify in the text:

- **verse**: the share of the text's non-empty lines that are short (at most ``SHORT_LINE_WORDS``
  words) and do not end a sentence (no final ``.``, ``!``, ``?``, ``"``, ``:``), and the share of
  its words that stand in short lines: verse breaks its lines by metre, mid-sentence, so nearly
  all its words are in short lines; news breaks them by paragraph, and even a news text with
  headings or a list between its paragraphs has most of its words in long lines;
- **recipe**: lines that are ingredient quantities ("200 g flour", "2 tbsp olive oil",
  "1/2 cup sugar") and sentences that start with a cooking verb in the imperative ("Preheat the
  oven", "Stir in the cream").

The thresholds were derived from news only: they sit above the largest value on the SemEval-2023
subtask 1 training articles of all six languages, and the false-fire rate was then measured on
held-out news (the dev articles of every language); ``bench/article_checks.py`` prints both, and
BENCHMARKS.md holds the numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SHORT_LINE_WORDS = 8
# verse: at least this many non-empty lines, at least this share of them short and open, and at
# least this share of the words in short lines
VERSE_MIN_LINES = 6
VERSE_MIN_SHARE = 0.6
VERSE_MIN_WORD_SHARE = 0.6
# recipe: at least this many ingredient lines, or this many imperative cooking sentences, and
# together at least this share of the lines
RECIPE_MIN_INGREDIENTS = 3
RECIPE_MIN_STEPS = 3
RECIPE_MIN_SHARE = 0.3

_CLOSED = re.compile(r"""[.!?:;"»”'’)\]…]\s*$""")
_NUMBER = r"(?:\d+(?:[.,/]\d+)?|\d+\s+\d/\d|[½¼¾⅓⅔⅛])"
_UNIT = (
    r"(?:g|gr|grams?|kg|mg|ml|cl|dl|l|litres?|liters?|oz|ounces?|lbs?|pounds?|cups?|"
    r"tbsps?|tsps?|tablespoons?|teaspoons?|tbs|pinch(?:es)?|cloves?|sticks?|cans?|tins?|"
    r"slices?|handfuls?|bunch(?:es)?|sprigs?|dash(?:es)?|knobs?)"
)
_INGREDIENT = re.compile(
    rf"^\s*(?:[-•*–]\s*)?{_NUMBER}\s*(?:-\s*{_NUMBER}\s*)?(?:{_UNIT}\.?\b|x\b|large\b|medium\b|"
    rf"small\b|eggs?\b)",
    re.IGNORECASE,
)
_COOKING_VERBS = (
    "preheat|heat|stir|whisk|mix|combine|add|bake|boil|simmer|fry|saute|sauté|roast|grill|"
    "chop|dice|slice|peel|grate|knead|fold|pour|drain|season|sprinkle|serve|garnish|beat|"
    "cream|melt|grease|line|transfer|cover|chill|marinate|toss|blend|puree|purée|spread|"
    "brush|bring|reduce|cook|place|put|remove|set|leave|let|cut|rinse|soak|whip|sift|roll"
)
_STEP = re.compile(
    rf"^\s*(?:(?:step\s*)?\d+[.)]?\s*)?(?:{_COOKING_VERBS})\b", re.IGNORECASE
)
_COOKING_OBJECTS = re.compile(
    r"\b(?:oven|pan|saucepan|bowl|tray|dish|skillet|pot|heat|minutes?|mins?|until)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class TextShape:
    """What the checks count in one text."""

    lines: int  # non-empty lines
    open_short_lines: int  # short lines that do not end a sentence
    words: int
    short_line_words: int  # words in short lines
    ingredient_lines: int
    cooking_steps: int  # sentences starting with a cooking verb and naming a pan, oven, time...

    @property
    def verse_share(self) -> float:
        return self.open_short_lines / self.lines if self.lines else 0.0

    @property
    def short_word_share(self) -> float:
        return self.short_line_words / self.words if self.words else 0.0

    @property
    def recipe_share(self) -> float:
        return (self.ingredient_lines + self.cooking_steps) / self.lines if self.lines else 0.0


def shape(text: str) -> TextShape:
    """Count the text's lines, its short open lines, its ingredient lines and cooking steps."""
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    counts = [len(x.split()) for x in lines]
    short = [n <= SHORT_LINE_WORDS for n in counts]
    open_short = sum(s and not _CLOSED.search(x) for s, x in zip(short, lines, strict=True))
    short_words = sum(n for n, s in zip(counts, short, strict=True) if s)
    ingredients = sum(bool(_INGREDIENT.match(x)) for x in lines)
    sentences = [s for x in lines for s in _SENTENCE_END.split(x) if s.strip()]
    steps = sum(bool(_STEP.match(s)) and bool(_COOKING_OBJECTS.search(s)) for s in sentences)
    return TextShape(len(lines), open_short, sum(counts), short_words, ingredients, steps)


def looks_like_verse(s: TextShape) -> bool:
    return (
        s.lines >= VERSE_MIN_LINES
        and s.verse_share >= VERSE_MIN_SHARE
        and s.short_word_share >= VERSE_MIN_WORD_SHARE
    )


def looks_like_recipe(s: TextShape) -> bool:
    enough = s.ingredient_lines >= RECIPE_MIN_INGREDIENTS or s.cooking_steps >= RECIPE_MIN_STEPS
    return enough and s.recipe_share >= RECIPE_MIN_SHARE


def not_news(text: str) -> str | None:
    """Why ``text`` does not look like a news article (one sentence), or None where it may be
    one."""
    s = shape(text)
    if looks_like_recipe(s):
        return (
            f"the text looks like a recipe, not a news article: {s.ingredient_lines} of its "
            f"{s.lines} lines are ingredient quantities and {s.cooking_steps} sentences are "
            "cooking steps"
        )
    if looks_like_verse(s):
        return (
            f"the text looks like verse, not a news article: {s.open_short_lines} of its "
            f"{s.lines} lines are short (at most {SHORT_LINE_WORDS} words) and end mid-sentence,"
            f" and {s.short_word_share:.0%} of its words stand in short lines"
        )
    return None
