"""Trends over a store: documents, words and technique findings by outlet, month, technique or
narrative, with rates per 1,000 words and shares of documents (plain data for tables, JSON and
charts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from spinscope.errors import ConfigError
from spinscope.model.labels import NOT_SURE
from spinscope.store.schema import MACHINE_FINDINGS

if TYPE_CHECKING:  # only annotations: the CLI reads GROUPS without loading the database layer
    from spinscope.store.db import Store

GROUPS = ("outlet", "month", "technique", "narrative")
TAXONOMIES = ("semeval2023", "ptc2020")
UNKNOWN = "(unknown)"  # the month of an undated document
# Documents without an outlet are grouped on NULL (None here), and only named where shown, so that
# an outlet that calls itself "(unknown)" is not counted with them
UNKNOWN_OUTLET = "(unknown outlet)"


def outlet_label(outlet: str | None, missing: str = UNKNOWN_OUTLET) -> str:
    """An outlet as shown: its name, or ``missing`` (``UNKNOWN_OUTLET``, or what
    ``missing_outlet_label`` gives for the outlets shown beside it) for documents without one."""
    return missing if outlet is None else outlet


def missing_outlet_label(outlets: Iterable[str | None]) -> str:
    """The name of the documents without an outlet among ``outlets``: ``UNKNOWN_OUTLET``, or a
    longer name where an outlet is called that (its documents are not theirs)."""
    taken = set(outlets)
    label = UNKNOWN_OUTLET
    while label in taken:
        label += " (none given)"
    return label


def store_missing_outlet(store: Store) -> str:
    """``missing_outlet_label`` over every outlet of the store: the corpus page's filter value
    for the documents without an outlet, which no real outlet of the store shares."""
    rows = store.query(
        "SELECT DISTINCT outlet FROM documents WHERE starts_with(outlet, ?)", [UNKNOWN_OUTLET]
    )
    return missing_outlet_label(r[0] for r in rows)


def shown(key: str, value: Any, missing: str = UNKNOWN_OUTLET) -> str:
    """A trends row's value as a table shows it: an outlet's label (``missing`` for none),
    "n/a" for a rate or share of no words or documents (None in JSON)."""
    if key == "outlet":
        return outlet_label(value, missing)
    return "n/a" if value is None else str(value)


# The analysers whose findings stats counts: a rate's words, and a share's documents, are those
# of the documents such an analyser ran on (the result's "models" names each analyser that ran).
# A document batched without them has no findings because nothing looked, not because none were.
TECHNIQUE_ANALYZERS = ("techniques", "techniques_paragraphs")
NARRATIVE_ANALYZERS = ("framing",)


def ran_on(analyzers: tuple[str, ...], doc_id: str = "d.doc_id") -> str:
    """A condition: one of ``analyzers`` ran on the document ``doc_id`` (a column): its result's
    "models" names one or, where a result records no models (stored by a library caller), it
    carries what they find (machine technique findings, narrative labels). Without that, such
    a store's findings were counted over no documents: a division by zero."""
    names = ", ".join(f"'{a}'" for a in analyzers)  # our own constant names, not user input
    models = "json_extract_string(result, '$.models[*].analyzer')"
    found = (
        f"SELECT doc_id FROM findings WHERE {MACHINE_FINDINGS}"
        if analyzers == TECHNIQUE_ANALYZERS
        else "SELECT doc_id FROM labels WHERE task = 'narrative'"
    )
    return (
        f"{doc_id} IN (SELECT doc_id FROM results WHERE list_has_any({models}, [{names}]) "
        f"OR (coalesce(len({models}), 0) = 0 AND doc_id IN ({found})))"
    )


# per document tagged for techniques: its outlet, month, words and number of findings in the
# chosen taxonomy
_PER_DOC = f"""
SELECT d.doc_id, d.outlet,
       coalesce(strftime(d.published, '%Y-%m'), '(unknown)') AS month, d.words,
       count(f.doc_id) AS findings
FROM documents d
LEFT JOIN findings f ON f.doc_id = d.doc_id AND f.taxonomy = ? AND f.{MACHINE_FINDINGS}
WHERE {ran_on(TECHNIQUE_ANALYZERS)}
GROUP BY ALL
"""


def totals(store: Store, taxonomy: str = "semeval2023") -> dict[str, int]:
    """The documents tagged for techniques, their words and findings, and how many documents
    in the store were not tagged (left out of every rate and share)."""
    row = store.query(
        f"SELECT count(*), coalesce(sum(words), 0), coalesce(sum(findings), 0) FROM ({_PER_DOC})",
        [taxonomy],
    )[0]
    everything = store.query("SELECT count(*) FROM documents")[0][0]
    return {"documents": int(row[0]), "words": int(row[1]), "findings": int(row[2]),
            "documents_not_tagged": int(everything) - int(row[0])}  # fmt: skip


