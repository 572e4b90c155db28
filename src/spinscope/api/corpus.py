"""Corpus browser queries over a store: a filtered document list and the filter choices."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from spinscope.errors import ConfigError
from spinscope.model.definitions import display_name
from spinscope.model.taxonomy import PTC2020, SEMEVAL2023
from spinscope.store import Store
from spinscope.store.schema import MACHINE_FINDINGS
from spinscope.store.stats import store_missing_outlet

# what a technique's name says when the other taxonomy has a technique of that name
TAXONOMY_TAGS = {PTC2020: "SemEval-2020", SEMEVAL2023: "SemEval-2023"}
NARRATIVE_TASKS = "('narrative', 'subnarrative')"
MAX_ROWS = 200
# filter -> the condition it adds (each with one parameter: the filter's value)
CONDITIONS = {
    "outlet": "d.outlet = ?",
    "language": "d.language = ?",
    "since": "d.published >= ?",
    "until": "d.published <= ?",
    "technique": "d.doc_id IN (SELECT doc_id FROM findings WHERE label = ?)",
    "narrative": f"d.doc_id IN (SELECT doc_id FROM labels WHERE task IN {NARRATIVE_TASKS} "
    "AND label = ?)",
}


def parse_day(value: str, name: str) -> date | None:
    """``2024-03-01`` -> a date; empty -> None."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a date like 2024-03-01, got {value[:40]!r}.") from None


def search(store: Store, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """Documents matching every given filter (q, outlet, language, since, until, technique,
    narrative), newest first; at most ``MAX_ROWS``."""
    where, params = [], []
    if filters.get("q"):
        where.append("(contains(lower(d.title), lower(?)) OR contains(lower(d.text), lower(?)))")
        params += [filters["q"], filters["q"]]
    missing = store_missing_outlet(store) if filters.get("outlet") else None
    for name, condition in CONDITIONS.items():
        if name == "outlet" and missing is not None and filters.get(name) == missing:
            where.append("d.outlet IS NULL")  # the option for documents without an outlet
        elif filters.get(name):
            where.append(condition)
            params.append(filters[name])
    sql = f"""
        SELECT d.doc_id, d.title, d.outlet, d.language, d.published, d.words,
               (SELECT count(*) FROM findings f WHERE f.doc_id = d.doc_id
                AND f.{MACHINE_FINDINGS}) AS findings
        FROM documents d {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY d.published DESC NULLS LAST, d.added_at DESC, d.doc_id LIMIT {MAX_ROWS}
    """
    keys = ("id", "title", "outlet", "language", "published", "words", "findings")
    return [dict(zip(keys, row, strict=True)) for row in store.query(sql, params)]


def choices(store: Store) -> dict[str, list[Any]]:
    """The values the filters offer: outlets (``store_missing_outlet`` last, where documents
    have none: "(unknown outlet)", longer where an outlet is called that), languages,
    techniques (``technique_options``) and narratives present in the store."""

    def column(sql: str) -> list[str]:
        return [str(r[0]) for r in store.query(sql) if r[0] is not None]

    unknown = store.query("SELECT count(*) FROM documents WHERE outlet IS NULL")[0][0]
    return {
        "outlets": column("SELECT DISTINCT outlet FROM documents ORDER BY 1")
        + ([store_missing_outlet(store)] if unknown else []),
        "languages": column("SELECT DISTINCT language FROM documents ORDER BY 1"),
        "techniques": technique_options(
            store.query(
                "SELECT DISTINCT coalesce(taxonomy, ''), label FROM findings WHERE label NOTNULL"
            )
        ),
        "narratives": column(
            f"SELECT DISTINCT label FROM labels WHERE task IN {NARRATIVE_TASKS} ORDER BY 1"
        ),
    }


def technique_options(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(label, name)`` for the Technique menu, by name, from ``(taxonomy, label)`` rows. The raw
    label is the form value, so a label of both taxonomies (``Loaded_Language``) is one option
    that finds both; a name two options would share says its taxonomy ("Name calling /
    labeling (SemEval-2020)" is ``Name_Calling,Labeling``, the 2023 one ``-Labeling``)."""
    taxonomies: dict[str, set[str]] = {}
    for taxonomy, label in rows:
        taxonomies.setdefault(label, set()).add(taxonomy)
    names = {
        label: display_name(SEMEVAL2023 if SEMEVAL2023 in found else min(found), label)
        for label, found in taxonomies.items()
    }
    shared = Counter(names.values())
    for label, found in taxonomies.items():
        tag = TAXONOMY_TAGS.get(min(found), min(found))
        if shared[names[label]] > 1 and len(found) == 1 and tag:
            names[label] += f" ({tag})"
    return sorted(names.items(), key=lambda option: (option[1].lower(), option[0]))
