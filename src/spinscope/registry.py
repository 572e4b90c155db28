"""Names -> factories for analysers, with versioned names; built-ins registered in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spinscope.errors import ConfigError

ANALYZERS: dict[str, Callable[[dict[str, Any]], Any]] = {}


def register_analyzer(name: str, factory: Callable[[dict[str, Any]], Any]) -> None:
    ANALYZERS[name] = factory


def _techniques(settings: dict[str, Any]):
    from spinscope.analysis.techniques import TechniqueTagger

    model_dir = settings["techniques.model_dir"] or None
    if not model_dir and settings["techniques.model"] == "accurate":
        from spinscope.analysis.techniques import built_accurate_dir

        model_dir = built_accurate_dir()
    return TechniqueTagger(
        model_dir=model_dir,
        variant=settings["techniques.variant"],
        taxonomies=[t.strip() for t in settings["techniques.taxonomies"].split(",") if t.strip()],
        threshold=settings["techniques.threshold"],
        decoder=settings["techniques.decoder"],
        batch_size=settings["techniques.batch_size"],
        span_labeller=settings["techniques.span_labeller"],
        min_confidence=settings["techniques.min_confidence"],
        label_min_confidence=settings["techniques.label_min_confidence"],
        precision_floor=settings["techniques.precision_floor"],
        below_floor=settings["techniques.below_floor"],
    )


def _techniques_paragraphs(settings: dict[str, Any]):
    from spinscope.analysis.technique_paragraphs import ParagraphTechniques

    return ParagraphTechniques(
        threshold=settings["techniques_paragraphs.threshold"],
        model_dir=settings["techniques_paragraphs.model_dir"] or None,
        label_min_confidence=settings["techniques_paragraphs.label_min_confidence"],
        precision_floor=settings["techniques.precision_floor"],
        below_floor=settings["techniques.below_floor"],
        languages=settings["techniques_paragraphs.languages"],
    )


def _claims(settings: dict[str, Any]):
    from spinscope.analysis.claims import ClaimAnalyzer

    return ClaimAnalyzer(
        threshold=settings["claims.threshold"],
        head=settings["claims.head"],
        also_list=[x.strip() for x in settings["claims.also_list"].split(",") if x.strip()],
        max_claims=settings["claims.max_claims"],
        embeddings=settings["claims.embeddings"],
        model_dir=settings["claims.model_dir"] or None,
    )


def _framing(settings: dict[str, Any]):
    from spinscope.analysis.framing import FramingAnalyzer

    return FramingAnalyzer(
        threshold=settings["framing.threshold"],
        max_evidence=settings["framing.max_evidence"],
        model_dir=settings["framing.model_dir"] or None,
        label_min_score=settings["framing.label_min_score"],
        min_words=settings["framing.min_words"],
    )


def _roles(settings: dict[str, Any]):
    from spinscope.analysis.roles import RoleAnalyzer

    return RoleAnalyzer(
        max_entities=settings["roles.max_entities"],
        min_mentions=settings["roles.min_mentions"],
        max_evidence=settings["framing.max_evidence"],
        min_score=settings["roles.min_score"],
        label_min_score=settings["roles.label_min_score"],
        model_dir=settings["roles.model_dir"] or None,
    )


def register_builtins() -> None:
    register_analyzer("techniques", _techniques)
    register_analyzer("techniques_paragraphs", _techniques_paragraphs)
    register_analyzer("claims", _claims)
    register_analyzer("framing", _framing)
    register_analyzer("roles", _roles)


def create_analyzer(name: str, settings: dict[str, Any]):
    if not ANALYZERS:
        register_builtins()
    if name not in ANALYZERS:
        raise ConfigError(f"Unknown analyser {name!r}. Available: {', '.join(sorted(ANALYZERS))}.")
    return ANALYZERS[name](settings)
