"""The TypeScript SDK target: IR -> TypeScript names, type expressions and a file plan.

An npm package with no runtime dependencies (Node 18+'s fetch, FormData, Blob): `src/` holds the
client, one module per resource, one per named type, and the runtime (`core`, `error`, `uploads`).
Every decision about TypeScript lives here; the templates only lay out what this module computes.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..escape import md_text
from ..ir.model import (
    Api,
    Array,
    Const,
    Enum,
    Field,
    File,
    Map,
    Name,
    NamedType,
    Nullable,
    Object,
    Operation,
    Parameter,
    Primitive,
    Ref,
    Resource,
    Type,
    Union,
    Value,
)
from ..naming import camel, kebab, pascal, singular, split_words
from .base import (
    Job,
    PlannedFile,
    Target,
    auth_methods,
    binary_media_types,
    event_stream,
    holds_file,
    json_like,
    ordered_params,
    query_style_matters,
    unique,
)
from .examples import example_value
from .python import _client_name

__all__ = ["TypeScriptTarget", "ts_doc", "ts_str", "ts_value"]

# Words that cannot name a variable or parameter in a module (always strict): ECMAScript's reserved words,
# strict mode's, `await` (reserved in modules: tsc lets it pass, node does not), `arguments` and `eval`.
# Type keywords (`type`, `string`, `any`, `of`, ...) are fine there; property and method names may be any
# of these (`client.files.delete`): only a class's `constructor` and the members it inherits are taken.
_RESERVED = {
    "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
    "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in",
    "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof",
    "var", "void", "while", "with", "implements", "interface", "let", "package", "private",
    "protected", "public", "static", "yield", "await", "arguments", "eval",
}  # fmt: skip
# Names the generated modules use themselves, and the globals their code refers to.
_GLOBALS = {
    "Array", "Record", "Promise", "Response", "Request", "Error", "Object", "String", "Number",
    "Boolean", "Symbol", "Date", "Map", "Set", "Blob", "File", "FormData", "Headers", "JSON",
    "ReadonlyArray", "Partial", "Required", "Readonly", "Pick", "Omit", "Exclude", "Extract",
    "AbortSignal", "AbortController", "Uint8Array", "ArrayBuffer", "BigInt", "Function", "Math",
    "RegExp", "URL", "URLSearchParams", "TextEncoder", "TextDecoder", "AsyncIterable", "Iterable",
    "NonNullable", "ReturnType", "Parameters", "Awaited", "PromiseLike", "globalThis", "console",
}  # fmt: skip
# What the runtime exports by name from the package's entry.
_RUNTIME_EXPORTS = {
    "APIClient", "APIResource", "APIPromise", "ClientOptions", "RequestOptions", "Fetch", "Call",
    "HeadersLike", "Uploadable", "toFile", "APIError", "BadRequestError", "AuthenticationError",
    "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError",
    "RateLimitError", "InternalServerError", "APIConnectionError", "APIConnectionTimeoutError",
    "APIUserAbortError", "Stream",
}  # fmt: skip
_RUNTIME_MODULES = ("core", "error", "streaming", "uploads")
# The page class of each pagination scheme (templates/typescript/runtime/pagination.ts.jinja).
PAGE_CLASSES = {
    "cursor": "CursorPage",
    "page": "PageNumberPage",
    "offset": "OffsetPage",
    "next_url": "NextURLPage",
    "link_header": "LinkPage",
    "single": "Page",
}
# What the entry exports of pagination when the API has list operations.
_PAGINATION_EXPORTS = {"PagePromise", "AbstractPage", *PAGE_CLASSES.values()}
# Members of the runtime's classes that a resource property must not shadow.
_CLIENT_MEMBERS = {
    "_client", "constructor", "apiKey", "baseURL", "timeout", "maxRetries", "request", "fetch",
    "defaultHeaders", "defaultQuery", "options", "_options", "buildURL", "withOptions",
}  # fmt: skip
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


# -- escaping -------------------------------------------------------------------------------------


def ts_str(value: str) -> str:
    """A single-quoted TypeScript string literal with exactly the value of `value`."""
    out = ["'"]
    for ch in value:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("\\'")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029, 0x85):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append("'")
    return "".join(out)


def ts_value(value: Value) -> str:
    """A TypeScript literal for a JSON value."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        text = json.dumps(value)
        return (
            text
            if text not in ("Infinity", "-Infinity", "NaN")
            else "Number."
            + ("NaN" if text == "NaN" else "POSITIVE_INFINITY" if text == "Infinity" else "NEGATIVE_INFINITY")
        )
    if isinstance(value, str):
        return ts_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(ts_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{ts_key(str(k))}: {ts_value(v)}" for k, v in value.items()) + " }"


