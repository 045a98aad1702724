"""What every target shares: the job it runs for, the file plan it returns, name de-duplication."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..diagnostics import Diagnostic
from ..ir.model import Api, Array, File, Map, Nullable, Object, Operation, Parameter, Primitive, Type

__all__ = [
    "QUERY_ARRAYS",
    "QUERY_OBJECTS",
    "Job",
    "PlannedFile",
    "Target",
    "auth_methods",
    "binary_media_types",
    "event_stream",
    "holds_file",
    "json_like",
    "ordered_params",
    "query_pairs",
    "query_style_matters",
    "shared_target",
    "unique",
]


#: how a query sends an array (`k=a&k=b`, `k[]=a&k[]=b`, `k=a,b`) and an object (`k[p]=v`, `p=v`) when a
#: job says so, whatever the spec's styles say (the job keys `query-arrays` and `query-objects`)
QUERY_ARRAYS = ("repeat", "brackets", "comma")
QUERY_OBJECTS = ("deepObject", "form")


@dataclass(frozen=True)
class Job:
    """One generation job: a spec, a target, an output folder and the target's options."""

    spec: str
    target: str
    out: str
    package_name: str = ""
    client_name: str = ""
    package_version: str = "0.1.0"
    cli_name: str = ""
    templates: str = ""
    strict: bool = False
    #: one of QUERY_ARRAYS, QUERY_OBJECTS; "": each query parameter as the spec's style says
    query_arrays: str = ""
    query_objects: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    #: the largest spec file this job reads (0: the default limit)
    max_bytes: int = 0
    #: the folder relative paths are read from (the config file's); paths keep their spelling for headers
    root: str = ""
    #: operationId -> "resource.method" (or "resource.sub.method"), where the naming rules cannot know
    names: Mapping[str, str] = field(default_factory=dict)
    #: operationId, "METHOD /path" or "*" -> "off", "auto", a scheme, or a table (generator/ir/paginate.py)
    pagination: Mapping[str, Any] = field(default_factory=dict)
    #: keep CHANGELOG.md in the output: an entry prepended each time the SDK's surface changes
    changelog: bool = False
    #: the date its new entries carry (YYYY-MM-DD); default: the spec's info.version when it is a date
    changelog_date: str = ""

    def resolve(self, path: str) -> str:
        if not path or not self.root or Path(path).is_absolute():
            return path
        return str(Path(self.root) / path)


@dataclass(frozen=True)
class PlannedFile:
    """One output file: its path relative to the output folder, the template and its context.

    The context may be a function that computes it: a target defers the costly ones so that they are
    computed where the file is rendered (on either core, see generator/produce.py).
    """

    path: str
    template: str
    context: Mapping[str, Any] | Callable[[], Mapping[str, Any]]

    def values(self) -> Mapping[str, Any]:
        """The template's context."""
        return self.context() if callable(self.context) else self.context


class Target:
    """A target turns the IR into a file plan; it never touches the disk."""

    name: str = ""
    #: Jinja filters for this language's escaping contexts.
    filters: Mapping[str, Any] = {}

    def __init__(self, api: Api, job: Job) -> None:
        self.api = api
        self.job = job

    def plan(self) -> list[PlannedFile]:
        """Every file this target writes, with its template and context."""
        raise NotImplementedError

    def diagnostics(self) -> list[Diagnostic]:
        """Warnings about what this target cannot show as the spec means it (none by default)."""
        return []


_T = TypeVar("_T", bound=Target)
#: the targets made for the IR of this run: (class, naming options) -> target, beside the IR they serve
_SHARED: dict[tuple[Any, ...], Target] = {}
_SHARED_API: list[Api] = []


def shared_target(cls: type[_T], api: Api, job: Job) -> _T:
    """The `cls` target for `api` and `job`, made once per run: the docs target names what the SDK targets of
    the same run generate, and takes their views (names, resource contexts) instead of building them again.

    A target's views depend on the IR and on the job's naming options only (its package, client and CLI
    names, its version); its plan does not change them. One IR at a time is remembered."""
    if not _SHARED_API or _SHARED_API[0] is not api:
        _SHARED.clear()
        _SHARED_API[:] = [api]
    key = (cls, job.package_name, job.client_name, job.cli_name, job.package_version)
    found = _SHARED.get(key)
    if not isinstance(found, cls):
        found = _SHARED[key] = cls(api, job)
    return found


def unique(candidate: str, taken: set[str], *, sep: str = "_") -> str:
    """`candidate`, or `candidate<sep>2`, `candidate<sep>3`, ... whichever is free first; marks it taken."""
    result, n = candidate, 1
    while result in taken:
        n += 1
        result = f"{candidate}{sep}{n}"
    taken.add(result)
    return result


