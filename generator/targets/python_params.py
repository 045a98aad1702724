"""Request parameters of the Python SDK as TypedDicts: which named types get one, their names, their modules.

Every named object type that a request can carry (a body field's type, a query or header parameter's, and
whatever those reach) gets a `<Class>Param` TypedDict in `types/<module>_param.py`: `total=False`, its
required keys `Required[...]`, its keys the wire names, its values the "in" side's types (a nested object
its own Param, an array a `Sequence`, a map a `Mapping`, an enum a `Literal`). A named alias that reaches
such an object (a union of message objects, say) gets a `<Name>Param` alias of the same shape. Methods take
these types, so a plain dict literal type-checks where the API takes an object; responses stay models.
Types that no request carries get no Param module (the full OpenAI spec: a few hundred of ~1,900).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..ir.model import Api, Array, Field, Map, Nullable, Object, Ref, Type, Union
from .base import ordered_params, unique

if TYPE_CHECKING:
    from .python import PythonTarget, TypeView

__all__ = ["PARAM_REF", "ParamView", "name_params", "param_context", "request_types"]

# How a reference to a Param type is recorded among a module's refs (spec names are the other refs).
PARAM_REF = "\x00param:"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NAME = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|(?<![\w.])[A-Za-z_]\w*")


@dataclass
class ParamView:
    name: str  # the spec's name of the type
    class_name: str  # `ChatMessageParam`
    module: str  # under types/: `chat_message_param`
    typed_dict: bool  # a TypedDict (an object type) or a type alias (a union, an array, ...)


def writable(obj: Object) -> list[Field]:
    """The fields a request may send: all but the read-only ones."""
    return [f for f in obj.fields if not f.read_only]


def _object_of(api: Api, name: str) -> Object | None:
    t = api.named(name).type
    t = t.inner if isinstance(t, Nullable) else t
    return t if isinstance(t, Object) else None


def _contained(t: Type) -> list[Type]:
    """The types right inside a wrapper: a nullable's, an array's items, a map's values, a union's."""
    if isinstance(t, Nullable):
        return [t.inner]
    if isinstance(t, Array):
        return [t.item]
    if isinstance(t, Map):
        return [t.value]
    if isinstance(t, Union):
        return list(t.variants)
    return []


def request_types(api: Api, body_fields: Callable[[Any], list[Field]]) -> set[str]:
    """The names of every named type a request can carry, from every operation's parameters and body
    fields, through nested fields (writable ones), items, values and variants."""
    seen: set[str] = set()
    stack: list[Type] = []
    for op in api.operations():
        stack.extend(p.type for p in ordered_params(op))
        stack.extend(f.type for f in body_fields(op.body))
    while stack:
        t = stack.pop()
        inner = _contained(t)
        if inner:
            stack.extend(inner)
        elif isinstance(t, Object):
            stack.extend(f.type for f in writable(t))
            if t.additional is not None:
                stack.append(t.additional)
        elif isinstance(t, Ref) and t.name not in seen:
            seen.add(t.name)
            stack.append(api.named(t.name).type)
    return seen


def _reaches_typed_dict(api: Api, name: str, typed: set[str], memo: dict[str, bool], busy: set[str]) -> bool:
    """Whether the named alias `name` holds (through other aliases) an object type that has a TypedDict."""
    if name in memo:
        return memo[name]
    if name in busy:  # a recursive alias: the answer comes from its other branches
        return False
    busy.add(name)
    found = False
    stack: list[Type] = [api.named(name).type]
    while stack and not found:
        t = stack.pop()
        inner = _contained(t)
        if inner:
            stack.extend(inner)
        elif isinstance(t, Ref):
            found = t.name in typed or (
                _object_of(api, t.name) is None and _reaches_typed_dict(api, t.name, typed, memo, busy)
            )
    busy.discard(name)
    memo[name] = found
    return found


def name_params(api: Api, types: dict[str, TypeView], request: set[str]) -> dict[str, ParamView]:
    """A Param type for each request-side object type with a writable field, and for each request-side
    alias that holds one; named `<Class>Param` in `<module>_param`, clear of every model's name."""
    typed = {name for name in request if (obj := _object_of(api, name)) is not None and writable(obj)}
    memo: dict[str, bool] = {}
    taken_classes = {v.class_name for v in types.values()}
    taken_modules = {"__init__"} | {v.module for v in types.values()}
    out: dict[str, ParamView] = {}
    for named in api.types:  # the spec's order: names do not depend on hash order
        name = named.name.original
        if name not in request:
            continue
        is_typed = name in typed
        if not is_typed and (
            _object_of(api, name) is not None or not _reaches_typed_dict(api, name, typed, memo, set())
        ):
            continue
        view = types[name]
        class_name = unique(view.class_name + "Param", taken_classes, sep="")
        module = unique(view.module + "_param", taken_modules)
        out[name] = ParamView(name, class_name, module, is_typed)
    return out


