"""Which sources a corpus run reads: the suffixes each kind of file has, and ``expand``, which
turns folders and globs into the files they hold (URLs and other paths kept as given)."""

from __future__ import annotations

import glob
import os
from collections import deque
from collections.abc import Iterator, Sequence

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
    """Inputs as a list of files and URLs: folders are walked (``_walk``), globs expanded; a
    path that matches nothing is kept (and fails when read)."""
    out: list[str] = []
    for raw in inputs:
        if is_web_url(raw):
            out.append(raw)
        elif os.path.isdir(raw):
            out += _walk(raw)
        elif glob.has_magic(raw):
            out += sorted(p for p in _glob(raw) if os.path.isfile(p))
        else:
            out.append(raw)
    once: dict[str, str] = {}  # one file reached by two names (a link, ./a.txt) is read once
    for source in out:
        local = not is_web_url(source) and os.path.exists(source)
        once.setdefault(os.path.realpath(source) if local else source, source)
    return list(once.values())


def _walk(folder: str) -> list[str]:
    """The files with a known suffix in ``folder`` and below, sorted, links to folders
    followed (a folder of links to each year's articles gave none), each real folder once."""
    out: list[str] = []
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        dirs[:] = [] if real in seen else sorted(dirs)
        if real not in seen:
            seen.add(real)
            names = [f for f in sorted(files) if f.lower().endswith(ALL_SUFFIXES)]
            out += [p for f in names if not _special(p := os.path.join(root, f))]
    return out


def _special(path: str) -> bool:
    """A named pipe, socket or device: reading one named news.txt in a folder waited for ever.
    (A broken link is no such thing: it fails when read, saying so.)"""
    return os.path.exists(path) and not os.path.isfile(path)


def _glob(pattern: str) -> list[str]:
    """``glob.glob(pattern, recursive=True)``, but ``**`` enters each real folder once: glob
    follows a link back up (``loop -> ..``) to the system's limit on links, reading each file
    some 40 times, and two such links made it run for ever."""
    parts = pattern.split(os.sep)
    if "**" not in parts:
        return glob.glob(pattern)
    i = parts.index("**")
    head, rest = os.sep.join(parts[:i]) or (os.sep if i else ""), os.sep.join(parts[i + 1 :])
    out: list[str] = []
    for base in glob.glob(head) if glob.has_magic(head) else [head]:
        for folder in _folders_once(base):
            out += _glob(os.path.join(glob.escape(folder), rest or "*"))
    return out


def _folders_once(base: str) -> Iterator[str]:
    """``base`` and the folders below it, links followed, each real folder once; hidden
    folders are skipped, as glob's ``**`` skips them. Breadth first: a folder is named by its
    shortest path, which is its own name rather than a link's, mostly."""
    seen: set[str] = set()
    queue = deque([base])
    while queue:
        folder = queue.popleft()
        real = os.path.realpath(folder or os.curdir)
        if real in seen or not os.path.isdir(real):
            continue
        seen.add(real)
        yield folder
        try:
            names = sorted(os.listdir(folder or os.curdir))
        except OSError:
            continue
        queue += [os.path.join(folder, n) for n in names if not n.startswith(".")]


def missing_paths(sources: Sequence[str]) -> list[str]:
    """The local paths among ``sources`` (as ``expand`` returns them) that do not exist."""
    return [s for s in sources if not is_web_url(s) and not os.path.exists(s)]
