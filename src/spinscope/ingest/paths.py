"""Which sources a corpus run reads: the suffixes each kind of file has, and ``expand``, which
turns folders and globs into the files they hold (URLs and other paths kept as given)."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence

TEXT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
# files of many articles (`analyze` and `batch` read each; an upload to the web app is one)
MANY_SUFFIXES = FEED_SUFFIXES + WARC_SUFFIXES + (".jsonl", ".csv")
ALL_SUFFIXES = TEXT_SUFFIXES + MANY_SUFFIXES


def is_web_url(source: str) -> bool:
    """True if ``source`` is an ``http(s)://`` URL (a corpus reads it as a feed)."""
    return source.lower().startswith(("http://", "https://"))


def expand(inputs: Sequence[str]) -> list[str]:
    """Inputs as a list of files and URLs: folders are walked (files with a known suffix,
    sorted), globs expanded; a path that matches nothing is kept (and fails when read)."""
    out: list[str] = []
    for raw in inputs:
        if is_web_url(raw):
            out.append(raw)
        elif os.path.isdir(raw):
            for root, dirs, files in os.walk(raw):
                dirs.sort()
                out += [
                    os.path.join(root, f) for f in sorted(files) if f.lower().endswith(ALL_SUFFIXES)
                ]
        elif glob.has_magic(raw):
            out += sorted(p for p in glob.glob(raw, recursive=True) if os.path.isfile(p))
        else:
            out.append(raw)
    return list(dict.fromkeys(out))


def missing_paths(sources: Sequence[str]) -> list[str]:
    """The local paths among ``sources`` (as ``expand`` returns them) that do not exist."""
    return [s for s in sources if not is_web_url(s) and not os.path.exists(s)]
