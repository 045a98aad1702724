"""Which operations return one page of a list, and how the next page is asked for.

The scheme is inferred from the operation's query parameters and its success response, as people write
them: a cursor (`after`, `starting_after`, `cursor`, `page_token`, ...) moved to the next cursor field, the
`last_id` field or the last item's `id`; a page number (`page`, with `per_page`/`page_size`); an offset
(`offset` with `limit`); a next page's URL in the body (`next`, `next_page_url`, `links.pages.next`); or the
`Link: <...>; rel="next"` header, when the response declares it. A job's `pagination` table overrides
the inference per operation or for the whole API (see `Override`). A GET answering a whole list in one
object (`{"data": [...]}`, no paging parameter) is "single": iterable like the others, one page only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, cast

from .model import Array, Field, Object, Operation, Pagination, Primitive, Type

__all__ = ["SCHEMES", "Override", "PaginationError", "detect", "overrides"]

SCHEMES = ("cursor", "page", "offset", "next_url", "link_header", "single")

_CURSOR_PARAMS = (
    "after",
    "starting_after",
    "cursor",
    "page_token",
    "pagetoken",
    "next_token",
    "next_page_token",
    "continuation_token",
    "continuation",
    "marker",
)
_NEXT_CURSOR_FIELDS = (
    "next_cursor",
    "next_page",
    "next_page_token",
    "next_token",
    "continuation_token",
    "next_marker",
    "cursor",
)
_NEXT_URL_FIELDS = ("next", "next_url", "next_page_url", "next_page_uri", "next_link", "odata_next_link")
_HAS_MORE_FIELDS = ("has_more", "has_next", "has_next_page", "more")
_PAGE_PARAMS = ("page", "page_number", "pagenumber")
_SIZE_PARAMS = ("limit", "per_page", "page_size", "pagesize", "perpage", "max_results", "size", "count")
_OFFSET_PARAMS = ("offset", "skip", "start")
_LISTING_FIELDS = ("data", "items", "results", "entries", "records", "values", "elements", "objects")
#: how deep below the body's top level a paging field may sit (`links.pages.next`)
_DEPTH = 3

Resolve = Callable[["Type | None"], "Type | None"]


class PaginationError(Exception):
    """A `pagination` entry of a job that does not fit the operation it names."""


@dataclass(frozen=True)
class Override:
    """What a job's `pagination` table says of one operation (or, under `"*"`, of all).

    `scheme` is "off", "auto", or one of `SCHEMES`; the other fields, when given, name the parts of that
    scheme instead of inferring them (dotted paths for fields of the body).
    """

    scheme: str = "auto"
    param: str = ""
    size_param: str = ""
    items: str | None = None
    next: str = ""
    has_more: str = ""
    item_field: str = ""


_OVERRIDE_KEYS = {
    "scheme": "scheme",
    "param": "param",
    "size-param": "size_param",
    "items": "items",
    "next": "next",
    "has-more": "has_more",
    "item-field": "item_field",
}


def overrides(table: Mapping[str, Any]) -> dict[str, Override]:
    """A job's `pagination` table read into `Override`s by key (operationId, "METHOD /path" or "*")."""
    out: dict[str, Override] = {}
    for key, value in table.items():
        if isinstance(value, str):
            value = {"scheme": value}
        if not isinstance(value, Mapping):
            raise PaginationError(
                f'pagination: \'{key}\' must be "off", "auto", a scheme ({", ".join(SCHEMES)}) or a table'
            )
        unknown = sorted(set(value) - set(_OVERRIDE_KEYS))
        if unknown:
            raise PaginationError(
                f"pagination: '{key}': unknown key '{unknown[0]}' (known: {', '.join(_OVERRIDE_KEYS)})"
            )
        if not all(isinstance(v, str) for v in value.values()):
            raise PaginationError(f"pagination: '{key}': every value must be a string")
        scheme = value.get("scheme", "auto")
        if scheme not in ("off", "auto", *SCHEMES):
            raise PaginationError(
                f"pagination: '{key}': unknown scheme '{scheme}' (known: off, auto, {', '.join(SCHEMES)})"
            )
        if key == "*" and scheme not in ("off", "auto"):
            raise PaginationError('pagination: \'*\' (every operation) takes "off" or "auto"')
        out[str(key)] = Override(**{_OVERRIDE_KEYS[k]: v for k, v in value.items()})
    return out


