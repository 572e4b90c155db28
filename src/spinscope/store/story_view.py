"""Stories side by side: per outlet, how it tells the story (plain data for the CLI, the web app,
the API and the stories-jsonl export).

One column per outlet: its documents and languages, technique findings per 1,000 words in the
author's voice (a finding whose ``voice`` is unset counts as the author's), frames and
narratives, the figures it gives (claims' quantities with what they are about) and the speakers
it quotes. Figures about the same thing (``about_key``: what the "about" text counts, with the
unit, statement and period, the time it is about: ``story_times``) for which two outlets give
no common value are listed under ``figure_differences``, and sentences that only one outlet
has (by word overlap, within a language) under ``only_in_one_outlet``. Everything comes from
the stored results, so it does not depend on the store's finding columns.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from itertools import groupby
from typing import Any

from spinscope.errors import StoreError
from spinscope.model.document import AnalysisResult
from spinscope.model.language import language_name
from spinscope.store.db import Store
from spinscope.store.stats import NARRATIVE_ANALYZERS, TECHNIQUE_ANALYZERS, store_missing_outlet
from spinscope.store.stories import require_stories
from spinscope.store.story_record import store_readable
from spinscope.store.story_sentences import only_in_one_outlet
from spinscope.store.story_space import unreadable
from spinscope.store.story_times import article_year, figure_period

TAXONOMY = "semeval2023"
AUTHOR = "author"


def list_stories(store: Store, *, min_documents: int = 1, limit: int = 200) -> list[dict]:
    """Stories, largest and then latest first: id, size, outlets, languages, dates, a title."""
    require_stories(store)
    sql = """
        SELECT s.story_id, s.size, s.dated, s.first_day, s.last_day,
               count(DISTINCT d.outlet) + bool_or(d.outlet IS NULL)::INTEGER,
               list(DISTINCT coalesce(d.language, 'unknown') ORDER BY 1),
               arg_min(d.title, coalesce(d.published, DATE '9999-12-31'))
        FROM stories s JOIN story_members m USING (story_id) JOIN documents d USING (doc_id)
        GROUP BY ALL HAVING count(*) >= ?
        ORDER BY s.size DESC, s.last_day DESC NULLS LAST, s.story_id LIMIT ?
    """
    keys = ("id", "documents", "dated", "first_day", "last_day", "outlets", "languages", "title")
    rows = store.query(sql, [min_documents, limit])
    return [dict(zip(keys, [_iso(v) for v in row], strict=True)) for row in rows]


def count_stories(store: Store, *, min_documents: int = 1) -> int:
    """How many stories have at least ``min_documents`` documents (``list_stories`` lists at
    most its ``limit`` of them)."""
    require_stories(store)
    return int(store.query("SELECT count(*) FROM stories WHERE size >= ?", [min_documents])[0][0])


def _iso(value: Any) -> Any:
    """Dates as ISO strings (JSON output carries built-in values only)."""
    return value.isoformat() if isinstance(value, date) else value


_DOC_COLUMNS = ("SELECT d.doc_id, d.title, d.outlet, d.language, d.published, d.words, d.url, "
                "r.result FROM story_members m JOIN documents d USING (doc_id) "
                "JOIN results r USING (doc_id) ")  # fmt: skip
EXPORT_STORIES = 256  # stories read in one query by ``iter_story_views``


def story_results(store: Store, story_id: int) -> list[tuple[dict, AnalysisResult]]:
    """The story's documents (indexed fields; ``outlet`` None where there is none) with their
    stored results, oldest first."""
    require_stories(store)
    rows = store.query(
        _DOC_COLUMNS + "WHERE m.story_id = ? ORDER BY d.published NULLS LAST, d.doc_id",
        [story_id],
    )
    if not rows:
        raise StoreError(f"No story {story_id} in {store.path}; `spinscope stats --by story` "
                         "lists the stories.")  # fmt: skip
    return [_doc(r) for r in rows]


def _doc(row: tuple) -> tuple[dict, AnalysisResult]:
    keys = ("id", "title", "outlet", "language", "published", "words", "url")
    return (dict(zip(keys, map(_iso, row[:7]), strict=True)),
            AnalysisResult.from_dict(json.loads(row[7])))  # fmt: skip


def story_view(store: Store, story_id: int) -> dict[str, Any]:
    """One story side by side: its documents, one column per outlet, the figures that differ,
    and plain-language notes for what the view cannot show (one outlet, no dates)."""
    docs = story_results(store, story_id)
    # the missing outlet's name is store-wide: the same in every story of an export
    return _view(story_id, docs, store_missing_outlet(store), store_readable(store))


def _view(
    story_id: int, docs: list[tuple[dict, AnalysisResult]], missing: str, readable: frozenset[str]
) -> dict[str, Any]:
    by_outlet: dict[str, list[tuple[dict, AnalysisResult]]] = defaultdict(list)
    for doc, result in docs:
        doc["outlet"] = missing if doc["outlet"] is None else doc["outlet"]
        by_outlet[doc["outlet"]].append((doc, result))
    columns = [_column(outlet, items) for outlet, items in sorted(by_outlet.items())]
    dates = [d["published"] for d, _ in docs if d["published"]]
    return {
        "id": story_id,
        "documents": [d for d, _ in docs],
        "languages": sorted({d["language"] or "unknown" for d, _ in docs}),
        "first_day": min(dates) if dates else None,
        "last_day": max(dates) if dates else None,
        "outlets": columns,
        "figure_differences": figure_differences(columns),
        "only_in_one_outlet": only_in_one_outlet(by_outlet),
        "notes": _notes(docs, columns, readable, missing),
    }


def _notes(
    docs: list[tuple[dict, AnalysisResult]], columns: list[dict], readable: frozenset[str],
    missing: str,
) -> list[str]:  # fmt: skip
    """What the view cannot show: one document, one outlet (or none named), no dates;
    ``missing`` is the column name of the documents without an outlet."""
    notes = []
    if len(docs) == 1 and unreadable(docs[0][0]["language"], readable):
        lang = language_name(docs[0][0]["language"])
        notes.append(f"This document's language ({lang}) is one the story "
                     "encoder cannot read: it is a story of its own, never grouped with "
                     "others.")  # fmt: skip
    elif len(docs) == 1:
        notes.append("This story has one document: there is nothing to compare it with yet.")
    elif len(columns) == 1 and columns[0]["outlet"] == missing:
        notes.append(f"No document of this story names its outlet: they are one column, "
                     f"\u2068{missing}\u2069, which may hold several outlets.")  # fmt: skip
    elif len(columns) == 1:
        # the name isolated (FSI ... PDI): a bidi override in it does not run on into the note
        notes.append(f"Every document of this story comes from one outlet (\u2068"
                     f"{columns[0]['outlet']}\u2069): the columns compare outlets, so there is "
                     "one column.")  # fmt: skip
    undated = sum(1 for d, _ in docs if not d["published"])
    if undated:
        notes.append(f"{undated} of {len(docs)} documents have no date: undated documents "
                     "are grouped only with other undated documents, without a time "
                     "window.")  # fmt: skip
    return notes


def _tagged(result: AnalysisResult) -> bool:
    """Whether the technique tagger ran: the result's models name it, or, where a result
    records no models (a library caller's), it carries technique findings (as ``stats.ran_on``)."""
    if not result.models:
        return bool(result.findings)  # the stored result's own: machine findings
    return any(m.get("analyzer") in TECHNIQUE_ANALYZERS for m in result.models)


def _framed(result: AnalysisResult) -> bool:
    """Whether the framing analyser ran (its results, where a result records no models)."""
    if not result.models:
        return bool(result.labels)
    return any(m.get("analyzer") in NARRATIVE_ANALYZERS for m in result.models)


def _column(outlet: str, items: list[tuple[dict, AnalysisResult]]) -> dict[str, Any]:
    # a rate's words are those of the documents the technique tagger ran on (as in `stats`)
    words = sum(d["words"] or 0 for d, r in items if _tagged(r))
    techniques: Counter[str] = Counter()
    labels: dict[str, dict[str, float]] = {"frame": {}, "narrative": {}, "subnarrative": {}}
    figures: list[Any] = []
    speakers: Counter[str] = Counter()
    for doc, r in items:
        year = article_year(r.doc.text, doc.get("published"))
        for f in r.findings:
            if f.taxonomy == TAXONOMY and (f.voice or AUTHOR) == AUTHOR:
                techniques[f.label] += 1
        for lab in r.labels:
            if lab.task in labels:
                labels[lab.task][lab.label] = max(labels[lab.task].get(lab.label, 0.0), lab.score)
        for c in r.claims:
            who = c.attribution.speaker or c.attribution.entity
            if who:
                speakers[who.text] += 1
            figures += [_figure(doc, c, fig, figure_period(fig, c, r.doc.text, year))
                        for fig in c.figures]  # fmt: skip
    rate = {k: round(1000.0 * n / words, 3) if words else 0.0 for k, n in techniques.items()}
    return {
        "outlet": outlet,
        "documents": [d["id"] for d, _ in items],
        "languages": sorted({d["language"] or "unknown" for d, _ in items}),
        "words": words,
        # how many documents each analyser ran on: none is "not analysed", not "none found"
        "document_words": sum(d["words"] or 0 for d, _ in items),
        "tagged_documents": sum(1 for _, r in items if _tagged(r)),
        "framed_documents": sum(1 for _, r in items if _framed(r)),
        "techniques_per_1000_words": dict(sorted(rate.items(), key=lambda kv: (-kv[1], kv[0]))),
        "author_findings": sum(techniques.values()),
        "frames": _ranked(labels["frame"]),
        "narratives": _ranked({**labels["narrative"], **labels["subnarrative"]}),
        "figures": figures,
        "speakers": [{"name": n, "claims": k} for n, k in speakers.most_common()],
    }


def _ranked(scores: dict[str, float]) -> list[dict[str, Any]]:
    return [{"label": k, "score": round(v, 4)}
            for k, v in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))]  # fmt: skip