def ts_key(name: str) -> str:
    """A property name as written in an interface or object literal: bare when it can be."""
    return name if _IDENTIFIER.fullmatch(name) and name.isascii() else ts_str(name)


# what a JSDoc block cannot hold as it is: control characters (but newline and tab), DEL, lone surrogates
# (written as escapes), and the line separators JavaScript tools may break a line at (written as spaces)
_DOC_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\u2028\u2029\x85]")


def _doc_char(match: re.Match[str]) -> str:
    ch = match.group()
    return " " if ch in "\u2028\u2029\x85" else f"\\u{ord(ch):04x}"


def ts_doc(text: str, indent: str = "") -> str:
    """A JSDoc block (`/** ... */`) for `text`, or "" when there is none; it cannot close early."""
    text = text.strip()
    if not text:
        return ""
    text = _DOC_UNSAFE.sub(_doc_char, text.replace("\r\n", "\n").replace("\r", "\n"))
    body = text.replace("\t", "  ").replace("*/", "*\\/")
    lines = [line.rstrip() for line in body.split("\n")]
    out = [f"{indent}/**"]
    out.extend(f"{indent} * {line}" if line else f"{indent} *" for line in lines)
    out.append(f"{indent} */")
    return "\n".join(out) + "\n"


def ts_comment(text: str) -> str:
    """One line of text safe in a `//` comment."""
    return " ".join(text.split()).replace("\x00", "")


def _server_context_of(api: Api) -> dict[str, Any]:
    """The client's options for the first server's URL variables (their wire names, unless one is an
    option every client has) and the expression that builds the URL from `options`; every name and piece
    of text from the spec is a string literal there."""
    server = api.servers[0] if api.servers else None
    if server is None or not server.variables:
        return {"server_variables": [], "server_url": ""}
    taken = {"apiKey", "baseURL", "timeout", "maxRetries", "defaultHeaders", "defaultQuery", "fetch"}
    keys = {v.wire_name: unique(v.wire_name, taken) for v in server.variables}
    variables = []
    for v in server.variables:
        choices = f" (one of {', '.join(ts_str(e) for e in v.enum)})" if v.enum else ""
        variables.append(
            {
                "key": ts_key(keys[v.wire_name]),
                "value": f"options[{ts_str(keys[v.wire_name])}]",
                "type": " | ".join(ts_str(e) for e in v.enum) if v.enum else "string",
                "doc": f"The server URL's `{{{v.wire_name}}}`{choices}, default {ts_str(v.default)}."
                + (f" {v.docs}" if v.docs else ""),
            }
        )
    pieces = [
        f"(options[{ts_str(keys[text])}] ?? {ts_str(v.default)})" if v is not None else ts_str(text)
        for text, v in server.parts
    ]
    return {"server_variables": variables, "server_url": " + ".join(pieces) or "''"}


def _type_name(text: str) -> str:
    words = split_words(text)
    if _IDENTIFIER.fullmatch(text) and text.isascii() and text[0].isupper() and "$" not in text:
        ident = text
    else:
        ident = pascal(words) or "Model"
    if ident[0].isdigit():
        ident = "T" + ident
    return ident


def ts_identifier(text: str) -> str:
    """A camelCase variable or parameter name for spec text (`delete_`: a reserved word is escaped)."""
    ident = ts_member(text)
    return ident + "_" if ident in _RESERVED else ident


def ts_member(text: str) -> str:
    """A camelCase property or method name for spec text: reserved words too (`delete`, `new`, `in`)."""
    ident = camel(split_words(text)) or "value"
    return "_" + ident if ident[0].isdigit() else ident


def _lazy_table(views: list[dict[str, Any]], indent: str) -> list[str]:
    """The client's table of resources (`LazyResource`s), one entry per view, its children nested."""
    lines = []
    for view in views:
        path = "./resources/" + view["module"] + ("/index.js" if view["children"] else ".js")
        lines.append(f"{indent}{view['attr']}: {{")
        lines.append(f"{indent}  key: {ts_str(view['module'])},")
        lines.append(f"{indent}  load: () => import({ts_str(path)}),")
        if view["paged"]:
            lines.append(f"{indent}  paged: [{', '.join(ts_str(name) for name in view['paged'])}],")
        if view["children"]:
            lines.append(f"{indent}  children: {{")
            lines.extend(_lazy_table(view["children"], indent + "    "))
            lines.append(f"{indent}  }},")
        lines.append(f"{indent}}},")
    return lines


# -- the view -------------------------------------------------------------------------------------


@dataclass
class TypeView:
    named: NamedType
    name: str  # the exported TypeScript name
    module: str  # file stem under src/types/


