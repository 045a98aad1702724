"""What a user of one SDK sees of an API: its resources, methods, parameters, types and fields, each as that
SDK names and types it, flattened into entries that two versions of a spec can be compared by.

The names come from the targets themselves (`PythonTarget.resource_context`, `TypeScriptTarget.
resource_views`, `PerlTarget.method_name`, their type expressions), so the report speaks each SDK's language.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

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
    Operation,
    Primitive,
    Ref,
    Resource,
    Type,
    Union,
)
from ..targets.base import Job, ordered_params
from ..targets.perl import PerlTarget
from ..targets.python import PythonTarget
from ..targets.typescript import TypeScriptTarget, ts_key

__all__ = [
    "SDK_TARGETS",
    "Entry",
    "Shared",
    "Side",
    "Surface",
    "members",
    "operation_key",
    "shared",
    "surface",
    "unchanged_types",
]

#: the targets whose users write code against a surface (the docs target has none)
SDK_TARGETS = ("python", "typescript", "perl")

Side = Literal["in", "out", "both"]
Kind = Literal["resource", "method", "param", "type", "field"]


@dataclass(frozen=True)
class Entry:
    """One thing an SDK user can name: `key` is its identity across versions (HTTP method and path, wire
    names, schema names), `label` how the SDK spells it, `members` the type's members (see `members`)."""

    kind: Kind
    key: str
    parent: str  # the key of the entry it belongs to ("" at the top)
    group: str  # the resource it is reported under
    label: str
    type: str = ""  # the SDK's type expression
    members: dict[str, str] = field(default_factory=dict)  # member -> how the SDK writes it
    required: bool = True
    side: Side = "out"
    deprecated: bool = False
    stream: str = ""  # how a method answers: "" (one result), "stream", "either"
    pagination: str = ""  # a method's pagination scheme and parameter, "" when it returns one page
    pointer: str = ""


@dataclass
class Surface:
    target: str
    entries: dict[str, Entry]


def members(t: Type, render: Callable[[Type], str]) -> dict[str, str]:
    """The members of the union a type is: null, each enum value, each named type, each other type.

    Keys compare across versions (a schema's name, a value in JSON); values are the SDK's spelling."""
    out: dict[str, str] = {}

    def walk(t: Type) -> None:
        if isinstance(t, Nullable):
            out["null"] = "null"
            walk(t.inner)
        elif isinstance(t, Union):
            for v in t.variants:
                walk(v)
        elif isinstance(t, Enum):
            for value in t.values:
                out["value:" + json.dumps(value)] = json.dumps(value)
        elif isinstance(t, Const):
            out["value:" + json.dumps(t.value, sort_keys=True)] = json.dumps(t.value, sort_keys=True)
        elif isinstance(t, Ref):
            out["ref:" + t.name] = render(t)
        elif isinstance(t, Primitive):
            out["type:" + t.kind] = render(t)
        else:  # arrays, maps, files, objects: by their shape as a whole
            out["type:" + _shape(t)] = render(t)

    walk(t)
    return out


def _shape(t: Type) -> str:
    if isinstance(t, Array):
        return f"array<{_shape_members(t.item)}>"
    if isinstance(t, Map):
        return f"map<{_shape_members(t.value)}>"
    if isinstance(t, File):
        return "file"
    if isinstance(t, Object):
        return "object"
    return repr(t)


def _shape_members(t: Type) -> str:
    return "|".join(sorted(members(t, lambda _: "")))


def _reach(api: Api, t: Type | None, seen: set[str]) -> None:
    """Adds to `seen` each named type `t` reaches (following references)."""
    stack = [t]
    while stack:
        t = stack.pop()
        if t is None:
            continue
        if isinstance(t, Ref):
            if t.name in seen:
                continue
            seen.add(t.name)
            stack.append(api.named(t.name).type)
        else:
            stack.extend(_inside(t))


def _inside(t: Type) -> list[Type | None]:
    """The types directly inside `t` (a reference's target is not inside it)."""
    if isinstance(t, Nullable):
        return [t.inner]
    if isinstance(t, Union):
        return list(t.variants)
    if isinstance(t, Array):
        return [t.item]
    if isinstance(t, Map):
        return [t.value]
    if isinstance(t, Object):
        return [*(f.type for f in t.fields), t.additional]
    return []


def _refs(t: Type | None) -> set[str]:
    """The named types `t` names itself (without following references)."""
    out: set[str] = set()
    stack = [t]
    while stack:
        t = stack.pop()
        if isinstance(t, Ref):
            out.add(t.name)
        elif t is not None:
            stack.extend(_inside(t))
    return out


def operation_key(op: Operation) -> str:
    """An operation's identity across versions of a spec: its HTTP method and path."""
    return f"{op.method.upper()} {op.path}"