def _key_needs_functional_syntax(key: str, names_used: set[str]) -> bool:
    """Whether a TypedDict key cannot be a class-syntax field: not an identifier, a keyword, mangled in a
    class body (`__x`), or a name the annotations use (`Optional`, another Param's name)."""
    return (
        not (_IDENTIFIER.fullmatch(key) and key.isascii())
        or keyword.iskeyword(key)
        or key.startswith("__")
        or key in names_used
    )


def param_context(target: PythonTarget, view: ParamView) -> dict[str, Any]:
    """What `param.py.jinja` lays out for one Param type."""
    from .python import _BUILTINS, _import_order, _qualify_builtins, _type_docs, _typing_names, py_str

    api = target.api
    named = api.named(view.name)
    refs: set[str] = set()
    fields: list[dict[str, Any]] = []
    alias = ""
    obj = _object_of(api, view.name)
    if view.typed_dict and obj is not None:
        for f in writable(obj):
            annotation = target.annotation(f.type, "in", refs)
            docs = f.docs + ("\n\nDeprecated." if f.deprecated else "")
            fields.append(
                {"key": f.wire_name, "annotation": f"Required[{annotation}]" if f.required else annotation,
                 "docs": docs}
            )  # fmt: skip
    else:
        alias = target.annotation(named.type, "in", refs)
    code = " ".join([alias] + [f["annotation"] for f in fields])
    names_used = {m.group(0) for m in _NAME.finditer(code) if m.group(0)[0] not in "\"'"}
    # what the annotations name (a union that came to `object` names none of its variants)
    own = target.import_of(PARAM_REF + view.name)
    imports = sorted(i for i in map(target.import_of, refs) if i != own and i[1] in names_used)
    names_used |= {"Required", "TypedDict", "builtins", view.class_name}
    functional = any(_key_needs_functional_syntax(f["key"], names_used - _BUILTINS) for f in fields)
    shadowed = set() if functional else {f["key"] for f in fields} & _BUILTINS
    for entry in fields:
        entry["annotation"] = _qualify_builtins(entry["annotation"], shadowed)
        entry["key_expr"] = py_str(entry["key"])
        entry["value_expr"] = py_str(entry["annotation"])  # functional syntax: values are forward refs
    typing_names = set(_typing_names(code)) | ({"TYPE_CHECKING"} if imports else set())
    return {
        "class_name": view.class_name,
        "typed_dict": view.typed_dict,
        "functional": functional,
        "docs": _type_docs(named),
        "fields": fields,
        "imports_builtins": any("builtins." in f["annotation"] for f in fields),
        "alias_expr": py_str(alias) if refs else alias,
        "type_imports": imports,
        "typing_imports": _import_order(typing_names),
        "extensions_imports": (
            (["Required"] if any(f["annotation"].startswith("Required[") for f in fields) else [])
            + ["TypedDict"]
            if view.typed_dict
            else ["TypeAlias"]
        ),
    }