class TypeScriptTarget(Target):
    name = "typescript"

    def __init__(self, api: Api, job: Job) -> None:
        self.api = api
        self.job = job
        self.client = job.client_name or _client_name(api.title)
        self.package = job.package_name or (kebab(split_words(self.client)) or "client")
        self.env_prefix = re.sub(r"[^A-Za-z0-9]", "", self.client).upper() or "API"
        # Two namespaces. The package's entry exports the schemas' types and the methods' params types
        # by name (`import type { Batch } from 'pkg'`): `self.taken`, where the schemas choose first. The
        # resource classes are exported as `resources.X` and the client refers to them as `API.X`, so
        # they need only be unique among themselves: `self.class_taken`. Where a resource module declares
        # or imports a class named like a type it uses, it refers to that type as `Types.Batch`.
        self.taken: set[str] = set(_RUNTIME_EXPORTS) | _GLOBALS | _RESERVED
        self.taken |= {self.client, f"{self.client}Error", "ClientOptions"}
        self.paged = any(op.pagination is not None for op in api.operations())
        if self.paged:
            self.taken |= _PAGINATION_EXPORTS
        self.types: dict[str, TypeView] = {}
        taken_modules: set[str] = {"index"}
        for named in api.types:
            ts_name = unique(_type_name(named.name.original), self.taken)
            module = unique(kebab(split_words(named.name.original)) or "model", taken_modules, sep="-")
            self.types[named.name.original] = TypeView(named, ts_name, module)
        #: the namespace a resource module imports the types under when a class's name hides one
        self.types_ns = unique("Types", self.taken)
        self.class_taken: set[str] = set(_RUNTIME_EXPORTS) | _GLOBALS | {self.types_ns}
        #: the client module's name for the resources' index module; the entry's for the classes
        self.api_ns = unique("API", {self.client, "APIClient", "ClientOptions"})
        self.resources_ns = unique("resources", {self.client, "toFile", "default"})

    filters: Mapping[str, Any] = {
        "ts_str": ts_str,
        "ts_doc": ts_doc,
        "ts_key": ts_key,
        "ts_comment": ts_comment,
        "ts_value": ts_value,
        "md_text": md_text,
        "json_str": lambda s: json.dumps(s, ensure_ascii=False),
    }

    # -- type expressions ----------------------------------------------------------------------

    def expr(self, t: Type, side: str, refs: set[str], hidden: frozenset[str] = frozenset()) -> str:
        """The TypeScript type of `t`; `side` is "in" (what a caller sends) or "out" (what comes back).

        Named types go into `refs`; those whose names are in `hidden` (a class of the module has the name)
        are written `Types.Name`, from the module's namespace import of the types."""
        return " | ".join(self._members(t, side, refs, hidden))

    def _members(self, t: Type, side: str, refs: set[str], hidden: frozenset[str]) -> list[str]:
        """The members of the union `t` renders as (a single one for most types), deduplicated."""
        if isinstance(t, Nullable):
            return _dedupe(self._members(t.inner, side, refs, hidden) + ["null"])
        if isinstance(t, Union):
            members: list[str] = []
            for variant in t.variants:
                members.extend(self._members(variant, side, refs, hidden))
            members = _dedupe(members)
            if "unknown" in members:
                return ["unknown"]
            if "string" in members and any(self._is_string_literal(v) for v in t.variants):
                # keeps the editor's suggestions of the known values while any string goes
                members = ["(string & {})" if m == "string" else m for m in members]
            return members
        if isinstance(t, Primitive):
            return [
                {"string": "string", "integer": "number", "number": "number", "boolean": "boolean"}.get(
                    t.kind, "unknown"
                )
            ]
        if isinstance(t, Enum):
            return _dedupe([ts_value(v) for v in t.values]) or ["never"]
        if isinstance(t, Const):
            if t.value is None or isinstance(t.value, (str, int, float, bool)):
                return [ts_value(t.value)]
            return ["unknown"]
        if isinstance(t, File):  # binary content only ever travels in requests: responses are `Response`s
            return ["Uploadable"]
        if isinstance(t, Array):
            return [f"Array<{self.expr(t.item, side, refs, hidden)}>"]
        if isinstance(t, Map):
            named: set[str] = set()
            value = self.expr(t.value, side, named, hidden)
            refs.update(named)
            if named:
                # a type that holds a map of itself (`type E = Record<string, E> | string`) is a circular
                # alias to tsc (TS2456); an index signature is a type literal, which may refer to itself
                return [f"{{ [key: string]: {value} }}"]
            return [f"Record<string, {value}>"]
        if isinstance(t, Ref):
            refs.add(t.name)
            name = self.types[t.name].name
            return [f"{self.types_ns}.{name}" if name in hidden else name]
        if isinstance(t, Object):  # the IR names inline objects; an empty one may still arrive here
            return ["Record<string, unknown>"]
        return ["unknown"]

    def _is_string_literal(self, t: Type) -> bool:
        t = self.api.resolve(t)
        if isinstance(t, Enum):
            return all(isinstance(v, str) for v in t.values)
        return isinstance(t, Const) and isinstance(t.value, str)

    # -- types modules -------------------------------------------------------------------------

    def type_context(self, view: TypeView) -> dict[str, Any]:
        named = view.named
        refs: set[str] = set()
        inner = named.type
        nullable = isinstance(inner, Nullable)
        if isinstance(inner, Nullable):
            inner = inner.inner
        fields: list[dict[str, Any]] = []
        index = ""
        alias = ""
        if isinstance(inner, Object):
            fields = self.fields(inner, "out", refs)
            if inner.additional is not None:
                value = self.expr(inner.additional, "out", refs)
                # an index signature must admit every declared field's type
                index = value if not fields else "unknown"
        else:
            alias = self.expr(named.type, "out", refs)
        return {
            "name": view.name,
            "docs": _type_docs(named),
            "is_interface": isinstance(inner, Object) and not nullable,
            "nullable_object": isinstance(inner, Object) and nullable,
            "fields": fields,
            "index": index,
            "alias": alias,
            "imports": self.imports(refs, exclude=named.name.original, prefix="./"),
            "uses_uploadable": "Uploadable" in (alias + " ".join(f["type"] for f in fields) + index),
        }

    def _type_file_context(self, base: Mapping[str, Any], view: TypeView) -> dict[str, Any]:
        return {**base, **self.type_context(view)}

    def fields(self, obj: Object, side: str, refs: set[str]) -> list[dict[str, Any]]:
        out = []
        for f in obj.fields:
            if side == "in" and f.read_only:
                continue
            out.append(
                {
                    "key": ts_key(f.wire_name),
                    "type": self.expr(f.type, side, refs),
                    "optional": not f.required,
                    "docs": _with_deprecated(f.docs, f.deprecated),
                    "read_only": f.read_only,
                }
            )
        return out

    def imports(self, refs: set[str], *, exclude: str | None = None, prefix: str) -> list[tuple[str, str]]:
        return sorted(
            (self.types[r].name, f"{prefix}{self.types[r].module}.js") for r in refs if r != exclude
        )

    # -- resources -----------------------------------------------------------------------------

    @functools.cached_property
    def resource_views(self) -> list[dict[str, Any]]:
        """Every resource (children too), with its class, module and methods; depth-first, parents first.

        Computed once: naming takes names from `self.class_taken` and `self.taken` as it goes."""
        taken_modules: set[str] = {"index"}
        out: list[dict[str, Any]] = []

        def walk(
            resources: tuple[Resource, ...], parent_path: tuple[str, ...], parent_words: tuple[str, ...]
        ) -> list[dict[str, Any]]:
            taken_attrs: set[str] = set(_CLIENT_MEMBERS)
            siblings = []
            for resource in resources:
                attr = unique(ts_member(" ".join(resource.name.words) or "default"), taken_attrs)
                path = (*parent_path, attr)
                words = (*parent_words, *resource.name.words)  # chat.completions -> ChatCompletions
                class_name = unique(_type_name(pascal(words) or "Default"), self.class_taken, sep="")
                module = unique("/".join(kebab(split_words(p)) or "default" for p in path), taken_modules)
                view: dict[str, Any] = {
                    "resource": resource,
                    "attr": attr,
                    "class_name": class_name,
                    "module": module,
                    "path": path,
                    "words": words,
                }
                out.append(view)
                view["children"] = walk(resource.children, path, words)
                siblings.append(view)
            return siblings

        walk(self.api.resources, (), ())
        # a params type is declared beside the classes and exported beside them in `resources`
        self.taken |= {view["class_name"] for view in out}
        for view in out:
            self.resource_context(view)
        return out

    def resource_context(self, view: dict[str, Any]) -> None:
        resource: Resource = view["resource"]
        refs: set[str] = set()
        methods = []
        taken: set[str] = {"constructor", "_client"} | {c["attr"] for c in view["children"]}
        words: tuple[str, ...] = view["words"]  # the params' noun: Image (images), ChatCompletion, PetToy
        noun = pascal(tuple(singular(w) for w in words))
        # the classes this module declares or imports hide the types of the same names
        page_classes = sorted(
            {PAGE_CLASSES[op.pagination.scheme] for op in resource.operations if op.pagination is not None}
        )
        hidden = frozenset({view["class_name"], *(c["class_name"] for c in view["children"]), *page_classes})
        for op in resource.operations:
            methods.append(self.method_context(op, noun, taken, refs, hidden))
        # a resource with children lives in its folder's index module
        depth = view["module"].count("/") + (1 if view["children"] else 0)
        up = "../" * (depth + 1)
        here = view["module"] if view["children"] else view["module"].rpartition("/")[0]
        by_name = {r for r in refs if self.types[r].name not in hidden}
        view.update(
            docs=resource.docs,
            methods=methods,
            up=up,
            imports=self.imports(by_name, prefix=f"{up}types/"),
            types_ns=self.types_ns,
            types_index=f"{up}types/index.js" if by_name != refs else "",
            child_imports=[
                (
                    c["class_name"],
                    "./" + _relative(here, c["module"]) + ("/index.js" if c["children"] else ".js"),
                )
                for c in view["children"]
            ],
            uses_uploadable=any(m["uses_uploadable"] for m in methods),
            uses_stream=any(m["stream"] for m in methods),
            page_classes=page_classes,
            paged=[m["name"] for m in methods if m["page"]],
        )

    def method_context(
        self, op: Operation, noun: str, taken: set[str], refs: set[str], hidden: frozenset[str]
    ) -> dict[str, Any]:
        """One method. As the official SDKs call: the last path parameter is an argument of its own, the
        other path parameters are members of the params object beside the query, header and cookie
        parameters and the body's fields: `retrieve(fileId, { vector_store_id }, options?)`."""
        name = unique(ts_member(" ".join(op.name.words) or op.id), taken)
        local_refs: set[str] = set()
        args: list[dict[str, Any]] = []
        arg_taken: set[str] = {"params", "options", "body", "query", "headers", "cookies"}
        path_params = [p for p in ordered_params(op) if p.location == "path"]
        for p in path_params[-1:]:
            args.append(
                {
                    "name": unique(ts_identifier(p.wire_name), arg_taken),
                    "wire_name": p.wire_name,
                    "type": self.expr(p.type, "in", local_refs, hidden),
                    "docs": p.docs,
                    "example": self._example(
                        p.type, p.wire_name, p.example, p.has_example, p.default, p.has_default
                    ),
                }
            )
        # the params object: the other path parameters, query, header and cookie parameters, the body's fields
        members: list[dict[str, Any]] = []
        taken_keys: set[str] = set()
        in_params: list[tuple[str, str]] = []  # the path parameters in the params object: (wire name, key)
        for p in path_params[:-1]:
            key = unique(p.wire_name, taken_keys)
            members.append({**self._member(key, p, local_refs, hidden), "required": True})
            in_params.append((p.wire_name, key))
        groups: dict[str, list[tuple[str, str]]] = {"query": [], "header": [], "cookie": [], "body": []}
        styles: list[str] = []
        for p in op.params:
            if p.location == "path":
                continue
            if p.location == "query" and query_style_matters(self.api, p):
                styles.append(
                    f"{ts_key(p.wire_name)}: [{ts_str(p.style)}, {'true' if p.explode else 'false'}]"
                )
            key = unique(p.wire_name, taken_keys)
            members.append(self._member(key, p, local_refs, hidden))
            groups[p.location].append((p.wire_name, key))
        body_kind, content_type, body_expr = "", "", ""
        # the path's values: the argument's, and the params object's (taken out of the body if it is whole)
        path_values = [(wire, _access(key)) for wire, key in in_params]
        path_values += [(a["wire_name"], a["name"]) for a in args]
        prelude = ""
        body = op.body
        if body is not None:
            body_kind, content_type = body.kind, body.media_type
            resolved = self.api.resolve(body.type)
            if body.kind in ("json", "multipart", "form") and isinstance(resolved, Object):
                for f in resolved.fields:
                    if f.read_only:
                        continue
                    key = unique(f.wire_name, taken_keys)
                    members.append(self._member(key, f, local_refs, hidden))
                    groups["body"].append((f.wire_name, key))
                if groups["body"] and len(groups["body"]) + len(in_params) == len(members):
                    # the whole params object but the path's values is the body: extra fields go too
                    body_expr = "params"
                    if in_params:
                        names = [unique(ts_identifier(wire), arg_taken) for wire, _ in in_params]
                        pairs = [
                            n if n == key else f"{ts_key(key)}: {n}"
                            for (_, key), n in zip(in_params, names, strict=True)
                        ]
                        prelude = "const { " + ", ".join(pairs) + ", ...body } = params;"
                        body_expr = "body"
                        path_values = [
                            *((wire, n) for (wire, _), n in zip(in_params, names, strict=True)),
                            *path_values[len(in_params) :],
                        ]
                else:
                    body_expr = _object_expr(groups["body"])
            else:
                t: Type = File() if body.kind == "binary" else body.type
                key = unique("body", taken_keys)
                whole = Field(Name(("body",), "body"), "body", t, body.required, docs=body.docs)
                members.append(self._member(key, whole, local_refs, hidden))
                body_expr = _access(key)
        params_type = ""
        params_required = any(m["required"] for m in members)
        if members:
            params_type = unique(
                _type_name(f"{noun}{pascal(op.name.words) or pascal(split_words(op.id))}Params"), self.taken
            )
        returns, response_kind, stream = self.returns(op, local_refs, hidden)
        overloads: list[dict[str, str]] = []
        event = self.either_event(op, members, local_refs, hidden)
        if event is not None and params_type:
            # the `stream: true` pattern: JSON, or the events, as the body's `stream` flag says
            either = f"{returns} | Stream<{event}>"
            flag = next(m for m in members if m["key"] == "stream")
            off = "false | null" if "null" in flag["type"] else "false"
            head = "".join(f"{a['name']}: {a['type']}, " for a in args)
            tail = ", options?: RequestOptions"
            overloads = [
                {
                    "signature": f"{head}params: {params_type} & {{ stream?: {off} }}{tail}",
                    "returns": returns,
                },
                {
                    "signature": f"{head}params: {params_type} & {{ stream: true }}{tail}",
                    "returns": f"Stream<{event}>",
                },
                {"signature": f"{head}params: {params_type}{tail}", "returns": either},
            ]
            returns, response_kind, stream = either, "params.stream ? 'stream' : 'json'", True
        page = self.page(op, returns, local_refs, hidden)
        refs |= local_refs
        signature = [f"{a['name']}: {a['type']}" for a in args]
        if members:
            signature.append(f"params: {params_type}" + ("" if params_required else " = {}"))
        signature.append("options?: RequestOptions")
        call = {
            "prelude": prelude,
            "method": op.method,
            "path": op.path,
            "path_params": _literal(path_values),
            "query": _object_expr(groups["query"]),
            "query_styles": "{ " + ", ".join(styles) + " }" if styles else "",
            "headers": _object_expr(groups["header"]),
            "cookies": _object_expr(groups["cookie"]),
            "body": body_expr,
            "body_kind": body_kind,
            "content_type": content_type,
            "security": self.auth(op),
            "response_kind": response_kind if overloads else ts_str(response_kind),
            "accept": self.accept(op),
        }
        docs = op.description or op.summary or f"{op.method.upper()} {op.path}"
        arg_docs = [f"@param {a['name']} {' '.join(a['docs'].split())}".rstrip() for a in args if a["docs"]]
        if arg_docs:
            docs += "\n\n" + "\n".join(arg_docs)
        if op.deprecated:
            docs += "\n\n@deprecated"
        example_members = [m for m in members if m["required"] or m["has_example"]]
        example_args = [a["example"] for a in args]
        if example_members:
            entries = [f"  {m['key']}: {m['example']}," for m in example_members]
            example_args.append("{\n" + "\n".join(entries) + "\n}")
        return {
            "name": name,
            "op_id": op.id,
            "example_args": ", ".join(example_args),
            "example_uses_fs": any("fs.createReadStream(" in m["example"] for m in example_members),
            "signature": ", ".join(signature),
            "params_type": params_type,
            "members": members,
            "returns": returns,
            "overloads": overloads,
            "page": page,
            "stream": stream,
            "call": call,
            "docs": docs,
            "uses_uploadable": any("Uploadable" in m["type"] for m in members)
            or any("Uploadable" in a["type"] for a in args),
        }

    def _member(
        self, key: str, source: Parameter | Field, refs: set[str], hidden: frozenset[str]
    ) -> dict[str, Any]:
        """One property of a method's params object: a parameter, or a field of the request body."""
        return {
            "key": ts_key(key),
            "type": self.expr(source.type, "in", refs, hidden),
            "required": source.required,
            "docs": _with_deprecated(source.docs, source.deprecated),
            "example": self._example(
                source.type,
                source.wire_name,
                source.example,
                source.has_example,
                source.default,
                source.has_default,
            ),
            "has_example": source.has_example,
        }

    def _example(
        self, t: Type, key: str, example: Value, has_example: bool, default: Value, has_default: bool
    ) -> str:
        """A TypeScript expression for an example value of `t` (a file is read from disk)."""
        value = example_value(self.api, t, key, example, has_example, default, has_default)
        if holds_file(self.api.resolve(t)):
            name = value if isinstance(value, str) else "file"
            return f"fs.createReadStream({ts_str(name)})"
        return ts_value(value)

    def either_event(
        self, op: Operation, members: list[dict[str, Any]], refs: set[str], hidden: frozenset[str]
    ) -> str | None:
        """The event type when `op` answers JSON or, with the body's boolean `stream` true, events."""
        success = op.success
        contents = success.contents if success is not None else ()
        sse = next((m for m in contents if event_stream(m.media_type)), None)
        if sse is None or not any(json_like(m.media_type) for m in contents):
            return None
        if op.body is None or op.body.kind not in ("json", "multipart", "form"):
            return None
        flag = next((m for m in members if m["key"] == "stream"), None)
        if flag is None or flag["type"] not in ("boolean", "boolean | null"):
            return None
        return self.expr(sse.type, "out", refs, hidden) if sse.type is not None else "unknown"

    def page(self, op: Operation, body: str, refs: set[str], hidden: frozenset[str]) -> dict[str, str] | None:
        """A list method's page class, item type and `Paging` literal (None when it returns no pages)."""
        p = op.pagination
        if p is None:
            return None
        item = self.expr(p.item_type, "out", refs, hidden)
        cls = PAGE_CLASSES[p.scheme]
        paging = [("items", _path(p.items))]
        if p.param:
            paging.append(("param", ts_str(p.param)))
        if p.has_more:
            paging.append(("hasMore", _path(p.has_more)))
        if p.next:
            paging.append(("next", _path(p.next)))
        if p.item_field:
            paging.append(("itemField", ts_str(p.item_field)))
        return {
            "class": cls,
            "item": item,
            "type": f"{cls}<{item}, {body}>",
            "paging": "{ " + ", ".join(f"{k}: {v}" for k, v in paging) + " }",
        }

    def returns(self, op: Operation, refs: set[str], hidden: frozenset[str]) -> tuple[str, str, bool]:
        """The result type, how the runtime reads the response, and whether it is a stream of events.

        A body that is not JSON (a file, audio, an image, JSON Lines, plain text...) is the fetch
        `Response` itself, its body unread, as the official package returns `files.content(id)`: JSON
        that is only a string (`type: string`, the spec's way of saying "the file's content") too."""
        success = op.success
        if success is None or not success.contents:
            return "void", "none", False
        if binary_media_types(self.api, op):
            return "Response", "binary", False
        json_media = next((m for m in success.contents if json_like(m.media_type)), None)
        if json_media is not None:
            if json_media.type is None:
                return "unknown", "json", False
            return self.expr(json_media.type, "out", refs, hidden), "json", False
        media = success.contents[0]
        event = self.expr(media.type, "out", refs, hidden) if media.type is not None else "unknown"
        return f"Stream<{event}>", "stream", True

    def accept(self, op: Operation) -> str:
        """The `Accept` header of a binary answer (`binary_media_types`): its media types, JSON left
        out, else any; "" for the others, which ask for JSON."""
        binary = binary_media_types(self.api, op)
        if not binary:
            return ""
        return ", ".join(_dedupe([m for m in binary if not json_like(m)])) or "*/*"

    def auth(self, op: Operation) -> list[str]:
        return auth_methods(self.api, op)

    # -- the plan ------------------------------------------------------------------------------

    def plan(self) -> list[PlannedFile]:
        header = f"// Generated by sdkgen from {ts_comment(self.api.spec_path)}. Do not edit."
        base = {
            "header": header,
            "package_name": self.package,
            "package_version": self.job.package_version,
            "client_name": self.client,
        }
        files: list[PlannedFile] = []
        # the job's query formats as string literals (core.ts)
        runtime = {
            **base,
            "query_arrays": ts_str(self.job.query_arrays),
            "query_objects": ts_str(self.job.query_objects),
        }
        for module in (*_RUNTIME_MODULES, *(("pagination",) if self.paged else ())):
            files.append(PlannedFile(f"src/{module}.ts", f"runtime/{module}.ts.jinja", runtime))
        resources = self.resource_views
        for view in resources:
            path = f"src/resources/{view['module']}.ts"
            if view["children"]:
                path = f"src/resources/{view['module']}/index.ts"
            files.append(PlannedFile(path, "resource.ts.jinja", {**base, **view}))
        type_views = sorted(self.types.values(), key=lambda v: v.module)
        for type_view in type_views:
            # computed where it is rendered, on either core (generator/produce.py)
            context = functools.partial(self._type_file_context, base, type_view)
            files.append(PlannedFile(f"src/types/{type_view.module}.ts", "type.ts.jinja", context))
        files.append(
            PlannedFile(
                "src/types/index.ts",
                "types_index.ts.jinja",
                {**base, "types": [(v.name, v.module) for v in sorted(type_views, key=lambda v: v.name)]},
            )
        )
        server = self.api.servers[0].default_url if self.api.servers else ""
        top = [v for v in resources if len(v["path"]) == 1]
        client_ctx = {
            **base,
            "resources": top,
            "all_resources": resources,
            "title": self.api.title,
            "api_version": self.api.version,
            "client_jsdoc": (
                self.api.title
                + (f" (version {self.api.version})." if self.api.version else ".")
                + f"\n\nThe API key comes from `apiKey`, else from the `{self.env_prefix}_API_KEY`"
                + f" environment variable; the base URL from `baseURL`, else `{self.env_prefix}_BASE_URL`, "
                + (f"else `{server}`." if server else "else nowhere: it must be given.")
            ),
            "env_api_key": f"{self.env_prefix}_API_KEY",
            "env_base_url": f"{self.env_prefix}_BASE_URL",
            "default_base_url": server,
            **_server_context_of(self.api),
            "description": " ".join(self.api.title.split()),
            "spec_path_note": ts_comment(self.api.spec_path).replace("`", "'"),
            "api_ns": self.api_ns,
            "resources_ns": self.resources_ns,
            "paged": self.paged,
        }
        client_ctx["options_type"] = (
            f"{self.client}Options" if client_ctx["server_variables"] else "ClientOptions"
        )
        for view in resources:
            view["index_path"] = "./" + view["module"] + ("/index.js" if view["children"] else ".js")
            view["entry_path"] = "./resources/" + view["index_path"][2:]
            view["params_types"] = [m["params_type"] for m in view["methods"] if m["params_type"]]
        for view in top:
            view["table_key"] = view["attr"]
        client_ctx["lazy_table"] = "\n".join(_lazy_table(top, "  "))
        files.append(PlannedFile("src/resources/index.ts", "resources_index.ts.jinja", client_ctx))
        files.append(PlannedFile("src/client.ts", "client.ts.jinja", client_ctx))
        files.append(PlannedFile("src/index.ts", "index.ts.jinja", client_ctx))
        files.append(PlannedFile("package.json", "package.json.jinja", client_ctx))
        files.append(PlannedFile("tsconfig.json", "tsconfig.json.jinja", client_ctx))
        # the CommonJS build (`require`), into dist/cjs beside the ES modules of dist/
        files.append(PlannedFile("tsconfig.cjs.json", "tsconfig.cjs.json.jinja", client_ctx))
        operations = sum(len(v["methods"]) for v in resources)
        files.append(
            PlannedFile(
                "README.md",
                "README.md.jinja",
                {**client_ctx, "operations": operations, "example": _readme_example(resources)},
            )
        )
        return files


