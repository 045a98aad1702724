"""Example values synthesized from types, shared by every target that shows examples.

Strings show their property name (a URI `https://example.com`), numbers 0, booleans true, enums their first
value, arrays one item; object keys required first, then optional ones, each group alphabetical.
"""

from __future__ import annotations

from ..ir.model import (
    Api,
    Array,
    Const,
    Enum,
    Field,
    File,
    Map,
    Nullable,
    Object,
    Primitive,
    Ref,
    Type,
    Union,
    Value,
)

__all__ = ["example_value", "ordered_fields", "synthesize"]


def ordered_fields(obj: Object) -> list[Field]:
    """Required fields first, then optional ones, each group alphabetical (as the reference pages do)."""
    return sorted(obj.fields, key=lambda f: (not f.required, f.wire_name))


def synthesize(
    api: Api, t: Type, key: str = "", seen: frozenset[str] = frozenset(), *, request: bool = False
) -> Value:
    """An example value for `t`: strings show their property name (a URI `https://example.com`), numbers 0,
    booleans true, enums their first value, arrays one item; object keys required first, then alphabetical.

    An optional field that leads back to a type being shown is left out (a tree shows one level, not
    `[{}]`); with `request`, so are read-only fields (a request does not send them)."""
    if isinstance(t, Nullable):
        return synthesize(api, t.inner, key, seen, request=request)
    if isinstance(t, Ref):
        if t.name in seen:
            return {}
        named = api.named(t.name)
        return synthesize(api, named.type, key, seen | {t.name}, request=request)
    if isinstance(t, Primitive):
        if t.kind == "string":
            return "https://example.com" if t.format in ("uri", "url") else (key or "string")
        if t.kind in ("integer", "number"):
            return 0
        if t.kind == "boolean":
            return True
        return {}
    if isinstance(t, Enum):
        return t.values[0]
    if isinstance(t, Const):
        return t.value
    if isinstance(t, File):
        return key or "file"
    if isinstance(t, Array):
        return [synthesize(api, t.item, key, seen, request=request)]
    if isinstance(t, Map):
        return {"key": synthesize(api, t.value, "key", seen, request=request)}
    if isinstance(t, Union):
        return synthesize(api, t.variants[0], key, seen, request=request)
    if isinstance(t, Object):
        out: dict[str, Value] = {}
        for f in ordered_fields(t):
            if (request and f.read_only) or (not f.required and _leads_back(f.type, seen)):
                continue
            if isinstance(f.type, Primitive) and f.type.kind == "string" and f.format in ("uri", "url"):
                out[f.wire_name] = "https://example.com"
            else:
                out[f.wire_name] = synthesize(api, f.type, f.wire_name, seen, request=request)
        return out
    return None


def _leads_back(t: Type, seen: frozenset[str]) -> bool:
    """Whether `t` is (a nullable or an array of) a reference to a type in `seen`."""
    while isinstance(t, (Nullable, Array)):
        t = t.inner if isinstance(t, Nullable) else t.item
    return isinstance(t, Ref) and t.name in seen


def example_value(
    api: Api, f_type: Type, wire: str, example: Value, has_example: bool, default: Value, has_default: bool
) -> Value:
    """The value a call example passes for a parameter."""
    if has_example:
        return example
    if has_default:
        return default
    return synthesize(api, f_type, wire, request=True)
