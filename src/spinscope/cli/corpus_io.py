"""`spinscope export` and `spinscope import-annotations`: thin wrappers over
``spinscope.store.exports``, ``spinscope.interchange`` (read, and write as training data) and
``spinscope.store.annotations`` (keep as human findings) that print a one-line summary."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

from spinscope.errors import StoreError
from spinscope.model.wording import plural


def open_store(path, *, read_only: bool = False, settings: dict | None = None):
    """The store a command works on, waiting up to ``store.lock_wait_s`` (of ``settings``, else
    the defaults, file-less, and environment) while another process (`spinscope serve` answering
    a request) has it open."""
    from spinscope.settings import load_settings
    from spinscope.store import Store

    wait_s = (settings if settings is not None else load_settings())["store.lock_wait_s"]
    return Store(path, read_only=read_only, wait_s=wait_s)


# why an import read nothing, where the tool keeps spinscope's own spans apart
NOTHING_READ = {
    "label-studio": "no task has an annotation (the predictions, spinscope's own spans, are not "
    "read back: accept or correct them in Label Studio, then export the project as JSON)",
}
UNITS = {"parquet": "row", "csv": "row", "failures": "failure record", "stories-jsonl": "story"}


def export_command(args) -> int:
    from spinscope.store.exports import documents_path, export

    with open_store(args.store, read_only=True) as store:
        n = export(store, args.format, args.out, taxonomy=args.taxonomy)
        documents = store.query("SELECT count(*) FROM documents")[0][0]
    counted = plural(n, UNITS.get(args.format, "document"))
    line = f"spinscope: exported {counted} as {args.format} to {args.out}"
    if args.format in ("csv", "parquet"):  # the denominators: say where they are
        line += f", and {plural(documents, 'document')} to {documents_path(Path(args.out))}"
    if args.format == "label-studio":  # the project needs it: say where it is
        from spinscope.interchange.label_studio import config_path

        line += f", and its labelling config to {config_path(Path(args.out))}"
    print(line, file=sys.stderr)
    return 0


def import_command(args) -> int:
    from spinscope.interchange.annotated import read_annotations
    from spinscope.interchange.ptc import write_training_folder
    from spinscope.store.annotations import store_human_findings

    if args.store and not Path(args.store).is_file():
        raise StoreError(
            f"No store at {args.store}; give the store the documents were exported from."
        )
    # the store is opened for writing (not a store, read-only, in use) before anything is
    # written: the training folder was written, then the store failed
    with open_store(args.store) if args.store else nullcontext() as store:
        docs = read_annotations(args.source, args.format, taxonomy=args.taxonomy)
        counts = write_training_folder(docs, args.out)
        line = _import_line(args, docs, counts)
        if store is not None:
            stored, missing = store_human_findings(store, docs, analyzer=args.format)
            line += f"; stored human findings of {plural(stored, 'document')} in {args.store}"
            if missing:
                line += f" ({plural(len(missing), 'document')} not in that store, left out)"
    print(line + ".", file=sys.stderr)
    return 0


def _import_line(args, docs, counts) -> str:
    """The summary of what was read and written to the training folder."""
    taxonomy = docs[0].taxonomy if docs else "no"
    line = (
        f"spinscope: read {plural(len(docs), 'annotated document')} ({taxonomy} labels); wrote "
        f"{counts['train']} train and {plural(counts['dev'], 'dev article')} with "
        f"{plural(counts['spans'], 'span')} to {args.out}"
    )
    if counts["left_out"]:
        line += (
            f" ({plural(counts['left_out'], 'span')} with no PTC-2020 technique, only in "
            "semeval23/)"
        )
    if not docs:
        line += f"; {NOTHING_READ.get(args.format, 'no document in it has a labelled span')}"
    if counts["semeval23"]:
        line += f"; train with --ptc {args.out} --semeval23 {counts['semeval23']}"
    elif docs:
        line += f"; train with --ptc {args.out}"
    return line
