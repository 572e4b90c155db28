"""One JSON encoder for everything spinscope writes: results, API answers, exports, cards.

Analysers compute with numpy, so numbers may arrive as numpy scalars or small arrays. ``plain``
turns such a value into built-in Python types (recursively through dicts, lists and tuples), and
``dumps`` is ``json.dumps`` after ``plain``. Anything else that is not JSON data is refused with
a ``TypeError`` naming its type, as ``json.dumps`` would.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dumps", "plain"]


_BUILTIN = (bool, int, float, str)


def plain(value: Any) -> Any:
    """``value`` with every numpy scalar or array replaced by the equivalent built-in value.

    Only exact built-in types pass through unchanged: ``numpy.float64`` is a subclass of
    ``float`` (and ``json.dumps`` writes it), but a result tree must hold plain Python only, so
    subclasses of the built-in scalars (numpy's, or an ``IntEnum``) become their base type.
    """
    if value is None or type(value) in _BUILTIN:
        return value
    if isinstance(value, dict):
        return {_key(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    item = getattr(value, "item", None)  # numpy scalar (np.int64, np.float32, np.bool_, ...)
    if callable(item) and getattr(value, "shape", None) == ():
        return plain(item())
    for base in (int, float, str):  # another subclass (bool has none): what json.dumps writes
        if isinstance(value, base):
            return getattr(base, f"__{base.__name__}__")(value)
    tolist = getattr(value, "tolist", None)  # numpy array
    if callable(tolist) and hasattr(value, "dtype"):
        return plain(tolist())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _key(key: Any) -> Any:
    key = plain(key)
    return key if isinstance(key, (str, int, float, bool)) or key is None else str(key)


def dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps(plain(value), **kwargs)``."""
    return json.dumps(plain(value), **kwargs)