@dataclass(frozen=True)
class Shared:
    """What the surfaces of one API share whatever the target, computed once (`shared`)."""

    #: operation key -> the named types its parameters, body and responses reach
    reached: dict[str, frozenset[str]]
    #: whether each named type is sent (in), received (out) or both; a type no operation reaches is a
    #: model the SDK still exports: out
    sides: dict[str, Side]
    #: the named types some named type names (a field's type, a union's member...)
    nested: frozenset[str]


def shared(api: Api) -> Shared:
    reached: dict[str, frozenset[str]] = {}
    found: dict[str, set[str]] = {}
    for op in api.operations():
        sent: set[str] = set()
        received: set[str] = set()
        for p in op.params:
            _reach(api, p.type, sent)
        if op.body is not None:
            _reach(api, op.body.type, sent)
        for r in op.responses:
            for c in r.contents:
                _reach(api, c.type, received)
        reached[operation_key(op)] = frozenset(sent | received)
        for name in sent:
            found.setdefault(name, set()).add("in")
        for name in received:
            found.setdefault(name, set()).add("out")
    sides: dict[str, Side] = {}
    nested: set[str] = set()
    for t in api.types:
        got = found.get(t.name.original, {"out"})
        sides[t.name.original] = "both" if len(got) == 2 else ("in" if got == {"in"} else "out")
        nested |= _refs(t.type)
    return Shared(reached, sides, frozenset(nested))


def unchanged_types(old: Api, new: Api) -> frozenset[str]:
    """The named types that are the same in both APIs (frozen dataclasses compare by value; a reference
    compares by name): their fields cannot have changed, so no surface needs them."""
    before = {t.name.original: t for t in old.types}
    return frozenset(t.name.original for t in new.types if before.get(t.name.original) == t)


def _pagination(op: Operation) -> str:
    p = op.pagination
    if p is None:
        return ""
    return f"{p.scheme}({p.param})" if p.param else p.scheme


def _success_type(op: Operation) -> Type | None:
    success = op.success
    if success is None:
        return None
    return next((c.type for c in success.contents if c.type is not None), None)


class _Builder:
    """Collects the entries of one target; the target's own views give every name and type."""

    def __init__(self, target: str, api: Api, common: Shared, skip: frozenset[str]) -> None:
        self.target = target
        self.api = api
        self.entries: dict[str, Entry] = {}
        self.sides = common.sides
        self.common = common
        self.skip = skip  # named types whose fields need no entries
        self.users: dict[str, set[str]] = {}  # type name -> the resources whose methods reach it
        self.flat: set[str] = set()  # the operations whose body's fields are their parameters

    def add(self, entry: Entry) -> None:
        self.entries.setdefault(entry.key, entry)

    def group_of(self, type_name: str) -> str:
        """A type's changes are reported under the one resource that uses it, else under "types"."""
        users = self.users.get(type_name, set())
        return next(iter(users)) if len(users) == 1 else "types"

    def flattened(self, op: Operation) -> None:
        """`op`'s body's fields are the method's parameters: where its body is a named type, a user meets
        the type's fields there, and they are reported there only (unless the type is met elsewhere too)."""
        self.flat.add(operation_key(op))

    def met_only_as_parameters(self) -> set[str]:
        """The flattened bodies' named types that no parameter, response, other body or type names."""
        elsewhere = set(self.common.nested)
        bodies: set[str] = set()
        for op in self.api.operations():
            for p in op.params:
                elsewhere |= _refs(p.type)
            for r in op.responses:
                for c in r.contents:
                    elsewhere |= _refs(c.type)
            body = op.body
            if body is None:
                continue
            if isinstance(body.type, Ref) and operation_key(op) in self.flat:
                bodies.add(body.type.name)
            else:
                elsewhere |= _refs(body.type)
        return bodies - elsewhere

    def method(
        self,
        op: Operation,
        group: str,
        label: str,
        render: Callable[[Type], str],
        stream: str,
        parent: str = "",
    ) -> str:
        key = operation_key(op)
        for name in self.common.reached.get(key, ()):
            self.users.setdefault(name, set()).add(group)
        success = _success_type(op)
        self.add(
            Entry(
                "method",
                key,
                parent,
                group,
                label,
                type=render(success) if success is not None else "",
                members=members(success, render) if success is not None else {},
                side="out",
                deprecated=op.deprecated,
                stream=stream,
                pagination=_pagination(op),
                pointer=op.pointer,
            )
        )
        return key

    def param(
        self,
        method_key: str,
        group: str,
        wire: str,
        location: str,
        label: str,
        t: Type,
        required: bool,
        deprecated: bool,
        pointer: str,
        render: Callable[[Type], str],
    ) -> None:
        self.add(
            Entry(
                "param",
                f"{method_key} {location} {wire}",
                method_key,
                group,
                label,
                type=render(t),
                members=members(t, render),
                required=required,
                side="in",
                deprecated=deprecated,
                pointer=pointer,
            )
        )

    def types(
        self,
        label: Callable[[str], str],
        field_label: Callable[[str, Field, int], str],
        render: Callable[[Type, str], str],
    ) -> None:
        """Every named type with its fields: not the fields of a type met only as a method's parameters,
        nor what is inside a type that did not change (`skip`)."""
        as_parameters = self.met_only_as_parameters()
        for named in self.api.types:
            name = named.name.original
            same = name in self.skip
            side = self.sides[name]
            shown = "in" if side == "in" else "out"
            show = functools.partial(_flip, render, shown)
            key = f"type {name}"
            inner = named.type.inner if isinstance(named.type, Nullable) else named.type
            is_object = isinstance(inner, Object)
            group = self.group_of(name)
            shape = not (is_object or same)
            self.add(
                Entry(
                    "type",
                    key,
                    "",
                    group,
                    label(name),
                    type=render(named.type, shown) if shape else "",
                    members=members(named.type, show) if shape else {},
                    side=side,
                    deprecated=named.deprecated,
                    pointer=named.pointer,
                )
            )
            if not isinstance(inner, Object) or same or name in as_parameters:
                continue
            for i, f in enumerate(inner.fields):
                self.add(
                    Entry(
                        "field",
                        f"{key} {f.wire_name}",
                        key,
                        group,
                        field_label(name, f, i),
                        type=render(f.type, shown),
                        members=members(f.type, show),
                        required=f.required,
                        side=side,
                        deprecated=f.deprecated,
                        pointer=f"{named.pointer}/properties/{_escape(f.wire_name)}",
                    )
                )