def _figure(doc: dict, claim, fig, period: str | None) -> dict[str, Any]:
    """A figure as plain data; ``period`` is what it is about in time (``story_times``)."""
    q = fig.quantity
    return {
        "document": doc["id"],
        "text": q.text,
        "value": q.value,
        "unit": q.unit,
        "kind": q.kind,
        "low": q.low,
        "high": q.high,
        "qualifier": q.qualifier,
        "statement": fig.statement,
        "time": fig.time.text if fig.time else None,
        "period": period,
        "about": fig.about.text if fig.about else None,
        "claim": claim.text,
    }


# Words of an "about" that do not say what is counted: numbers (the figure's own, often part of
# its "about": "17 deaths"), number words, qualifiers of a quantity, function words and
# pronouns. An "about" with nothing else ("he", "it", "two of them") is not matched.
_NOT_ABOUT = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions trillion dozen
    dozens half percent per cent first second third
    more than less fewer some nearly almost about around approximately roughly over under up
    at least most estimated only just another other total
    a an the of in on at to for from by with and or as its it he she they them their his her
    this that these those we you i our your who which what there is are was were be been
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
# An "about" that only names a span of time ("three months", "two years ago") says how long,
# not what is counted: not matched.
_TIME_WORDS = frozenset(
    "second seconds minute minutes hour hours day days week weeks month months year years "
    "decade decades century centuries ago later earlier a m p am pm".split()  # a.m., p.m.
)
# An "about" that names only the figure's unit often says nothing of what is counted: "97
# people" killed or infected? "200 rounds" fired or bought? "18,000 votes" short of a runoff or
# tallied? Such a figure is matched with the action of its own clause (the outcome word, or the
# nearest past participle: "killed 97 people" and "97 people died" -> dead; "fired nearly 200
# rounds" -> fired), and not matched without one. A unit that is itself what happened ("17
# deaths", "two cases") matches on its own; a measure alone ("20 miles", from where?) never.
_MEASURES = frozenset(
    "mile miles kilometre kilometres kilometer kilometers km metre metres meter meters feet "
    "foot yards acres hectares percent tons tonnes pounds kg kilograms dollars euros times "
    "points".split()
)
_COUNTED = frozenset("cases lives casualties infections victims injuries".split())
_IRREGULAR = frozenset(
    "cast sold bought paid spent won lost shot hit fought made taken given seen sent built "
    "brought found caught left put set cut struck stolen drawn thrown".split()
)
_NOT_ACTION = frozenset("hundred indeed speed united".split())
_OUTCOMES = {
    word: outcome
    for outcome, words in {
        "dead": "killed kill kills killing died die dies dead death deaths perished fatalities",
        "injured": "injured wounded hurt",
        "infected": "infected sick ill",
        "missing": "missing",
        "held": "detained arrested held hostage hostages captive kidnapped abducted",
        "released": "released freed",
        "displaced": "displaced fled evacuated homeless",
    }.items()
    for word in words.split()
}
_CLAUSE_END = re.compile(r"[,;:()]|\b(?:and|but|while|whereas)\b", re.I)
MIN_CLAIM_WORDS = 5  # a shorter "claim" is a share counter, a byline or a caption
CLAUSE_WORDS = 8  # words looked at on each side of the figure, within its clause
DIFFER_TOLERANCE = 0.02  # values within 2 % of each other agree ("nearly 29,000" and "28,600")
APPROX_TOLERANCE = 0.10  # "about", "nearly", "some": within 10 %


