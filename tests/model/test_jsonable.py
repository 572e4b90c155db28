"""The one JSON encoder: numpy values become built-in ones, anything else is refused."""

from __future__ import annotations

import enum
import json
import math

import numpy as np
import pytest

from spinscope.model.jsonable import dumps, plain


def exact_types(value):
    if isinstance(value, dict):
        return {type(k) for k in value} | {t for v in value.values() for t in exact_types(v)}
    if isinstance(value, list):
        return {list} | {t for v in value for t in exact_types(v)}
    return {type(value)}


@pytest.mark.parametrize(
    ("value", "expected", "kind"),
    [
        (np.int64(7), 7, int),
        (np.int32(-3), -3, int),
        (np.uint8(255), 255, int),
        (np.float32(0.5), 0.5, float),
        (np.float64(1.25), 1.25, float),  # a subclass of float: must still become a float
        (np.bool_(True), True, bool),
        (np.str_("x"), "x", str),
    ],
)
def test_numpy_scalars_become_built_in_values(value, expected, kind):
    out = plain(value)
    assert out == expected and type(out) is kind


def test_arrays_nested_containers_and_keys():
    data = {
        "offsets": (np.int64(3), np.int64(9)),
        "vec": np.arange(3, dtype=np.float32),
        np.int64(5): [np.array([[1, 2], [3, 4]])],
        "none": None,
    }
    out = plain(data)
    assert out == {"offsets": [3, 9], "vec": [0.0, 1.0, 2.0], 5: [[[1, 2], [3, 4]]], "none": None}
    assert exact_types(out) <= {dict, list, str, int, float, type(None)}


def test_subclasses_of_built_ins_become_their_base_type():
    class Colour(enum.IntEnum):
        RED = 1

    class Word(str, enum.Enum):  # noqa: UP042 -- the mixin (its str() is "Word.YES")
        YES = "yes"

    assert type(plain(Colour.RED)) is int and plain(Colour.RED) == 1
    assert type(plain(Word.YES)) is str and plain(Word.YES) == "yes"


def test_plain_values_pass_through_unchanged():
    data = {"a": [1, 2.5, "x", True, None], "b": {"c": False}}
    assert plain(data) == data
    assert dumps(data) == json.dumps(data)


def test_dumps_writes_numpy_values_as_json_would_write_python_ones():
    assert dumps({"n": np.int64(12), "p": np.float64(0.1)}, sort_keys=True) == json.dumps(
        {"n": 12, "p": 0.1}, sort_keys=True
    )
    assert dumps([np.float32(0.25)], indent=1) == json.dumps([0.25], indent=1)
    assert math.isclose(json.loads(dumps(np.float32(0.1))), 0.1, rel_tol=1e-6)


@pytest.mark.parametrize("value", [object(), {1, 2}, b"bytes", np.datetime64("2024-01-01")])
def test_anything_else_is_refused_with_its_type(value):
    with pytest.raises(TypeError, match="is not JSON serializable"):
        plain(value)