def _flip(render: Callable[[Type, str], str], side: str, t: Type) -> str:
    return render(t, side)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _field_pointer(api: Api, op: Operation, wire_name: str) -> str:
    """Where a body field is declared: the named body type's property, else the operation."""
    body = op.body
    if body is not None and isinstance(body.type, Ref):
        return f"{api.named(body.type.name).pointer}/properties/{_escape(wire_name)}"
    return op.pointer


def _python(api: Api, job: Job, b: _Builder) -> dict[str, Entry]:
    py = PythonTarget(api, job)
    for rn in py.resource_names():
        group = f"client.{rn.path}"
        b.add(Entry("resource", f"resource {rn.path}", "", group, group, pointer=_first_pointer(rn.resource)))
        ctx = py.resource_context(rn.resource, rn.path, rn.class_name, rn.children)
        for op, m in zip(rn.resource.operations, ctx["methods"], strict=True):
            call = f"{group}.{m['name']}"
            key = b.method(
                op,
                group,
                f"{call}()",
                lambda t: py.annotation(t, "out", set()),
                _py_stream(m["mode"]),
                f"resource {rn.path}",
            )
            if op.body is not None and py.object_body(op.body) is not None:
                b.flattened(op)
            sources = _param_sources(api, py.body_fields(op.body), op)
            for p in m["params"]:
                t, deprecated, pointer = sources[(p["location"], p["wire_name"])]
                shown = p["name"] if p["positional"] else f"{p['name']}=..."
                b.param(
                    key,
                    group,
                    p["wire_name"],
                    p["location"],
                    f"{call}({shown})",
                    t,
                    p["required"],
                    deprecated,
                    pointer or op.pointer,
                    lambda t: py.annotation(t, "in", set()),
                )
    names = {n: py.types[n].class_name for n in py.types}
    field_names: dict[str, list[str]] = {}

    def field_label(type_name: str, f: Field, i: int) -> str:
        if type_name not in field_names:
            inner = api.resolve(api.named(type_name).type)
            inner = inner.inner if isinstance(inner, Nullable) else inner
            field_names[type_name] = py.field_names(inner) if isinstance(inner, Object) else []
        return f"{names[type_name]}.{field_names[type_name][i]}"

    b.types(lambda n: names[n], field_label, lambda t, side: py.annotation(t, side, set()))
    return b.entries


def _py_stream(mode: str) -> str:
    """How a Python method streams: "stream" or "either" (a `stream` flag); a page is pagination's news."""
    return "" if mode in ("request", "page") else mode


def _param_sources(
    api: Api, body_fields: Iterable[Field], op: Operation
) -> dict[tuple[str, str], tuple[Type, bool, str]]:
    """(location, wire name) -> (type, deprecated, pointer) of a method's parameters and body fields."""
    out: dict[tuple[str, str], tuple[Type, bool, str]] = {}
    for p in ordered_params(op):
        out[(p.location, p.wire_name)] = (p.type, p.deprecated, "")
    body = op.body
    for f in body_fields:
        out[("body", f.wire_name)] = (f.type, f.deprecated, _field_pointer(api, op, f.wire_name))
    if body is not None and not any(k[0] == "body" for k in out):
        out[("body", "body")] = (body.type, False, "")
    return out