def about_key(about: str | None) -> tuple[str, ...]:
    """The words that say what a figure counts: the "about" text lower-cased, without numbers,
    number words, quantity qualifiers, function words, pronouns, months and days, in text
    order; empty when nothing is left or only words of time are (such a figure is not
    matched: "he", "May 3", "two months")."""
    words = re.findall(r"[^\W\d_]+", (about or "").lower())
    key = tuple(w for w in words if w not in _NOT_ABOUT)
    return () if all(w in _TIME_WORDS for w in key) else key


def figure_key(fig: dict) -> tuple[str, ...]:
    """What a figure counts, for matching: its ``about_key``; when that names only the unit,
    the action of the figure's clause is added (``_clause_action``; the figure is not matched
    without one), unless the unit is itself what happened ("deaths", "cases"); a measure
    alone ("miles") is not matched. A number fragment ("000" of "2 000", read apart) is not
    matched either, nor a figure whose "claim" is page furniture shorter than
    ``MIN_CLAIM_WORDS`` words ("53 SHARES Facebook Twitter")."""
    key = about_key(fig["about"])
    unit = (fig.get("unit") or "").strip().lower()
    claim_words = len((fig.get("claim") or "").split())
    if not key or re.fullmatch(r"0\d+", fig.get("text") or "") or claim_words < MIN_CLAIM_WORDS:
        return ()
    if set(key) - set(re.findall(r"[^\W\d_]+", unit)):
        return key
    if unit in _MEASURES:
        return ()
    if any(w in _COUNTED or w in _OUTCOMES for w in key):
        return key
    action = _clause_action(fig.get("claim") or "", fig["about"] or fig.get("text") or "")
    return key + (action,) if action else ()


