"""generator/jsontext.py lays out indented JSON exactly as `json.dumps` does, whatever the value."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import jsontext

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
_keys = st.text(max_size=6) | st.integers(min_value=-5, max_value=5) | st.booleans() | st.none()
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    | st.dictionaries(_keys, inner, max_size=3),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(value=_values, indent=st.sampled_from([0, 1, 2, 4]), sort_keys=st.booleans())
def test_the_same_text_as_json_dumps(value: Any, indent: int, sort_keys: bool) -> None:
    try:
        expected = json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=sort_keys)
    except TypeError:  # sorting keys of mixed types: json.dumps refuses, and so does jsontext
        with pytest.raises(TypeError):
            jsontext.dumps(value, indent=indent, sort_keys=sort_keys)
        return
    assert jsontext.dumps(value, indent=indent, sort_keys=sort_keys) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"a": float("nan"), "b": float("-inf")},
        {1: "int key", False: "bool key", None: "null key", 2.5: "float key"},
        {"text": "é \u2028 \" \\ \x00 \U0001f600", "empty": {}, "none": [], "nested": [[[]]]},
        [1.5, -0.0, 1e100, 2**70, True, False, None],
        "a bare string",
        (1, (2, 3)),
    ],
)
def test_unusual_values(value: Any) -> None:
    for indent in (1, 2, 4):
        assert jsontext.dumps(value, indent=indent) == json.dumps(value, indent=indent, ensure_ascii=False)


def test_a_cycle_is_refused_as_json_refuses_it() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        jsontext.dumps(loop)


def test_a_value_json_cannot_write_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError):
        jsontext.dumps({"when": object()})