def _norm(wire_name: str) -> str:
    """`pageToken`, `page-token`, `PageToken` and `page_token` alike; `@odata.nextLink` too."""
    out: list[str] = []
    for i, ch in enumerate(wire_name):
        if ch.isupper() and i and (wire_name[i - 1].islower() or wire_name[i - 1].isdigit()):
            out.append("_")
        out.append(ch.lower() if ch.isalnum() else "_")
    return "_".join(w for w in "".join(out).split("_") if w)


class _Detector:
    def __init__(self, op: Operation, resolve: Resolve) -> None:
        self.op = op
        self.resolve = resolve
        self.query = {p.wire_name: p for p in op.params if p.location == "query"}
        self.body: Type | None = None
        self.declares_link = False
        success = op.success
        if success is not None:
            self.declares_link = any(h.lower() == "link" for h in success.headers)
            for media in success.contents:
                base = media.media_type.split(";", 1)[0].strip().lower()
                if base == "application/json" or base.endswith("+json"):
                    self.body = self.resolve(media.type)
                    break

    # -- the request's side ------------------------------------------------------------------------

    def param(self, names: tuple[str, ...]) -> str:
        """The first query parameter whose name is one of `names`, in their order of preference."""
        by_norm = {_norm(w): w for w in self.query}
        for wanted in names:
            if wanted in by_norm:
                return by_norm[wanted]
        return ""

    def given_param(self, wire_name: str) -> str:
        if wire_name and wire_name not in self.query:
            known = ", ".join(self.query) or "none"
            raise self.error(f"'{wire_name}' is not a query parameter of it (its query parameters: {known})")
        return wire_name

    # -- the response's side -----------------------------------------------------------------------

    def fields(self, t: Type | None) -> tuple[Field, ...]:
        t = self.resolve(t)
        return t.fields if isinstance(t, Object) else ()

    def find(self, names: tuple[str, ...], want: Callable[[Type | None], bool]) -> tuple[str, ...]:
        """The path of the shallowest body field named one of `names` whose type `want`s."""
        level: list[tuple[tuple[str, ...], Type | None]] = [((), self.body)]
        for _ in range(_DEPTH):
            found: list[tuple[int, tuple[str, ...]]] = []
            deeper: list[tuple[tuple[str, ...], Type | None]] = []
            for path, t in level:
                for f in self.fields(t):
                    norm = _norm(f.wire_name)
                    if norm in names and want(self.resolve(f.type)):
                        found.append((names.index(norm), (*path, f.wire_name)))
                    deeper.append(((*path, f.wire_name), f.type))
            if found:
                return min(found)[1]
            level = deeper
        return ()

    def at(self, path: tuple[str, ...]) -> Type | None:
        t = self.body
        for part in path:
            t = next((f.type for f in self.fields(t) if f.wire_name == part), None)
            if t is None:
                return None
        return self.resolve(t)

    def items(self, given: str | None) -> tuple[tuple[str, ...], Type] | None:
        """Where the items are (a path of fields, or () for a body that is the list) and their type."""
        if given is not None:
            path = tuple(p for p in given.split(".") if p)
            t = self.at(path) if path else self.body
            if not isinstance(t, Array):
                raise self.error(f"the response has no list at '{given or '(the body)'}'")
            return path, t.item
        if isinstance(self.body, Array):
            return (), self.body.item
        arrays = [f for f in self.fields(self.body) if isinstance(self.resolve(f.type), Array)]
        chosen = next((f for name in _LISTING_FIELDS for f in arrays if _norm(f.wire_name) == name), None)
        if chosen is None and len(arrays) == 1:
            chosen = arrays[0]
        if chosen is None:
            return None
        t = self.resolve(chosen.type)
        assert isinstance(t, Array)
        return (chosen.wire_name,), t.item

    def given_field(self, dotted: str, what: str) -> tuple[str, ...]:
        path = tuple(p for p in dotted.split(".") if p)
        if path and self.at(path) is None:
            raise self.error(f"the response has no field '{dotted}' ({what})")
        return path

    def error(self, message: str) -> PaginationError:
        return PaginationError(f"pagination: {self.op.method.upper()} {self.op.path}: {message}")

    # -- the schemes -------------------------------------------------------------------------------

    def detect(self, o: Override) -> Pagination | None:
        if o.scheme == "off":
            return None
        explicit = o.scheme != "auto"
        if self.op.method != "get" and not explicit:
            return None
        found = self.items(o.items)
        if found is None:
            if explicit:
                raise self.error(f"scheme '{o.scheme}' needs a list in the response (give its field: items)")
            return None
        base = Pagination(
            scheme="cursor",
            items=found[0],
            item_type=found[1],
            size_param=self.given_param(o.size_param) or self.param(_SIZE_PARAMS),
            has_more=(
                self.given_field(o.has_more, "has-more")
                if o.has_more
                else self.find(_HAS_MORE_FIELDS, lambda t: t == Primitive("boolean"))
            ),
        )
        if o.scheme == "single":
            return replace(base, scheme="single")
        schemes = (o.scheme,) if explicit else ("link_header", "cursor", "next_url", "page", "offset")
        for scheme in schemes:
            made = getattr(self, scheme)(base, o, explicit)
            if made is not None:
                return cast(Pagination, made)
        collection = not self.op.path.split("?", 1)[0].rstrip("/").endswith("}")
        if collection and base.items and _norm(base.items[0]) in ("data", "items") and not base.has_more:
            # a whole list in one answer (`{"object": "list", "data": [...]}`): still iterable, never more
            return replace(base, scheme="single")
        return None

    def link_header(self, base: Pagination, o: Override, explicit: bool) -> Pagination | None:
        if not (self.declares_link or explicit):
            return None
        param = self.given_param(o.param) or self.param(_PAGE_PARAMS)
        return replace(base, scheme="link_header", param=param)

    def cursor(self, base: Pagination, o: Override, explicit: bool) -> Pagination | None:
        param = self.given_param(o.param) or self.param(_CURSOR_PARAMS)
        nxt = self.given_field(o.next, "next") if o.next else self.find(_NEXT_CURSOR_FIELDS, _scalar)
        if not param and nxt and not explicit:
            # `page` holding the `next_page` of the last response: a cursor, not a number
            page = self.param(_PAGE_PARAMS)
            param = page if page and _string(self.resolve(self.query[page].type)) else ""
        if not param:
            if explicit:
                raise self.error(
                    f"scheme 'cursor' needs a cursor query parameter (one of {', '.join(_CURSOR_PARAMS)}), "
                    "or its name given: param"
                )
            return None
        if not nxt:
            # a bare `next` beside a cursor parameter is the next cursor, unless it is a URL
            nxt = self.find(("last_id",), _scalar) or self.find(("next",), _cursor_text)
        item_field = o.item_field
        if not nxt and not item_field:
            ids = [f for f in self.fields(base.item_type) if f.wire_name == "id"]
            item_field = "id" if ids and _scalar(self.resolve(ids[0].type)) else ""
        if nxt or (item_field and (base.has_more or explicit)):
            return replace(base, scheme="cursor", param=param, next=nxt, item_field=item_field)
        if explicit:
            raise self.error(
                "scheme 'cursor' needs where the next cursor comes from: a field of the response (next) "
                "or of the items (item-field)"
            )
        return None

    def next_url(self, base: Pagination, o: Override, explicit: bool) -> Pagination | None:
        nxt = self.given_field(o.next, "next") if o.next else self.find(_NEXT_URL_FIELDS, _string)
        if nxt:
            return replace(base, scheme="next_url", next=nxt)
        if explicit:
            raise self.error("scheme 'next_url' needs the response's field with the next URL (next)")
        return None

    def page(self, base: Pagination, o: Override, explicit: bool) -> Pagination | None:
        param = self.given_param(o.param) or self.param(_PAGE_PARAMS)
        if param:
            return replace(base, scheme="page", param=param)
        if explicit:
            raise self.error(
                f"scheme 'page' needs a page number query parameter (one of {', '.join(_PAGE_PARAMS)}), "
                "or its name given: param"
            )
        return None

    def offset(self, base: Pagination, o: Override, explicit: bool) -> Pagination | None:
        param = self.given_param(o.param) or self.param(_OFFSET_PARAMS)
        if param and (base.size_param or explicit):
            return replace(base, scheme="offset", param=param)
        if explicit:
            raise self.error(
                f"scheme 'offset' needs an offset query parameter (one of {', '.join(_OFFSET_PARAMS)}), "
                "or its name given: param"
            )
        return None


def _scalar(t: Type | None) -> bool:
    return isinstance(t, Primitive) and t.kind in ("string", "integer")


def _string(t: Type | None) -> bool:
    return isinstance(t, Primitive) and t.kind == "string"


def _cursor_text(t: Type | None) -> bool:
    return _string(t) and not (isinstance(t, Primitive) and t.format in ("uri", "url", "uri-reference"))


def detect(op: Operation, resolve: Resolve, override: Override | None = None) -> Pagination | None:
    """How `op`'s pages follow one another, or None when it does not return pages."""
    return _Detector(op, resolve).detect(override or Override())
