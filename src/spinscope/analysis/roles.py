"""Entity roles (SemEval-2025 Task 10 subtask 1): whom an article casts as protagonist,
antagonist or innocent, with the fine roles under each (guardian, instigator, victim, ...).

Entities come from the shared mention finder (``spinscope.analysis.mentions``, the one the
claims analyser links speakers with): capitalised names, cut at possessives ("Acosta's White
House" is Acosta and the White House, never one name), without sentence adverbs ("Meanwhile
Moscow" is Moscow), each with its kind from spaCy's entity recogniser (person, organisation,
place, group) and what an apposition calls it ("Trump's spokesman Taylor Budowich"). Mentions
are grouped by their last word ("Putin" joins "Vladimir Putin") and named by their fullest form.
The entities mentioned most (at least ``min_mentions`` times) are kept, and a role is only
considered where the model's own probability for it reaches ``min_score``.

A role is shown only where it has earned it (issue 15); otherwise the label is "not sure", with
the role as its best guess and the reason: the card's ``show_from`` gives, per main role, the
least probability at which the role's held-out precision *at that score* is at least 0.7
(isotonic fit on the out-of-fold predictions of the training mentions, checked on dev,
``spinscope train roles-gating``), None where no score reaches it; this class's ``show_from``
(None: the card's) moves it for the roles that have one. The reason quotes the held-out
precision measured at the role's score (the card's ``show_from_measured`` bins).
And the role's evidence must hold more than the headline.
The model is weak (on English dev it is barely above always saying "antagonist"), so
the analyser is off unless ``roles.enabled`` is set (see BENCHMARKS.md).

Each mention is read as two static vectors (model2vec, unit length): its sentence and the mention
itself. A softmax regression gives the main role; the mention is only called protagonist or
innocent when that role's probability reaches the model's ``minority_threshold`` (antagonists are
two thirds of the training mentions; the threshold is chosen by cross-validation on them). An
entity's role averages its mentions' probabilities; its evidence is the sentences of the mentions
that speak most for that role; its fine roles are those of the main role whose logistic scores
reach their threshold, else the best one.

Where the model folder ships a ``calibration.json`` (fitted on the out-of-fold main-role
probabilities of the training cross-validation, see ``spinscope.training.calibrate``), the role's
reported score is the calibrated one, how often a main role so scored was right on held-out
mentions. ``min_score`` stays on the model's probability: antagonist, two thirds of the training
mentions, is right about 7 times in 10 on SemEval articles even at a low probability, and a
threshold on that would call a country praised by a state-media column an antagonist.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinscope.analysis import _article_checks, calibration, mentions
from spinscope.analysis._embed import EMBEDDER_ID, embedder_sha256
from spinscope.analysis._model_files import ModelFiles
from spinscope.analysis.base import FromSettings
from spinscope.analysis.calibration import Calibration
from spinscope.analysis.encoder import checksums
from spinscope.analysis.role_entities import (
    Entity,
    find_entities,
    headline_span,
    mention_features,
    sentence_of,
)
from spinscope.analysis.span_geometry import sentence_starts
from spinscope.model.document import Document
from spinscope.model.labels import ArticleLabel, Evidence
from spinscope.settings import check_label_names, label_thresholds, named_settings, optional

if TYPE_CHECKING:
    pass

NAME = "roles"
VERSION = "roles.linear.v1"
WEIGHTS = "roles.npz"
CARD = "roles.json"
MAINS = ("Protagonist", "Antagonist", "Innocent")
CALIBRATION_KEY = "main_role"


def shipped_model_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "roles"


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    probs: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return probs


def main_roles(
    p: np.ndarray, classes: Sequence[str], minority_threshold: float | None
) -> list[str]:
    """Antagonist unless another role's probability reaches ``minority_threshold`` (None: the
    likeliest role)."""
    if minority_threshold is None:
        return [classes[i] for i in p.argmax(1)]
    other = p.copy()
    other[:, list(classes).index("Antagonist")] = -1.0
    best = other.argmax(1)
    return [
        classes[b] if other[i, b] >= minority_threshold else "Antagonist"
        for i, b in enumerate(best)
    ]


def fine_roles(
    scores: dict[str, float], main: str, taxonomy: dict[str, list[str]], threshold: float
) -> list[str]:
    allowed = [n for n in taxonomy[main] if n in scores]
    chosen = [n for n in allowed if scores[n] >= threshold]
    if not chosen and allowed:
        chosen = [max(allowed, key=lambda n: scores[n])]
    return sorted(chosen, key=lambda n: -scores[n])


class RoleAnalyzer(ModelFiles, FromSettings):
    CARD_FILE, WEIGHTS_FILE, MODEL_WHAT, TRAIN_TASK = CARD, WEIGHTS, "entity-role", "roles"
    name = NAME
    # English model, English mention finder and spaCy: roles only for English articles
    languages: tuple[str, ...] = ("en",)
    version = VERSION
    produces = "labels"
    # least probability for a role to be shown, for the roles the card gives one (``show_from``);
    # None: the card's (measured, see the model card)
    show_from: float | None = None
    SETTING_ARGS = named_settings(
        "roles.max_entities",
        "roles.min_mentions",
        "framing.max_evidence",
        "roles.min_score",
        "roles.label_min_score",
        ("roles.model_dir", optional),
    )

    def __init__(
        self,
        *,
        max_entities: int = 5,
        min_mentions: int = 2,
        max_evidence: int = 3,
        min_score: float = 0.5,
        model_dir: str | None = None,
        calibrated: bool = True,
        label_min_score: str | dict[str, float] = "",
    ) -> None:
        self.label_min_score = label_thresholds(label_min_score)
        # a typo (Antagonst=0.6) was applied to no role, without a word
        check_label_names("roles.label_min_score", self.label_min_score, MAINS, "role")
        self.max_entities = max_entities
        self.min_score = min_score
        self.min_mentions = min_mentions
        self.max_evidence = max_evidence
        self.model_dir = Path(model_dir) if model_dir else shipped_model_dir()
        self.calibrated = calibrated

    @cached_property
    def calibration(self) -> Calibration | None:
        """The main-role calibration fitted for this model (by its name and version); None when
        ``calibrated`` is off, the folder has none or it was fitted for another model, and the
        scores are then raw (the provenance says which)."""
        if not self.calibrated:
            return None
        cal = (calibration.load(str(self.model_dir)) or {}).get(CALIBRATION_KEY)
        wanted = f"{self.card.get('name')} {self.card.get('version')}"
        return cal if cal is not None and cal.meta.get("model") == wanted else None

    def provenance(self) -> dict[str, Any]:
        return {
            **self.provenance_head(),
            "embedder": EMBEDDER_ID,
            "sha256": {
                **checksums(self.model_dir, WEIGHTS, CARD, "calibration.json"),
                "embedder": embedder_sha256(),
            },
            "settings": {
                "max_entities": self.max_entities,
                "min_mentions": self.min_mentions,
                "max_evidence": self.max_evidence,
                "min_score": self.min_score,
                "show_from": self.show_from,
            },
            "calibrated": [CALIBRATION_KEY] if self.calibration else [],
        }

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Main-role probabilities (n, 3) in the card's class order, and fine-role scores."""
        w = self.weights
        p = softmax(x @ w["main_W"].T + w["main_b"])
        fine = 1.0 / (1.0 + np.exp(-(x @ w["fine_W"].T + w["fine_b"])))
        return p, {n: fine[:, j] for j, n in enumerate(self.card["fine_roles"])}

    def _entities(self, text: str) -> list[Entity]:
        """The entities to give roles, with their kinds. spaCy's recogniser (which costs many
        times the rest of the analyser) reads only the sentence of the first mention of each
        way the likely entities (twice as many as wanted) are written; what it finds there
        holds for every mention written the same way."""
        likely = find_entities(text, self.min_mentions, 2 * self.max_entities)
        if not likely:
            return []
        first: dict[str, tuple[int, int]] = {}
        spots: dict[str, list[int]] = {}
        for en in likely:
            for s, e in en.mentions:
                first.setdefault(text[s:e], (s, e))
                spots.setdefault(text[s:e], []).append(s)
        starts = [*sentence_starts(text), len(text)]
        found = mentions.ner_entities_in(
            text, [sentence_of(text, s, e, starts) for s, e in first.values()]
        )
        kinds = []
        for form, (s, e) in first.items():
            for a, b, label in found:
                if a < e and s < b:  # relative to the mention, for each mention so written
                    kinds += [(at + a - s, at + b - s, label) for at in spots[form]]
        kinds = [(a, b, lab) for a, b, lab in dict.fromkeys(kinds) if 0 <= a < b <= len(text)]
        return find_entities(text, self.min_mentions, self.max_entities, kinds)

    def analyze(self, docs: Sequence[Document]) -> list[list[ArticleLabel]]:
        if isinstance(docs, Document):
            raise TypeError("analyze() expects a list of Documents, got one Document.")
        self.weights  # noqa: B018 -- a missing model fails before any work
        odd = [_article_checks.not_news(d.text) for d in docs]  # a poem, a recipe: no roles
        per_doc = [
            self._entities(d.text) if why is None else [] for d, why in zip(docs, odd, strict=True)
        ]
        items = [
            (d.text, s, e) for d, ents in zip(docs, per_doc, strict=True) for en in ents
            for s, e in en.mentions
        ]  # fmt: skip
        x = mention_features(items, self.card["features"])
        p, fine = self.predict(x) if len(items) else (np.zeros((0, 3)), {})
        out, k = [], 0
        for doc, ents, why in zip(docs, per_doc, odd, strict=True):
            labels, dropped = [], []
            if why is not None:
                reason = f"Not sure of any role: {why}; the model learnt from news articles only."
                labels.append(ArticleLabel.not_sure("entity_role", reason, analyzer=NAME))
            starts = [*sentence_starts(doc.text), len(doc.text)] if ents else []
            for en in ents:
                rows = slice(k, k + len(en.mentions))
                k += len(en.mentions)
                # the decision reads the model's own probability (as framing's do); calibration
                # changes the reported score, not which roles are reported
                probs = p[rows]
                mean = probs.mean(0, keepdims=True)
                main = main_roles(mean, self.card["classes"], self.card["minority_threshold"])[0]
                least = self.label_min_score.get(main, self.min_score)
                if mean[0, self.card["classes"].index(main)] >= least:
                    subset = {n: v[rows] for n, v in fine.items()}
                    head = headline_span(doc.text, doc.title)
                    labels.append(self._label(doc.text, en, probs, subset, starts, head))
                else:
                    dropped.append(
                        (en.name, main, float(mean[0, self.card["classes"].index(main)]))
                    )
            if dropped:  # never silently: say which names were read and why none is shown
                labels.append(self._not_reported(dropped))
            out.append(labels)
        return out

    def _not_reported(self, dropped: list[tuple[str, str, float]]) -> ArticleLabel:
        """One "not sure" label (no entity) for the entities whose role's probability is under
        ``min_score`` (or the role's ``label_min_score``): their names, guesses and why."""
        guesses = "; ".join(
            f"{name}: {main.lower()} {p:.2f}{self._precision_at(main, p, short=True)}"
            for name, main, p in dropped
        )
        least = sorted({self.label_min_score.get(m, self.min_score) for _, m, _ in dropped})
        under = " or ".join(f"{x:.2f}" for x in least)
        return ArticleLabel.not_sure(
            "entity_role",
            f"Not sure of the roles of {len(dropped)} of the most mentioned names ({guesses}): "
            f"each role's probability is under {under}, the least from which a role is reported "
            "(roles.min_score / roles.label_min_score).",
            score=round(max(p for _, _, p in dropped), 4),
            analyzer=NAME,
        )

    def _label(
        self,
        text: str,
        en: Entity,
        p: np.ndarray,
        fine: dict[str, np.ndarray],
        starts: list[int],
        headline: tuple[int, int] | None = None,
    ) -> ArticleLabel:
        """The entity's role, or "not sure" (best guess: the role) where its held-out precision
        at this score is under the card's floor or only the headline speaks for it."""
        card = self.card
        classes = card["classes"]
        mean = p.mean(0, keepdims=True)
        main = main_roles(mean, classes, card["minority_threshold"])[0]
        j = classes.index(main)
        roles = fine_roles(
            {n: float(v.mean()) for n, v in fine.items()},
            main,
            card["taxonomy"],
            card["fine_threshold"],
        )
        evidence = self._evidence(text, en, p[:, j], starts, headline)
        n = len(en.mentions)
        raw = float(mean[0, j])
        cal = self.calibration
        score = cal.confidence(main, raw) if cal else raw
        how_sure = _how_sure(raw, score if cal else None)
        entity = _entity_record(en, main, roles)
        why = self._not_sure(main, raw, evidence)
        if why:
            return ArticleLabel.not_sure(
                "entity_role",
                f"{en.name} ({n} mentions) may read as {main.lower()}{how_sure}; not shown, "
                f"since {why}.",
                best=main,
                score=round(score, 4),
                analyzer=NAME,
                entity=entity,
            )
        return ArticleLabel(
            task="entity_role",
            label=f"{en.name}: {main}",
            score=round(score, 4),
            evidence=evidence,
            explanation=(
                f"{en.name} ({n} mentions) reads as {main.lower()}"
                + (f" ({', '.join(r.lower() for r in roles)})" if roles else "")
                + how_sure
                + "."
            ),
            analyzer=NAME,
            entity=entity,
        )

    def _evidence(
        self,
        text: str,
        en: Entity,
        p: np.ndarray,
        starts: list[int],
        headline: tuple[int, int] | None,
    ) -> list[Evidence]:
        """The sentences of the mentions most probably in the role (``p``: each mention's
        probability of it), each once, at most ``max_evidence``, never the headline."""
        evidence: list[Evidence] = []
        seen: set[tuple[int, int]] = set()
        for i in np.argsort(-p)[: 4 * self.max_evidence]:
            lo, hi = sentence_of(text, *en.mentions[int(i)], starts)
            if headline and lo < headline[1] and hi > headline[0]:
                continue  # the headline alone is no evidence of a role
            if (lo, hi) not in seen and len(evidence) < self.max_evidence:
                seen.add((lo, hi))
                evidence.append(Evidence(lo, hi, text[lo:hi], round(float(p[i]), 4)))
        return evidence

    def _precision_at(self, main: str, raw: float, short: bool = False) -> str:
        """What the card measured at this score: the held-out precision of ``main`` in the bin
        that holds ``raw`` (out of fold on the training mentions), as a clause; empty when the
        card has no bins or the bin is empty."""
        bins = ((self.card.get("show_from_measured") or {}).get("bins") or {}).get(main) or []
        for k, b in enumerate(bins):
            if b["from"] <= raw and (raw < b["to"] or k == len(bins) - 1) and b["n"]:
                if short:
                    return f" (held-out precision there {b['precision']:.2f}, n={b['n']})"
                return (
                    f"; held out, {main.lower()} roles scored {b['from']:.2f}-{b['to']:.2f} were "
                    f"right {b['precision']:.0%} of the time ({b['right']} of {b['n']} mentions)"
                )
        return ""

    def _not_sure(self, main: str, raw: float, evidence: list[Evidence]) -> str:
        """Why a role may not be shown (empty if it may): the model card's ``show_from`` says
        from which probability each main role's held-out precision at that score reaches the
        floor (None: at none; ``show_from`` here moves it); a model without it was never
        measured so. Then its evidence must be more than the headline."""
        measured = self.card.get("show_from_measured") or {}
        floor = measured.get("precision_floor", 0.7)
        show_from = self.card.get("show_from")
        if show_from is None:
            return "this model's precision by score was never measured, so no role is shown"
        least = show_from.get(main)
        if least is None:
            return (
                f"the {main.lower()} role reaches a held-out precision of {floor:.1f} at no score "
                f"(see the model card){self._precision_at(main, raw)}"
            )
        if self.show_from is not None:
            least = self.show_from
        if raw < least:
            return (
                f"its probability {raw:.2f} is under {least:.2f}, the least score at which the "
                f"{main.lower()} role's held-out precision reaches "
                f"{floor:.1f}{self._precision_at(main, raw)}"
            )
        if not evidence:
            return "its evidence is only the headline (a role needs a sentence of the article)"
        return ""


def _how_sure(raw: float, calibrated: float | None) -> str:
    """The clause on how sure a role is: the calibrated confidence in words where there is a
    curve, with the role's mean probability over the mentions (``raw``)."""
    if calibrated is None:
        return f": the role's mean probability over the mentions is {raw:.2f}"
    return (
        f": {calibration.in_words(calibrated)}, on held-out training mentions (the role's mean "
        f"probability over the mentions is {raw:.2f})"
    )


def _entity_record(en: Entity, main: str, roles: list[str]) -> dict[str, object]:
    """The label's ``entity``: the name, its roles, its mentions and what kind of name it is."""
    return {
        "name": en.name,
        "main_role": main,
        "fine_roles": roles,
        "mentions": [list(m) for m in en.mentions],
        "kind": en.kind,
        "described": en.described,
    }