def _typescript(api: Api, job: Job, b: _Builder) -> dict[str, Entry]:
    ts = TypeScriptTarget(api, job)

    def render(t: Type, side: str = "out") -> str:
        return ts.expr(t, side, set())

    for view in ts.resource_views:
        group = "client." + ".".join(view["path"])
        resource: Resource = view["resource"]
        pointer = _first_pointer(resource)
        b.add(Entry("resource", "resource " + ".".join(view["path"]), "", group, group, pointer=pointer))
        for op, m in zip(resource.operations, view["methods"], strict=True):
            call = f"{group}.{m['name']}"
            stream = ("either" if m["overloads"] else "stream") if m["stream"] else ""
            key = b.method(op, group, f"{call}()", render, stream, "resource " + ".".join(view["path"]))
            path = [p for p in ordered_params(op) if p.location == "path"]
            last = path[-1].wire_name if path else None
            for p in ordered_params(op):
                if p.location == "path" and p.wire_name == last:
                    label = f"{call}({_ts_arg(m)})"
                else:
                    label = f"{call}({{ {ts_key(p.wire_name)} }})"
                b.param(
                    key,
                    group,
                    p.wire_name,
                    p.location,
                    label,
                    p.type,
                    p.required or p.location == "path",
                    p.deprecated,
                    op.pointer,
                    lambda t: render(t, "in"),
                )
            body = op.body
            if body is None:
                continue
            resolved = api.resolve(body.type)
            if body.kind in ("json", "multipart", "form") and isinstance(resolved, Object):
                b.flattened(op)
                for f in resolved.fields:
                    if not f.read_only:
                        b.param(
                            key,
                            group,
                            f.wire_name,
                            "body",
                            f"{call}({{ {ts_key(f.wire_name)} }})",
                            f.type,
                            f.required,
                            f.deprecated,
                            _field_pointer(api, op, f.wire_name),
                            lambda t: render(t, "in"),
                        )
            else:
                b.param(
                    key,
                    group,
                    "body",
                    "body",
                    f"{call}({{ body }})",
                    body.type,
                    body.required,
                    False,
                    op.pointer,
                    lambda t: render(t, "in"),
                )
    b.types(
        lambda n: ts.types[n].name,
        lambda n, f, i: f"{ts.types[n].name}.{ts_key(f.wire_name)}",
        lambda t, side: render(t, side),
    )
    return b.entries


def _ts_arg(method: dict[str, object]) -> str:
    signature = str(method["signature"])
    return signature.split(":", 1)[0]


def _perl(api: Api, job: Job, b: _Builder) -> dict[str, Entry]:
    pl = PerlTarget(api, job)
    taken = pl.reserved()

    def render(t: Type, side: str = "out") -> str:
        return pl.type_text(t)

    for op, group in _perl_ops(api.resources, ()):
        name = pl.method_name(op, taken)
        call = f"$client->{name}"
        key = b.method(op, group, f"{call}()", render, "")
        for p in op.params:
            b.param(
                key,
                group,
                p.wire_name,
                p.location,
                f"{call}({{ {p.wire_name} => ... }})",
                p.type,
                p.required,
                p.deprecated,
                op.pointer,
                render,
            )
    b.types(lambda n: n, lambda n, f, i: f"{n}.{f.wire_name}", render)
    return b.entries


def _perl_ops(resources: tuple[Resource, ...], parents: tuple[str, ...]) -> list[tuple[Operation, str]]:
    """Operations in the order the Perl client names them, with their resource (as the docs write it)."""
    out: list[tuple[Operation, str]] = []
    for r in resources:
        path = (*parents, "_".join(r.name.words) or "default")
        out.extend((op, ".".join(path)) for op in r.operations)
        out.extend(_perl_ops(r.children, path))
    return out


def _first_pointer(resource: Resource) -> str:
    for op in resource.operations:
        return op.pointer
    for child in resource.children:
        return _first_pointer(child)
    return ""


_BUILDERS: dict[str, Callable[[Api, Job, _Builder], dict[str, Entry]]] = {
    "python": _python,
    "typescript": _typescript,
    "perl": _perl,
}


def surface(
    api: Api, job: Job, *, common: Shared | None = None, skip: frozenset[str] = frozenset()
) -> Surface:
    """What a user of `job.target`'s SDK sees of `api`. `common`: `shared(api)`, when several targets'
    surfaces of one API are made; `skip`: named types whose insides need no entries (`unchanged_types`;
    both surfaces compared must skip the same)."""
    builder = _Builder(job.target, api, common or shared(api), skip)
    return Surface(job.target, _BUILDERS[job.target](api, job, builder))
