"""Runs the configured analysers over documents and assembles AnalysisResults.

Each analyser says which part of the result it fills (``produces``): ``findings`` (technique
spans), ``claims`` or ``labels`` (article-level labels).

After the analysers, one step (``analysis.voice``) says whose voice each finding is in (the
author's, a quote's or reported speech's) and who the speaker is.

The one language seam: the pipeline detects each document's language once (``analysis.language``),
stores it on the Document, keeps each analyser's results only where the paragraph's language is
one it reads (its ``languages`` and ``zero_shot_languages``), and says in one warning what was
left out. Detection runs in a thread while the analysers that do not read ``doc.language`` run
(loading the detector takes about a second); those that do (``needs_language``) run after it.
The same thread first loads the models of the later analysers (their ``warm``) while the first
analyser runs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, ClassVar

from spinscope.analysis import language, voice
from spinscope.errors import ConfigError, IngestError
from spinscope.model.document import AnalysisResult, Document, Finding
from spinscope.registry import ANALYZERS, create_analyzer
from spinscope.settings import SCHEMA, public

PARTS = ("findings", "claims", "labels")
MAX_CHARS = SCHEMA["pipeline.max_chars"].default
CACHED_PIPELINES = 4  # settings a process keeps pipelines for (each holds its loaded models)


def analyzer_names(settings: dict[str, Any]) -> list[str]:
    """The analysers ``pipeline.analyzers`` lists; "roles" only with ``roles.enabled`` (off by
    default: the role model does not yet beat the majority answer by enough, see
    ``spinscope.analysis.roles``)."""
    names = settings.get("pipeline.analyzers", "techniques,claims,framing")
    out = [n.strip() for n in str(names).split(",") if n.strip()]
    kept = [n for n in out if n != "roles" or settings.get("roles.enabled", False)]
    if not kept:  # else every text "has no techniques", silently: nothing looked
        why = " (roles runs only with roles.enabled=true)" if out else ""
        raise ConfigError(
            f"Setting pipeline.analyzers leaves no analyser to run{why}; name at least one of "
            "techniques, techniques_paragraphs, claims, framing."
        )
    return kept


def check_settings(settings: dict[str, Any]) -> Pipeline:
    """The pipeline of ``settings`` (``Pipeline.for_settings``), having refused a setting that
    only an analyser can check (a label its model does not give, a language it does not read, a
    list that leaves nothing to run): the configured analysers are built, which loads no model
    (models load on first use), and so is an analyser that does not run but whose settings are
    given (a typo in roles.label_min_score while roles is off). ``spinscope settings``,
    ``analyze``, ``batch`` and ``serve`` call it before any input is read or store made, so a
    bad value is the same one line in each.

    Raises:
        ConfigError: A setting an analyser refuses; the message names it.
    """
    pipeline = Pipeline.for_settings(settings)
    running = set(analyzer_names(settings))
    for name in sorted(set(ANALYZERS) - running):
        given = [k for k in settings if k.startswith(f"{name}.") and k in SCHEMA]
        if any(settings[k] != SCHEMA[k].default for k in given):
            create_analyzer(name, settings)
    return pipeline


class Pipeline:
    """Analysers built once from settings; models load on first use."""

    _cache: ClassVar[OrderedDict[tuple[type, str], Pipeline]] = OrderedDict()
    _cache_lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def for_settings(cls, settings: dict[str, Any]) -> Pipeline:
        """The one seam: the pipeline for these settings, built once per process and kept (the
        last ``CACHED_PIPELINES`` settings used), so models load once. Thread-safe."""
        key = (cls, repr(sorted(settings.items())))
        with cls._cache_lock:
            pipeline = cls._cache.get(key)
            if pipeline is None:
                pipeline = cls._cache[key] = cls(settings)
                while len(cls._cache) > CACHED_PIPELINES:
                    cls._cache.popitem(last=False)
            else:
                cls._cache.move_to_end(key)
            return pipeline

    def __init__(self, settings: dict[str, Any], analyzers: Sequence[str] | None = None) -> None:
        self.settings = dict(settings)
        names = list(analyzers) if analyzers is not None else analyzer_names(self.settings)
        self.analyzers = [create_analyzer(name, self.settings) for name in names]
        self.max_chars = int(self.settings.get("pipeline.max_chars", MAX_CHARS))

    def run(self, docs: Sequence[Document]) -> list[AnalysisResult]:
        if isinstance(docs, Document):
            raise TypeError("Pipeline.run() expects a list of Documents, got one Document.")
        check_lengths(docs, self.max_chars)
        with ThreadPoolExecutor(1, thread_name_prefix="spinscope-language") as pool:
            if any(doc.text.strip() for doc in docs):
                pool.submit(self._warm)  # first: only the last analysers need the language
            detected = pool.submit(lambda: [with_language(doc) for doc in docs])
            found = {i: a.analyze(docs) for i, a in self._analyzers(needs_language=False)}
            docs = detected.result()
            found |= {i: a.analyze(docs) for i, a in self._analyzers(needs_language=True)}
        outputs = [
            (a, getattr(a, "produces", "findings"), found[i]) for i, a in enumerate(self.analyzers)
        ]
        models = [a.provenance() for a in self.analyzers]
        results = []
        for k, doc in enumerate(docs):
            parts: dict[str, list[Any]] = {part: [] for part in PARTS}
            detected_lang = doc.language
            assert detected_lang is not None  # with_language set it above
            for a, part, per_doc in outputs:
                parts[part].extend(language.keep(a, per_doc[k], detected_lang))
            parts["findings"] = with_voices(doc, parts["findings"])
            lang = language.coverage(self.analyzers, detected_lang)
            warning = language.warning(self.analyzers, detected_lang)
            results.append(
                AnalysisResult(
                    doc=replace(doc, language=lang),
                    models=models,
                    settings=public(self.settings),
                    warnings=[warning] if warning else [],
                    **parts,
                )
            )
        return results

    def _warm(self) -> None:
        """Load the models of the analysers after the first (in the order they run) while the
        first runs: loading (mostly Python) overlaps inference (which releases the GIL). A model
        that fails to load here fails again, with its message, where its analyser runs."""
        order = self._analyzers(needs_language=False) + self._analyzers(needs_language=True)
        for _, a in order[1:]:
            try:
                getattr(a, "warm", lambda: None)()
            except Exception:  # noqa: BLE001, S112 -- reported by the analyser's own run
                continue

    def _analyzers(self, *, needs_language: bool) -> list[tuple[int, Any]]:
        """(position, analyser) of the analysers that read ``doc.language`` or of the others."""
        return [
            (i, a) for i, a in enumerate(self.analyzers)
            if bool(getattr(a, "needs_language", False)) == needs_language
        ]  # fmt: skip


def with_voices(doc: Document, findings: list[Finding]) -> list[Finding]:
    """The findings with whose voice each is in (``analysis.voice``): the one step after the
    analysers, which stay pure; speech is parsed in English paragraphs only."""
    lang = doc.language
    return voice.assign(
        doc.text, findings, english=lambda pos: lang is None or lang.at(pos) == "en"
    )


def with_language(doc: Document) -> Document:
    """``doc`` with its detected language (kept where the caller already set one)."""
    return doc if doc.language is not None else replace(doc, language=language.detect(doc.text))


def check_lengths(docs: Sequence[Document], max_chars: int) -> None:
    """Refuse, before any work, a text longer than ``max_chars`` (``pipeline.max_chars``)."""
    for doc in docs:
        if len(doc.text) > max_chars:
            raise IngestError(
                f"The text has {len(doc.text):,} characters, more than pipeline.max_chars "
                f"({max_chars:,}); split it into shorter texts, or raise the limit with "
                f"--set pipeline.max_chars=N (time and memory grow with the length)."
            )
