"""The intermediate representation: a language-neutral, immutable description of an API.

Nothing here knows a target language, Jinja, or the spec's dict layout. Names are kept as words
(`Name`) plus the spec's original spelling; each target renders and escapes them itself.
Named schemas are referenced by `Ref`, so recursive schemas form a graph, not an infinite tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias
from urllib.parse import parse_qsl

__all__ = [
    "Api",
    "Array",
    "Body",
    "Const",
    "Constraints",
    "Discriminator",
    "Enum",
    "Example",
    "Field",
    "File",
    "Map",
    "MediaType",
    "Name",
    "NamedType",
    "Nullable",
    "Object",
    "Operation",
    "Pagination",
    "Parameter",
    "Primitive",
    "Ref",
    "Resource",
    "Response",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Type",
    "Union",
    "Value",
]

#: A JSON value as it appears in the spec (defaults, enum values, examples).
Value: TypeAlias = "bool | int | float | str | list[Value] | dict[str, Value] | None"


@dataclass(frozen=True)
class Name:
    """A name as lower-case words plus the spelling the spec used (`createImageVariation`)."""

    words: tuple[str, ...]
    original: str


@dataclass(frozen=True)
class Primitive:
    kind: Literal["string", "integer", "number", "boolean", "any"]
    format: str | None = None


@dataclass(frozen=True)
class Enum:
    values: tuple[str | int | float | bool, ...]


@dataclass(frozen=True)
class Const:
    value: Value


@dataclass(frozen=True)
class Array:
    item: Type


@dataclass(frozen=True)
class Map:
    value: Type


@dataclass(frozen=True)
class File:
    """Binary content: an uploaded file in a request, raw bytes in a response."""


@dataclass(frozen=True)
class Ref:
    """A reference to a named type in `Api.types`, by its spec name."""

    name: str


@dataclass(frozen=True)
class Nullable:
    inner: Type


@dataclass(frozen=True)
class Discriminator:
    property: str
    mapping: tuple[tuple[str, Type], ...]


@dataclass(frozen=True)
class Union:
    variants: tuple[Type, ...]
    discriminator: Discriminator | None = None
    exclusive: bool = False  # oneOf (exactly one) rather than anyOf


@dataclass(frozen=True)
class Constraints:
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None
    exclusive_maximum: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None

    def is_empty(self) -> bool:
        return self == _NO_CONSTRAINTS


_NO_CONSTRAINTS = Constraints()


@dataclass(frozen=True)
class Field:
    name: Name
    wire_name: str
    type: Type
    required: bool
    has_default: bool = False
    default: Value = None
    docs: str = ""
    constraints: Constraints = _NO_CONSTRAINTS
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    example: Value = None
    has_example: bool = False
    format: str | None = None


@dataclass(frozen=True)
class Object:
    fields: tuple[Field, ...]
    additional: Type | None = None


Type: TypeAlias = "Primitive | Enum | Const | Array | Map | File | Ref | Nullable | Union | Object"


@dataclass(frozen=True)
class NamedType:
    """A schema with a name: every component schema, and inline objects named from where they stand."""

    name: Name
    type: Type
    docs: str = ""
    title: str = ""
    pointer: str = ""
    inline: bool = False
    deprecated: bool = False
    example: Value = None
    has_example: bool = False


@dataclass(frozen=True)
class Parameter:
    name: Name
    wire_name: str
    location: Literal["path", "query", "header", "cookie"]
    type: Type
    required: bool
    style: str
    explode: bool
    docs: str = ""
    deprecated: bool = False
    has_default: bool = False
    default: Value = None
    constraints: Constraints = _NO_CONSTRAINTS
    example: Value = None
    has_example: bool = False


@dataclass(frozen=True)
class MediaType:
    media_type: str
    type: Type | None
    example: Value = None
    has_example: bool = False


@dataclass(frozen=True)
class Body:
    kind: Literal["json", "multipart", "form", "binary", "text"]
    media_type: str
    type: Type
    required: bool
    docs: str = ""
    alternatives: tuple[MediaType, ...] = ()


@dataclass(frozen=True)
class Response:
    status: str  # "200", "2XX", "default"
    description: str
    contents: tuple[MediaType, ...]
    headers: tuple[str, ...] = ()  # the names of the headers it declares, as spelled


@dataclass(frozen=True)
class Pagination:
    """How a list operation's pages follow one another (see generator/ir/paginate.py).

    Paths are wire names of fields from the body's top (`("links", "pages", "next")`).
    - cursor: `param` (a query parameter) takes the value at `next`, or else the last item's
      `item_field`; no next page when `has_more` is false, or the cursor is empty or repeats.
    - page: `param` is the page number, counted up from the one asked (1 when none was).
    - offset: `param` moves on by the number of items received.
    - next_url: the next page is the URL at `next` (relative to the request's URL).
    - link_header: the next page is the `Link` header's `rel="next"` URL.
    - single: the whole list in one response; iterable, with no next page.
    Every scheme stops at a page without items.
    """

    scheme: Literal["cursor", "page", "offset", "next_url", "link_header", "single"]
    items: tuple[str, ...]  # the list's field; () when the body is the list
    item_type: Type
    param: str = ""
    size_param: str = ""  # the page size's query parameter, if any (`limit`, `per_page`)
    has_more: tuple[str, ...] = ()
    next: tuple[str, ...] = ()
    item_field: str = ""


@dataclass(frozen=True)
class Example:
    language: str  # as the spec labels it: "curl", "python", "node.js", ...
    code: str


@dataclass(frozen=True)
class Operation:
    id: str
    name: Name  # the method's words, the resource's noun removed: ("create", "variation")
    method: str  # lower case
    path: str
    params: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]
    summary: str = ""
    description: str = ""
    title: str = ""  # a display title: x-oaiMeta.name, else the summary
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    security: tuple[str, ...] = ()  # names of the security schemes that apply
    examples: tuple[Example, ...] = ()
    response_example: str = ""
    pointer: str = ""
    pagination: Pagination | None = None

    @property
    def route(self) -> str:
        """The path to send the request to: `path` without the query a spec's path key may carry
        (`/responses?beta=true` -> `/responses`)."""
        return self.path.split("?", 1)[0]

    @property
    def fixed_query(self) -> tuple[tuple[str, str], ...]:
        """The query a spec's path key carries (`/responses?beta=true` -> `(("beta", "true"),)`),
        sent with every call of the operation, before its query parameters."""
        if "?" not in self.path:
            return ()
        return tuple(parse_qsl(self.path.split("?", 1)[1], keep_blank_values=True))

    @property
    def success(self) -> Response | None:
        """The first 2xx response (or `default` when there is none)."""
        for response in self.responses:
            if response.status.startswith("2"):
                return response
        for response in self.responses:
            if response.status == "default":
                return response
        return None


@dataclass(frozen=True)
class Resource:
    name: Name
    docs: str = ""
    operations: tuple[Operation, ...] = ()
    children: tuple[Resource, ...] = ()


@dataclass(frozen=True)
class SecurityScheme:
    name: str
    kind: Literal["bearer", "basic", "apiKey", "oauth2", "openIdConnect"]
    location: Literal["header", "query", "cookie"] = "header"
    parameter: str = "Authorization"
    docs: str = ""


@dataclass(frozen=True)
class ServerVariable:
    """One `{name}` of a server URL: the value it takes unless the user gives another."""

    name: Name
    wire_name: str
    default: str
    enum: tuple[str, ...] = ()
    docs: str = ""


@dataclass(frozen=True)
class Server:
    url: str
    docs: str = ""
    variables: tuple[ServerVariable, ...] = ()
    #: the URL as literal text and variables: ("https://", None), ("region", variable), ...; only the
    #: `{name}`s the server declares are variables, any other text is literal
    parts: tuple[tuple[str, ServerVariable | None], ...] = ()

    @property
    def default_url(self) -> str:
        """The URL with every variable at its default."""
        if not self.variables:
            return self.url
        return "".join(v.default if v is not None else text for text, v in self.parts)


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    servers: tuple[Server, ...]
    security_schemes: tuple[SecurityScheme, ...]
    resources: tuple[Resource, ...]
    types: tuple[NamedType, ...]
    spec_path: str = ""
    openapi: str = "3.1.0"
    _index: dict[str, NamedType] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({t.name.original: t for t in self.types})

    def named(self, name: str) -> NamedType:
        return self._index[name]

    def resolve(self, t: Type) -> Type:
        """Follow `Ref`s until a structural type."""
        seen: set[str] = set()
        while isinstance(t, Ref) and t.name not in seen:
            seen.add(t.name)
            t = self._index[t.name].type
        return t

    def operations(self) -> list[Operation]:
        out: list[Operation] = []

        def walk(resources: tuple[Resource, ...]) -> None:
            for r in resources:
                out.extend(r.operations)
                walk(r.children)

        walk(self.resources)
        return out