def _action(word: str) -> str | None:
    """An outcome word's class ("died" -> "dead"), or a past participle or past form as is."""
    if word in _OUTCOMES:
        return _OUTCOMES[word]
    if word in _IRREGULAR or (re.fullmatch(r"[a-z]{3,}ed", word) and word not in _NOT_ACTION):
        return word
    return None


def _clause_action(claim: str, about: str) -> str | None:
    """The action word nearest to ``about`` in its clause of ``claim`` (after it first on a
    tie): "killed 97 people" and "97 people died" -> "dead"; "troops had been deployed"."""
    at = claim.find(about)
    if at < 0:
        return None
    before = _CLAUSE_END.split(claim[:at])[-1]
    after = _CLAUSE_END.split(claim[at + len(about) :])[0]
    words_after = re.findall(r"[^\W\d_]+", after.lower())[:CLAUSE_WORDS]
    words_before = re.findall(r"[^\W\d_]+", before.lower())[-CLAUSE_WORDS:][::-1]
    near = list(enumerate(words_after)) + list(enumerate(words_before))
    found = [(d, i, a) for i, (d, w) in enumerate(near) if (a := _action(w))]
    return min(found)[2] if found else None


def value_range(fig: dict) -> tuple[float, float]:
    """The values a figure allows: its range, or its value widened by its qualifier ("more than
    700" allows 720; "about 20" allows 18 to 22) and by ``DIFFER_TOLERANCE``."""
    v = float(fig["value"])
    if fig.get("low") is not None and fig.get("high") is not None:
        lo, hi = float(fig["low"]), float(fig["high"])
    else:
        qual = fig.get("qualifier") or ""
        lo = hi = v
        if qual.startswith(">"):
            hi = float("inf")
        elif qual.startswith("<") and "~" not in qual:
            lo = float("-inf") if v < 0 else 0.0
        if "~" in qual:
            lo = min(lo, v - APPROX_TOLERANCE * abs(v))
            hi = max(hi, v + APPROX_TOLERANCE * abs(v)) if not qual.startswith("<") else hi
    pad = DIFFER_TOLERANCE * max(abs(lo), abs(hi)) if abs(hi) != float("inf") else 0.0
    return lo - pad, hi + pad


