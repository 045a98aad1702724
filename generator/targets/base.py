"""What every target shares: the job it runs for, the file plan it returns, name de-duplication."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ir.model import Api, Array, File, Map, Nullable, Object, Operation, Parameter, Type

__all__ = [
    "Job",
    "PlannedFile",
    "Target",
    "auth_methods",
    "event_stream",
    "holds_file",
    "json_like",
    "ordered_params",
    "query_style_matters",
    "unique",
]


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

    def plan(self) -> list[PlannedFile]:
        """Every file this target writes, with its template and context."""
        raise NotImplementedError


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
