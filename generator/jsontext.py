"""Indented JSON text, the same bytes as `json.dumps(value, indent=..., ensure_ascii=False)`, made faster.

With `indent`, the standard library lays JSON out in pure Python, a generator per level; the reference pages
show thousands of synthesized examples, and this lays them out in one pass appending to a list. Anything it
does not know (another type, a non-string key, NaN, a cycle) is left to `json.dumps` itself.
"""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["dumps"]

# quotes and escapes a string, non-ASCII kept (the C version when there is one)
_string = json.encoder.encode_basestring


class _Unusual(Exception):
    """A value `json.dumps` may lay out otherwise, or refuse."""


def dumps(value: Any, *, indent: int = 2, sort_keys: bool = False) -> str:
    """`json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=sort_keys)`, byte for byte."""
    out: list[str] = []
    try:
        _lay(value, out, "\n", " " * indent, sort_keys, 0)
    except (_Unusual, RecursionError):
        return json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=sort_keys)
    return "".join(out)


def _lay(value: Any, out: list[str], newline: str, step: str, sort_keys: bool, depth: int) -> None:
    kind = type(value)
    if kind is str:
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        if not math.isfinite(value):
            raise _Unusual
        out.append(float.__repr__(value))
    elif depth > 200:  # deeper than any example: json.dumps decides (and finds a cycle)
        raise _Unusual
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + step
        items = value.items()
        if sort_keys:
            if any(type(k) is not str for k in value):
                raise _Unusual
            items = sorted(items)
        lead = "{" + inner
        for key, item in items:
            if type(key) is not str:
                raise _Unusual
            out.append(lead + _string(key) + ": ")
            _lay(item, out, inner, step, sort_keys, depth + 1)
            lead = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + step
        lead = "[" + inner
        for item in value:
            out.append(lead)
            _lay(item, out, inner, step, sort_keys, depth + 1)
            lead = "," + inner
        out.append(newline + "]")
    else:
        raise _Unusual