def trends(store: Store, by: str = "outlet", taxonomy: str = "semeval2023") -> dict[str, Any]:
    """One object: the totals, and a row per group (sorted by size)."""
    if by not in GROUPS:
        raise ConfigError(f"Unknown grouping {by!r}. Available: {', '.join(GROUPS)}.")
    if taxonomy not in TAXONOMIES:
        raise ConfigError(f"Unknown taxonomy {taxonomy!r}. Available: {', '.join(TAXONOMIES)}.")
    head = totals(store, taxonomy)
    rows = {
        "outlet": _by_document_field,
        "month": _by_document_field,
        "technique": _by_technique,
        "narrative": _by_narrative,
    }[by](store, by, taxonomy, head)
    return {"by": by, "taxonomy": taxonomy, **head, "rows": rows}


def _rate(findings: float, words: float) -> float | None:
    """Findings per 1,000 words; None (shown "n/a") over no words: nothing was measured."""
    return round(1000.0 * findings / words, 3) if words else None


def _month_number(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def _month_name(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def month_axis(months: Iterable[str]) -> list[tuple[str, bool]]:
    """The given ``YYYY-MM`` months in time order, each run of months between them that has
    none of them as one more entry (``2024-02``, or ``2024-04 to 2024-05``): ``(name, empty)``.
    A gap in a time series is shown, not skipped; one entry per run keeps a store dated 1900
    and 2024 to three entries, not 1,489."""
    axis: list[tuple[str, bool]] = []
    previous = None
    for number in sorted({_month_number(m) for m in months}):
        if previous is not None and number - previous > 1:
            first, last = _month_name(previous + 1), _month_name(number - 1)
            axis.append((first if first == last else f"{first} to {last}", True))
        axis.append((_month_name(number), False))
        previous = number
    return axis


def _with_empty_months(rows: list[dict]) -> list[dict]:
    """``rows`` by month with a row of no documents for each run of months without one."""
    dated = {r["month"]: r for r in rows if r["month"] != UNKNOWN}
    empty = {"documents": 0, "words": 0, "findings": 0, "findings_per_1000_words": None,
             "share_of_documents_with_findings": None}  # fmt: skip
    return [r for r in rows if r["month"] == UNKNOWN] + [
        {"month": name, **empty} if gap else dated[name] for name, gap in month_axis(dated)
    ]


def _by_document_field(store: Store, by: str, taxonomy: str, head: dict) -> list[dict]:
    sql = f"""
        SELECT {by}, count(*), sum(words), sum(findings), count(*) FILTER (WHERE findings > 0)
        FROM ({_PER_DOC}) GROUP BY {by} ORDER BY {"month" if by == "month" else "count(*) DESC"}, 1
    """
    rows = [
        {by: key, "documents": n, "words": int(w), "findings": int(f),
         "findings_per_1000_words": _rate(f, w),
         "share_of_documents_with_findings": round(k / n, 4)}
        for key, n, w, f, k in store.query(sql, [taxonomy])
    ]  # fmt: skip
    return _with_empty_months(rows) if by == "month" else rows


def _by_technique(store: Store, by: str, taxonomy: str, head: dict) -> list[dict]:
    sql = f"""
        SELECT label, count(*), count(DISTINCT doc_id) FROM findings WHERE taxonomy = ?
        AND {MACHINE_FINDINGS} GROUP BY label ORDER BY count(*) DESC, label
    """
    return [
        {"technique": label, "findings": n, "findings_per_1000_words": _rate(n, head["words"]),
         "documents": k,
         "share_of_documents": round(k / head["documents"], 4) if head["documents"] else None}
        for label, n, k in store.query(sql, [taxonomy])
    ]  # fmt: skip


def _by_narrative(store: Store, by: str, taxonomy: str, head: dict) -> list[dict]:
    """Per narrative, the documents that carry it, as a share of the documents the framing
    analyser ran on; "(none)" is those it ran on that carry none (not the documents batched
    without it)."""
    ran = store.query(f"SELECT count(*) FROM documents d WHERE {ran_on(NARRATIVE_ANALYZERS)}")
    n = int(ran[0][0])
    sql = """
        SELECT label, count(DISTINCT doc_id) FROM labels WHERE task = 'narrative'
        GROUP BY label ORDER BY count(DISTINCT doc_id) DESC, label
    """
    rows = [
        {"narrative": label, "documents": k, "share_of_documents": round(k / n, 4) if n else None}
        for label, k in store.query(sql)
    ]
    carried = store.query("SELECT count(DISTINCT doc_id) FROM labels WHERE task = 'narrative'")
    none = n - carried[0][0]
    if n:
        rows.append({"narrative": "(none)", "documents": int(none),
                     "share_of_documents": round(none / n, 4)})  # fmt: skip
    return rows


def rates_by_outlet_and_month(
    store: Store, taxonomy: str, outlets: int = 6
) -> dict[str | None, list]:
    """Findings per 1,000 words, per month, for the ``outlets`` outlets with the most dated
    documents: per outlet a list of ``(month, rate, documents)``, the sample size telling a
    one-document month apart."""
    sql = f"""
        WITH per AS ({_PER_DOC}),
        top AS (SELECT outlet FROM per WHERE month <> '(unknown)' GROUP BY outlet
                ORDER BY count(*) DESC, outlet LIMIT ?)
        SELECT outlet, month, sum(findings), sum(words), count(*) FROM per
        WHERE EXISTS (SELECT 1 FROM top WHERE top.outlet IS NOT DISTINCT FROM per.outlet)
        AND month <> '(unknown)' GROUP BY outlet, month ORDER BY outlet, month
    """
    out: dict[str | None, list] = {}
    for outlet, month, f, w, n in store.query(sql, [taxonomy, outlets]):
        out.setdefault(outlet, []).append((month, _rate(f, w), int(n)))
    return out


def undated_documents(store: Store) -> int:
    """How many documents have no date (no month: the rates chart cannot draw them)."""
    return int(store.query("SELECT count(*) FROM documents WHERE published IS NULL")[0][0])


def documents_by_outlet(store: Store) -> dict[str | None, int]:
    """How many documents each outlet has (the sample size behind its bars)."""
    rows = store.query("SELECT outlet, count(*) FROM documents GROUP BY 1")
    return {o if o is None else str(o): int(n) for o, n in rows}


def technique_rates_by_outlet(
    store: Store, taxonomy: str, outlets: int = 6, techniques: int = 8
) -> dict[str | None, dict[str, float]]:
    """Per outlet (largest first), findings per 1,000 words of the most frequent techniques."""
    top_outlets = [
        r[0] for r in store.query(
            f"SELECT outlet FROM ({_PER_DOC}) GROUP BY outlet ORDER BY count(*) DESC, outlet "
            "LIMIT ?", [taxonomy, outlets])
    ]  # fmt: skip
    top_labels = [
        r[0] for r in store.query(
            f"SELECT label FROM findings WHERE taxonomy = ? AND {MACHINE_FINDINGS} GROUP BY label "
            "ORDER BY count(*) DESC, label LIMIT ?", [taxonomy, techniques])
    ]  # fmt: skip
    words = dict(
        store.query(f"SELECT outlet, sum(words) FROM ({_PER_DOC}) GROUP BY outlet", [taxonomy])
    )
    counts = store.query(
        "SELECT d.outlet, f.label, count(*) FROM findings f JOIN documents d USING (doc_id) "
        f"WHERE f.taxonomy = ? AND f.{MACHINE_FINDINGS} GROUP BY ALL",
        [taxonomy],
    )
    table = {o: dict.fromkeys(top_labels, 0.0) for o in top_outlets}
    for outlet, label, n in counts:
        if outlet in table and label in table[outlet]:
            table[outlet][label] = _rate(n, words.get(outlet, 0)) or 0.0
    return table


def narrative_shares_by_outlet(
    store: Store, outlets: int = 6, narratives: int = 8
) -> dict[str | None, dict[str, float]]:
    """Per outlet, the share of its documents that carry each of the most common narratives
    ("not sure", the analyser's answer where it could not decide, is no narrative carried), of
    the documents the framing analyser ran on."""
    ran = ran_on(NARRATIVE_ANALYZERS)
    docs = dict(store.query(f"SELECT outlet, count(*) FROM documents d WHERE {ran} GROUP BY 1"))
    top_outlets = sorted(docs, key=lambda o: (-docs[o], o is None, o or ""))[:outlets]
    top = [
        r[0] for r in store.query(
            "SELECT label FROM labels WHERE task = 'narrative' AND label <> ? GROUP BY label "
            "ORDER BY count(DISTINCT doc_id) DESC, label LIMIT ?", [NOT_SURE, narratives])
    ]  # fmt: skip
    table = {o: dict.fromkeys(top, 0.0) for o in top_outlets}
    rows = store.query(
        "SELECT d.outlet, l.label, count(DISTINCT l.doc_id) FROM labels l "
        "JOIN documents d USING (doc_id) WHERE l.task = 'narrative' GROUP BY ALL"
    )
    for outlet, label, k in rows:
        if outlet in table and label in table[outlet]:
            table[outlet][label] = round(k / docs[outlet], 4)
    return table