def _agree(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    return any(x[0] <= y[1] and y[0] <= x[1] for x in a for y in b)


def figure_groups(columns: list[dict]) -> dict[tuple, dict[str, list[dict]]]:
    """Figures about the same thing given by two outlets or more: ``(about key, unit, statement,
    period) -> {outlet: [figure, ...]}``, sorted by key. The period is the figure's own time,
    or the past time its context names (``story_times.figure_period``: "last year, eight
    people were infected" is not compared with 44 infected now)."""
    seen: dict[tuple, dict[str, list[dict]]] = defaultdict(dict)
    for col in columns:
        for fig in col["figures"]:
            key = figure_key(fig)
            if key and fig["value"] is not None:
                period = fig["period"] if "period" in fig else fig.get("time")
                group = (" ".join(key), fig["unit"], fig.get("statement"), period)
                seen[group].setdefault(col["outlet"], []).append(fig)
    return {k: v for k, v in sorted(seen.items(), key=lambda kv: tuple(map(str, kv[0])))
            if len(v) > 1}  # fmt: skip


def figure_differences(columns: list[dict]) -> list[dict[str, Any]]:
    """Quantities about the same thing for which two outlets give no value in common.

    The same thing: the same ``about_key`` (the words of "about" that say what is counted),
    unit, statement (level, change, projection) and period (the figure's time, or the past time
    its context names: ``story_times``). Figures whose "about" says nothing (none, or only
    numbers and pronouns) are not matched. Two outlets differ when none of one's values agrees
    with any of the other's (``value_range``: qualifiers such as "more than" and "about",
    ranges, and ``DIFFER_TOLERANCE``): an outlet that gives several values
    about one thing (a total and a part) agrees with another outlet that gives one of them.
    A bound is compared as a bound: "at least 250" agrees with 1,300 and differs from 100.
    ``values`` are the plain numbers; ``as_written`` the figures' text, so that a bound reads
    as one ("At least 250", not 250).
    """
    out = []
    for (about, unit, _, _), per in figure_groups(columns).items():
        outlets = sorted(per)
        ranges = {o: [value_range(f) for f in per[o]] for o in outlets}
        if any(not _agree(ranges[a], ranges[b])
               for i, a in enumerate(outlets) for b in outlets[i + 1:]):  # fmt: skip
            out.append({"about": about, "unit": unit,
                        "values": {o: sorted({float(f["value"]) for f in per[o]})
                                   for o in outlets},
                        "as_written": {o: sorted({f["text"] for f in per[o]})
                                       for o in outlets}})  # fmt: skip
    return out


def stats_by_story(store: Store, *, limit: int = 200) -> dict[str, Any]:
    """``stats --by story``: one row per story (largest first) with its outlets and languages."""
    rows = list_stories(store, limit=limit)
    total = store.query("SELECT count(*), count(*) FILTER (WHERE size > 1) FROM stories")[0]
    return {"by": "story", "stories": int(total[0]), "multi_document_stories": int(total[1]),
            "rows": rows}  # fmt: skip


def iter_story_views(store: Store) -> Iterator[dict[str, Any]]:
    """Every story's side-by-side view, by story id (for the stories-jsonl export), read
    ``EXPORT_STORIES`` stories a query: one query a story is an index lookup of its results
    in DuckDB, about 0.1 s a story for stored articles (55 s for 443 stories)."""
    require_stories(store)
    missing, readable = store_missing_outlet(store), store_readable(store)
    ids = [int(r[0]) for r in store.query("SELECT story_id FROM stories ORDER BY story_id")]
    for k in range(0, len(ids), EXPORT_STORIES):
        rows = store.query(
            "SELECT m.story_id, " + _DOC_COLUMNS.removeprefix("SELECT ")
            + "WHERE m.story_id IN (SELECT unnest(?)) "
            "ORDER BY m.story_id, d.published NULLS LAST, d.doc_id",
            [ids[k : k + EXPORT_STORIES]],
        )  # fmt: skip
        for story_id, group in groupby(rows, key=lambda r: int(r[0])):
            yield _view(story_id, [_doc(r[1:]) for r in group], missing, readable)