def holds_file(t: Type) -> bool:
    """Whether a (resolved) type is a file, or a nullable or an array of files: a multipart file part."""
    if isinstance(t, Nullable):
        return holds_file(t.inner)
    if isinstance(t, Array):
        return holds_file(t.item)
    return isinstance(t, File)


def event_stream(media_type: str) -> bool:
    """Whether a response's media type is a stream of server-sent events."""
    return media_type.split(";", 1)[0].strip().lower() == "text/event-stream"


def json_like(media_type: str) -> bool:
    """Whether a media type carries JSON (`application/json`, `application/problem+json`, ...)."""
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def binary_media_types(api: Api, op: Operation) -> tuple[str, ...]:
    """The media types of `op`'s success response when its body is not read as JSON, else ().

    Not JSON: no JSON media type among those that are not server-sent events (a file, audio, an
    image, JSON Lines, plain text); or JSON whose schema is a bare string or binary, which specs write for
    downloads of any content (the OpenAI spec's `/files/{id}/content`): such a body is handed over
    as it comes. The types are what the client accepts.
    """
    success = op.success
    contents = [m for m in success.contents if not event_stream(m.media_type)] if success else []
    if not contents:
        return ()
    jsons = [m for m in contents if json_like(m.media_type)]
    if not jsons:
        return tuple(m.media_type for m in contents)
    t = api.resolve(jsons[0].type) if jsons[0].type is not None else None
    if isinstance(t, File) or (
        isinstance(t, Primitive) and t.kind == "string" and t.format in (None, "binary", "byte")
    ):
        return (jsons[0].media_type,)
    return ()


def ordered_params(op: Operation) -> list[Parameter]:
    """Path parameters in the order the path names them, then the others as declared."""
    order = re.findall(r"{([^}]+)}", op.path)
    path = sorted(
        (p for p in op.params if p.location == "path"),
        key=lambda p: order.index(p.wire_name) if p.wire_name in order else len(order),
    )
    return path + [p for p in op.params if p.location != "path"]


def auth_methods(api: Api, op: Operation) -> list[str]:
    """How the client's key is sent for `op`: "bearer", "basic", or "LOCATION:NAME" for an API key."""
    schemes = {s.name: s for s in api.security_schemes}
    out: list[str] = []
    for scheme_name in op.security:
        scheme = schemes.get(scheme_name)
        if scheme is None:
            continue
        if scheme.kind == "apiKey":
            how = f"{scheme.location}:{scheme.parameter}"
        elif scheme.kind == "basic":
            how = "basic"
        else:  # bearer, oauth2 and OpenID Connect all send a bearer token
            how = "bearer"
        if how not in out:
            out.append(how)
    return out


def query_style_matters(api: Api, p: Parameter) -> bool:
    """Whether a query parameter's style needs saying: not `form` exploded, or an object (spread)."""
    if (p.style, p.explode) != ("form", True):
        return True
    t = api.resolve(p.type)
    while isinstance(t, Nullable):
        t = api.resolve(t.inner)
    return isinstance(t, (Object, Map))


def _text(value: object) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _flat_pairs(key: str, value: object, arrays: str) -> list[tuple[str, str]]:
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [pair for k, v in value.items() for pair in _flat_pairs(f"{key}[{k}]", v, arrays)]
    if isinstance(value, (list, tuple)):
        present = [v for v in value if v is not None]
        if arrays == "comma" and not any(isinstance(v, (Mapping, list, tuple)) for v in present):
            return [(key, ",".join(map(_text, present)))] if present else []
        key += "[]" if arrays == "brackets" else ""
        return [pair for v in present for pair in _flat_pairs(key, v, arrays)]
    return [(key, _text(value))]


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def query_pairs(
    name: str, value: object, style: str, explode: bool, arrays: str = "", objects: str = ""
) -> list[tuple[str, str]]:
    """A query parameter's pairs (JSON-like `value`), as the SDKs' runtimes send it: as its `style` and
    `explode` say, or every array and object as the job's `query-arrays` and `query-objects` say."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        if objects == "form":
            return [pair for k, v in value.items() for pair in _flat_pairs(str(k), v, arrays or "repeat")]
        if objects or style == "deepObject":
            return _flat_pairs(name, value, arrays or "repeat")
        present = [(str(k), v) for k, v in value.items() if v is not None]
        if explode:
            return [(k, _text(v)) for k, v in present]
        return [(name, ",".join(f"{k},{_text(v)}" for k, v in present))]
    if isinstance(value, (list, tuple)):
        if arrays or style == "deepObject":
            return _flat_pairs(name, value, arrays or "repeat")
        if explode:
            return [(name, _text(v)) for v in value]
        return [(name, _DELIMITERS.get(style, ",").join(map(_text, value)))]
    return [(name, _text(value))]