# -- helpers ---------------------------------------------------------------------------------------


def _dedupe(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _type_docs(named: NamedType) -> str:
    return _with_deprecated(named.docs or named.title, named.deprecated)


def _with_deprecated(docs: str, deprecated: bool) -> str:
    """The docs, with JSDoc's `@deprecated` tag after them when the spec says so."""
    return (docs + "\n\n@deprecated").strip() if deprecated else docs


def _access(key: str) -> str:
    """The params object's property `key`: `params.key`, or `params['x-key']`."""
    return f"params.{key}" if _IDENTIFIER.fullmatch(key) and key.isascii() else f"params[{ts_str(key)}]"


def _object_expr(pairs: list[tuple[str, str]]) -> str:
    """An object literal `{ wire: params.key, ... }` of the params object's members (wire name, key)."""
    return _literal([(wire, _access(key)) for wire, key in pairs])


def _path(path: tuple[str, ...]) -> str:
    """A path of wire names as an array literal: `['links', 'next']`."""
    return "[" + ", ".join(ts_str(part) for part in path) + "]"


def _literal(entries: list[tuple[str, str]]) -> str:
    """An object literal `{ wire: expression, ... }`, or "" when there are no entries."""
    if not entries:
        return ""
    return "{ " + ", ".join(f"{ts_key(wire)}: {value}" for wire, value in entries) + " }"


def _relative(folder: str, module: str) -> str:
    """`module`'s path from `folder` (a child's module always lies in its parent's folder)."""
    return module[len(folder) + 1 :] if folder else module


def _readme_example(resources: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The README's calls: the first operation, the first list that pages, the first binary body."""

    def example(view: dict[str, Any], method: dict[str, Any]) -> dict[str, Any]:
        return {
            "path": ".".join(view["path"]),
            "method": method["name"],
            "args": method["example_args"],
            "uses_fs": method["example_uses_fs"],
        }

    calls = [(v, m) for v in resources for m in v["methods"]]
    if not calls:
        return None
    lists = [example(v, m) for v, m in calls if m["page"]]
    binary = [example(v, m) for v, m in calls if m["call"]["response_kind"] == "'binary'"]
    first = example(*calls[0])
    return {
        **first,
        "list": lists[0] if lists else None,
        "binary": binary[0] if binary else None,
        "uses_fs": any(e["uses_fs"] for e in (first, *lists[:1], *binary[:1])),
    }
