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


def plain(value: Any) -> Any:
    """``value`` with every numpy scalar or array replaced by the equivalent built-in value."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {_key(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    item = getattr(value, "item", None)  # numpy scalar (np.int64, np.float32, np.bool_, ...)
    if callable(item) and getattr(value, "shape", None) == ():
        return plain(item())
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
