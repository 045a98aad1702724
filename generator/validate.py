"""Check a loaded document: our own checks plus openapi-spec-validator, as located diagnostics.

Errors are what generation cannot get past: no usable OpenAPI version, a `$ref` to nothing (or to another
file, or over the network, which we do not follow), a chain of `$ref`s that loops, two operations with one
operationId. Everything else, including every finding of openapi-spec-validator, is a warning: real specs
have defects (the official OpenAI spec repeats entries in `required` and uses `nullable` in 3.1) and a
generator for real users does its best with them. `strict=True` makes warnings errors.

openapi-spec-validator's checks run only when our own checks found no error (it would follow remote `$ref`s
over the network, and it loops or crashes on broken ones). The library itself needs 8 to 20 s on the OpenAI
spec, so we reach its verdict with `generator.speccheck`, our own implementation of the same checks over the
same schemas (about 1 s there; tests/unit/test_speccheck.py holds the two side by side), in a child process
beside the rest of the work; `SDKGEN_SPEC_VALIDATOR=openapi-spec-validator` runs the library itself instead.
The verdict is cached on disk, keyed by the spec's text (or its structure, prose left out) and the versions
of what produced it. Findings are reported at the node they are about: errors from the OpenAPI-aware checks
carry no path of their own, so the library runs with each of its keyword checkers wrapped to remember which
part of the spec it was looking at, and speccheck records the same.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

from .diagnostics import Diagnostic, in_order, pointer_join, pointer_split
from .load import Document
from .swagger2 import is_swagger2, notes, upgrade

__all__ = ["SUPPORTED", "cache_dir", "validate", "validate_deferred"]

SUPPORTED = ("3.0", "3.1")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

#: bump when what is cached changes shape or wording, so old verdicts are not reused
_CACHE_FORMAT = "2"

Severity = Literal["error", "warning"]


def validate(doc: Document, *, strict: bool = False) -> list[Diagnostic]:
    """All diagnostics for `doc`, sorted by file, line, column and message; `strict` makes warnings errors."""
    found, later = validate_deferred(doc, strict=strict)
    return in_order(found + later(), doc.path)


def validate_deferred(
    doc: Document, *, strict: bool = False
) -> tuple[list[Diagnostic], Callable[[], list[Diagnostic]]]:
    """Our own checks now; openapi-spec-validator's (seconds on a large spec) beside the caller's work.

    Returns the diagnostics of our checks, sorted, and a function that waits for the validator's
    findings (run in a child process on the second core unless its verdict is cached) and returns them.
    """
    if is_swagger2(doc.data):  # read as the OpenAPI 3 document it converts to (the pipeline does so first)
        doc = upgrade(doc)
    found: list[Diagnostic] = list(notes(doc))

    def add(severity: Severity, message: str, pointer: str) -> None:
        found.append(Diagnostic(severity, message, pointer, doc.locate(pointer)))

    data = doc.data if isinstance(doc.data, dict) else {}
    version_ = _check_version(data, add)
    pending: Callable[[], list[Finding]] = list
    if version_:
        # started before our checks, so that it runs beside them too; not wanted if they find an error
        early = _start_spec_validator(doc, version_) if not _errors(found) else None
        spec = _Spec(data)
        _check_refs(data, add)
        _check_operations(spec, add)
        _check_schemas(spec, version_, add)
        _check_schema_refs(spec, add)
        _check_all_of_cycles(spec, add)
        if early is not None and _errors(found):
            early.cancel()
        elif early is not None:
            pending = early
    said_required = {d.pointer.rpartition("/")[0] for d in found if d.message.startswith("`required` lists")}
    said = {(d.message, d.pointer) for d in found}
    if strict:
        found = [replace(d, severity="error") for d in found]
    done: list[list[Diagnostic]] = []

    def later() -> list[Diagnostic]:
        if not done:
            out: list[Diagnostic] = []
            for pointer, message, kind in pending():
                if kind in _SAID_BY_US or (message, pointer) in said:
                    continue
                if kind == "uniqueItems" and pointer in said_required:
                    continue
                severity: Severity = "error" if strict else "warning"
                out.append(Diagnostic(severity, message, pointer, doc.locate(pointer)))
            done.append(in_order(out, doc.path))
        return done[0]

    return in_order(found, doc.path), later


# openapi-spec-validator's findings that our own checks report better
_SAID_BY_US = frozenset({"DuplicateOperationIDError", "UnresolvableParameterError"})

Add = Callable[[Severity, str, str], None]


# ---------------------------------------------------------------------------------------------------------
# the version


def _check_version(data: dict[str, Any], add: Add) -> str:
    if "swagger" in data and "openapi" not in data:  # Swagger 2.0 was converted before; 1.x is not read
        add(
            "error",
            f"Swagger {data.get('swagger')} documents are not supported; convert to OpenAPI 3 (Swagger 2.0 is"
            " read)",
            "#/swagger",
        )
        return ""
    raw = data.get("openapi")
    if raw is None:
        add("error", "not an OpenAPI document: the 'openapi' field (e.g. 'openapi: 3.1.0') is missing", "#")
        return ""
    if not isinstance(raw, str):
        add("error", f"'openapi' must be a string like \"3.1.0\", not {json.dumps(raw)}", "#/openapi")
        return ""
    major_minor = ".".join(raw.strip().split(".")[:2])
    if major_minor not in SUPPORTED:
        add(
            "error",
            f"OpenAPI {raw} is not supported (supported: {', '.join(v + '.x' for v in SUPPORTED)})",
            "#/openapi",
        )
        return ""
    return major_minor


# ---------------------------------------------------------------------------------------------------------
# walking the spec


_MISSING = object()


def _resolve(data: Any, pointer: str) -> Any:
    """The node at a local JSON pointer (`#/a/b`), or _MISSING. Percent-encoded tokens are understood."""
    node = data
    for token in pointer_split(pointer):
        if isinstance(node, dict):
            if token not in node:
                token = unquote(token)
                if token not in node:
                    return _MISSING
            node = node[token]
        elif isinstance(node, list) and token.isascii() and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
    return node


def _follow(data: Any, node: Any, limit: int = 32) -> Any:
    """`node`, or what its chain of local `$ref`s leads to (_MISSING when it leads nowhere)."""
    for _ in range(limit):
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#"):
            return node
        node = _resolve(data, ref)
    return _MISSING


class _Spec:
    """The parts of an OpenAPI document our checks look at, each with its pointer, found in one walk:
    operations (paths, webhooks, callbacks), parameters and schemas. `$ref`s are not followed: what they
    point at is walked where it is defined (under components)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        # (pointer, method, path template or None, operation, path item)
        self.operations: list[tuple[str, str, str | None, dict[str, Any], dict[str, Any]]] = []
        self.schemas: list[tuple[str, dict[str, Any]]] = []
        self._seen: set[int] = set()
        self._schema_roots: list[tuple[str, Any]] = []
        paths = data.get("paths")
        if isinstance(paths, dict):
            for template, item in paths.items():
                self.path_item(pointer_join("#/paths", template), item, str(template))
        webhooks = data.get("webhooks")
        if isinstance(webhooks, dict):
            for name, item in webhooks.items():
                self.path_item(pointer_join("#/webhooks", name), item, None)
        components = data.get("components")
        if isinstance(components, dict):
            for kind, visit in (
                ("schemas", self.schema),
                ("parameters", self.parameter),
                ("headers", self.parameter),
                ("responses", self.response),
                ("requestBodies", self.body),
                ("callbacks", self.callback),
                ("pathItems", lambda pointer, node: self.path_item(pointer, node, None)),
            ):
                group = components.get(kind)
                if isinstance(group, dict):
                    for name, node in group.items():
                        visit(pointer_join("#/components", kind, name), node)
        self.walk_schemas()

    def first_time(self, node: Any) -> bool:
        if not isinstance(node, dict) or "$ref" in node or id(node) in self._seen:
            return False
        self._seen.add(id(node))
        return True

    def path_item(self, pointer: str, item: Any, template: str | None) -> None:
        if not self.first_time(item):
            return
        self.parameters(pointer, item)
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                self.operation(pointer_join(pointer, method), method, template, op, item)

    def operation(
        self, pointer: str, method: str, template: str | None, op: dict[str, Any], item: dict[str, Any]
    ) -> None:
        self.operations.append((pointer, method, template, op, item))
        self.parameters(pointer, op)
        self.body(pointer_join(pointer, "requestBody"), op.get("requestBody"))
        responses = op.get("responses")
        if isinstance(responses, dict):
            for status, response in responses.items():
                self.response(pointer_join(pointer, "responses", status), response)
        callbacks = op.get("callbacks")
        if isinstance(callbacks, dict):
            for name, callback in callbacks.items():
                self.callback(pointer_join(pointer, "callbacks", name), callback)

    def parameters(self, pointer: str, holder: dict[str, Any]) -> None:
        params = holder.get("parameters")
        if isinstance(params, list):
            for i, param in enumerate(params):
                self.parameter(pointer_join(pointer, "parameters", i), param)

    def parameter(self, pointer: str, param: Any) -> None:
        """A parameter or a header: a schema, or content."""
        if not self.first_time(param):
            return
        self._schema_roots.append((pointer_join(pointer, "schema"), param.get("schema")))
        self.content(pointer, param)

    def body(self, pointer: str, body: Any) -> None:
        if self.first_time(body):
            self.content(pointer, body)

    def response(self, pointer: str, response: Any) -> None:
        if not self.first_time(response):
            return
        headers = response.get("headers")
        if isinstance(headers, dict):
            for name, header in headers.items():
                self.parameter(pointer_join(pointer, "headers", name), header)
        self.content(pointer, response)

    def content(self, pointer: str, holder: dict[str, Any]) -> None:
        content = holder.get("content")
        if not isinstance(content, dict):
            return
        for media_type, media in content.items():
            if not isinstance(media, dict):
                continue
            where = pointer_join(pointer, "content", media_type)
            self._schema_roots.append((pointer_join(where, "schema"), media.get("schema")))
            encoding = media.get("encoding")
            if isinstance(encoding, dict):
                for name, enc in encoding.items():
                    headers = enc.get("headers") if isinstance(enc, dict) else None
                    if isinstance(headers, dict):
                        for header_name, header in headers.items():
                            self.parameter(
                                pointer_join(where, "encoding", name, "headers", header_name), header
                            )

    def callback(self, pointer: str, callback: Any) -> None:
        if self.first_time(callback):
            for expression, item in callback.items():
                self.path_item(pointer_join(pointer, expression), item, None)

    def schema(self, pointer: str, node: Any) -> None:
        self._schema_roots.append((pointer, node))

    def walk_schemas(self) -> None:
        stack = list(reversed(self._schema_roots))
        while stack:
            pointer, node = stack.pop()
            if not isinstance(node, dict) or id(node) in self._seen:
                continue
            self._seen.add(id(node))
            self.schemas.append((pointer, node))
            children: list[tuple[str, Any]] = []
            for key in _SUBSCHEMA:
                if key in node:
                    children.append((pointer_join(pointer, key), node[key]))
            for key in _SUBSCHEMA_LISTS:
                value = node.get(key)
                if isinstance(value, list):
                    children.extend((pointer_join(pointer, key, i), v) for i, v in enumerate(value))
            items = node.get("items")
            if isinstance(items, list):  # the old tuple form
                children.extend((pointer_join(pointer, "items", i), v) for i, v in enumerate(items))
            for key in _SUBSCHEMA_MAPS:
                value = node.get(key)
                if isinstance(value, dict):
                    children.extend((pointer_join(pointer, key, k), v) for k, v in value.items())
            stack.extend(reversed(children))


_SUBSCHEMA = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
    "contentSchema",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


# ---------------------------------------------------------------------------------------------------------
# $refs


# objects whose keys are names (of properties, schemas, responses, media types...), never keywords
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "paths",
        "webhooks",
        "content",
        "encoding",
        "variables",
        "mapping",
        "scopes",
        "examples",
    }
)
# keywords whose values are data, where a `$ref` key is just data
_DATA_KEYWORDS = frozenset({"example", "default", "enum", "const", "value"})
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//")


def _refs(data: Any) -> Iterator[tuple[str, Any]]:
    """Every `$ref` in the document as (pointer of the `$ref`, its value), skipping example data and
    `x-` extensions. Objects shared by YAML aliases are visited once."""
    stack: list[tuple[str, Any, bool]] = [("#", data, False)]
    seen: set[int] = set()
    while stack:
        pointer, node, names = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, list):
            stack.extend(
                (pointer_join(pointer, i), v, False)
                for i, v in reversed(list(enumerate(node)))
                if isinstance(v, (dict, list))
            )
            continue
        if not names and "$ref" in node:
            yield pointer_join(pointer, "$ref"), node["$ref"]
        children = []
        for key, value in node.items():
            if not isinstance(value, (dict, list)):
                continue
            if names:
                children.append((pointer_join(pointer, key), value, False))
            elif key in _DATA_KEYWORDS or (isinstance(key, str) and key.startswith("x-")):
                continue
            elif key == "examples" and isinstance(value, list):  # a JSON Schema keyword: data
                continue
            else:
                children.append((pointer_join(pointer, key), value, key in _NAME_MAPS))
        stack.extend(reversed(children))


def _check_refs(data: dict[str, Any], add: Add) -> None:
    for where, ref in _refs(data):
        if not isinstance(ref, str):
            add("error", f"$ref must be a string, not {_short(ref)}", where)
        elif _REMOTE.match(ref):
            add(
                "error",
                f"$ref '{ref}' is remote: sdkgen uses no network; bundle the spec into one file",
                where,
            )
        elif not ref.startswith("#"):
            add(
                "error",
                f"$ref '{ref}' points to another file, which is not supported yet; bundle the spec into one"
                " file",
                where,
            )
        elif ref != "#" and not ref.startswith("#/"):
            add("error", f"$ref '{ref}' is not a JSON pointer: after '#' it must start with '/'", where)
        elif _resolve(data, ref) is _MISSING:
            close = _closest(data, ref)
            hint = f"; did you mean '{close}'?" if close else ""
            add("error", f"$ref '{ref}' points at nothing{hint}", where)
        elif cycle := _ref_cycle(data, ref):
            add("error", f"$ref cycle {' -> '.join(cycle)} never reaches a schema", where)


def _closest(data: Any, ref: str) -> str | None:
    """An existing pointer like `ref`, each missing token replaced by its closest existing sibling."""
    node = data
    tokens: list[str] = []
    for token in pointer_split(ref):
        if isinstance(node, dict):
            key = token if token in node else unquote(token)
            if key not in node:
                names = [k for k in node if isinstance(k, str)]
                lowered = {k.lower(): k for k in names}
                close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
                if key.lower() in lowered:
                    key = lowered[key.lower()]
                elif close:
                    key = close[0]
                else:
                    return None
            tokens.append(key)
            node = node[key]
        elif isinstance(node, list) and token.isascii() and token.isdigit() and int(token) < len(node):
            tokens.append(token)
            node = node[int(token)]
        else:
            return None
    return pointer_join("#", *tokens)


def _ref_cycle(data: Any, ref: str) -> list[str]:
    """The chain of refs when following `ref` through objects that are only a `$ref` comes back on itself."""
    chain = [ref]
    node = _resolve(data, ref)
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        following = node["$ref"]
        if following in chain:
            return [*chain, following]
        node = _resolve(data, following)
        if node is _MISSING:
            return []
        chain.append(following)
    return []


# ---------------------------------------------------------------------------------------------------------
# operations


_TEMPLATE_PARAM = re.compile(r"{([^{}]+)}")


def _check_operations(spec: _Spec, add: Add) -> None:
    by_id: dict[str, list[str]] = {}
    for pointer, method, template, op, item in spec.operations:
        op_id = op.get("operationId")
        if isinstance(op_id, str) and op_id:
            by_id.setdefault(op_id, []).append(pointer)
        elif op_id in (None, "") and template is not None:
            add(
                "warning",
                f"{method.upper()} {template} has no operationId; its method name is made from the path",
                pointer,
            )
        if template is not None:
            _check_path_parameters(spec.data, pointer, template, op, item, add)
    for op_id, pointers in by_id.items():
        for i, pointer in enumerate(pointers[1:], start=1):
            others = ", ".join(p for j, p in enumerate(pointers) if j != i)
            times = "twice" if len(pointers) == 2 else f"{len(pointers)} times"
            add(
                "error",
                f"operationId '{op_id}' is used {times} (also at {others})",
                pointer_join(pointer, "operationId"),
            )


def _check_path_parameters(
    data: Any, pointer: str, template: str, op: dict[str, Any], item: dict[str, Any], add: Add
) -> None:
    in_template = _TEMPLATE_PARAM.findall(template)
    declared: set[str] = set()
    item_pointer = pointer.rpartition("/")[0]
    for holder, where in ((item, item_pointer), (op, pointer)):
        params = holder.get("parameters")
        if not isinstance(params, list):
            continue
        for i, param in enumerate(params):
            target = _follow(data, param)
            if not isinstance(target, dict) or target.get("in") != "path":
                continue
            name = target.get("name")
            if not isinstance(name, str):
                continue
            declared.add(name)
            if name not in in_template:
                add(
                    "warning",
                    f"parameter '{name}' is declared in: path, but the path {template} has no {{{name}}}",
                    pointer_join(where, "parameters", i),
                )
    for name in in_template:
        if name not in declared:
            add(
                "warning",
                f"path parameter '{name}' of {template} is not declared; taken as a required string",
                pointer,
            )


# ---------------------------------------------------------------------------------------------------------
# schemas


def _check_schemas(spec: _Spec, version_: str, add: Add) -> None:
    for pointer, node in spec.schemas:
        required = node.get("required")
        if isinstance(required, list):
            where: dict[str, list[int]] = {}
            for i, entry in enumerate(required):
                if isinstance(entry, str):
                    where.setdefault(entry, []).append(i)
            for entry, indexes in where.items():
                if len(indexes) > 1:
                    times = "twice" if len(indexes) == 2 else f"{len(indexes)} times"
                    add(
                        "warning",
                        f"`required` lists '{entry}' {times}",
                        pointer_join(pointer, "required", indexes[1]),
                    )
        if version_ == "3.1" and "nullable" in node:
            if node["nullable"] is True:
                message = "`nullable` is not part of OpenAPI 3.1; use type: [T, 'null'] (read as nullable)"
            else:
                message = "`nullable` is not part of OpenAPI 3.1 (ignored)"
            add("warning", message, pointer_join(pointer, "nullable"))


# the fields of an OpenAPI Object: a `$ref` into one of them (outside components/schemas) is no schema
_OPENAPI_FIELDS = frozenset(
    {
        "openapi",
        "info",
        "jsonSchemaDialect",
        "servers",
        "paths",
        "webhooks",
        "components",
        "security",
        "tags",
        "externalDocs",
    }
)


def _check_schema_refs(spec: _Spec, add: Add) -> None:
    """A `$ref` where a schema belongs must point at a schema, not at `#/info` or a parameter."""
    schema_ids = {id(node) for _, node in spec.schemas}
    for pointer, node in spec.schemas:
        ref = node.get("$ref")
        if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
            continue
        target = _resolve(spec.data, ref)
        if target is _MISSING or id(target) in schema_ids or isinstance(target, bool):
            continue
        tokens = pointer_split(ref)
        if not isinstance(target, dict):
            what = _VALUE_KINDS.get(type(target), "a value")
        elif not tokens:
            what = "the whole document"
        elif tokens[0] not in _OPENAPI_FIELDS or (tokens[:2] == ["components", "schemas"] and tokens[2:]):
            continue  # an extension or a definitions section of the spec's own: may well hold schemas
        else:
            what = f"{_kind_at(tokens)}"
        add("error", f"$ref '{ref}' points at {what}, which is not a schema", pointer_join(pointer, "$ref"))


_VALUE_KINDS = {str: "a string", int: "a number", float: "a number", list: "a list", type(None): "null"}


def _kind_at(tokens: list[str]) -> str:
    """What the OpenAPI object at a pointer is, in words (`the info object`, `a parameter`)."""
    if tokens[0] == "components" and len(tokens) >= 3:
        kind = tokens[1][:-1] if tokens[1].endswith("s") else tokens[1]
        if len(tokens) == 3:
            return f"a {kind}"
    if len(tokens) == 1:
        return f"the document's '{tokens[0]}'"
    return f"part of the document's '{tokens[0]}'"


def _check_all_of_cycles(spec: _Spec, add: Add) -> None:
    """A schema that includes itself through `allOf` (A's allOf names B, B's names A) is an error: its
    fields would be an endless merge. One error per cycle, at the `$ref` that starts it."""
    where = {id(node): pointer for pointer, node in reversed(spec.schemas)}
    # edges: schema -> (the pointer that makes the edge, what it leads to, whether it is an allOf part)
    edges: dict[int, list[tuple[str, Any, bool]]] = {}
    nodes: dict[int, Any] = {}
    for pointer, node in spec.schemas:
        out: list[tuple[str, Any, bool]] = []
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            target = _resolve(spec.data, ref)
            if isinstance(target, dict):
                out.append((pointer_join(pointer, "$ref"), target, False))
        parts = node.get("allOf")
        if isinstance(parts, list):
            for i, part in enumerate(parts):
                if isinstance(part, dict):
                    out.append((pointer_join(pointer, "allOf", i), part, True))
        nodes[id(node)] = node
        edges[id(node)] = out

    def name_of(node: Any) -> str:
        return str(where.get(id(node), "?"))

    said: set[frozenset[int]] = set()
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    for _, start in spec.schemas:
        if state.get(id(start)):
            continue
        path: list[tuple[Any, str, bool]] = [(start, "", False)]
        stack = [iter(edges.get(id(start), []))]
        state[id(start)] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                node, _, _ = path.pop()
                stack.pop()
                state[id(node)] = 2
                continue
            at, target, is_part = step
            if id(target) not in edges:
                continue
            if state.get(id(target)) == 1:
                i = next(k for k, (n, _, _) in enumerate(path) if n is target)
                loop = [*path[i + 1 :], (target, at, is_part)]
                members = frozenset(id(n) for n, _, _ in loop)
                if any(part for _, _, part in loop) and members not in said:
                    said.add(members)
                    # the schemas the cycle's `$ref`s lead to, told from the one named first, so that the
                    # message does not depend on where the walk began; said at the `$ref` leaving it
                    refs = [(name_of(n), a) for n, a, part in loop if not part]
                    j = min(range(len(refs)), key=lambda k: refs[k - 1][0])
                    refs = refs[j:] + refs[:j]
                    names = [refs[-1][0], *(n for n, _ in refs)]
                    add(
                        "error",
                        f"allOf cycle {' -> '.join(names)}: a schema cannot include itself",
                        refs[0][1],
                    )
                continue
            if state.get(id(target)) == 2:
                continue
            state[id(target)] = 1
            path.append((target, at, is_part))
            stack.append(iter(edges[id(target)]))


# ---------------------------------------------------------------------------------------------------------
# openapi-spec-validator, cached


def cache_dir() -> Path:
    """Where sdkgen keeps its caches: $SDKGEN_CACHE_DIR, else $XDG_CACHE_HOME/sdkgen, else ~/.cache/sdkgen."""
    base = os.environ.get("SDKGEN_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sdkgen"


def _validator_version() -> str:
    """What produced the verdict we cache: the versions of openapi-spec-validator and of what is under it
    (whose schemas and wording speccheck follows), and speccheck's own code."""
    found = ["library" if _use_library() else "speccheck " + _speccheck_digest()]
    for package in ("openapi-spec-validator", "openapi-schema-validator", "jsonschema"):
        try:
            found.append(f"{package}=={version(package)}")
        except PackageNotFoundError:  # pragma: no cover
            found.append(f"{package}==?")
    return " ".join(found)


def _use_library() -> bool:
    return os.environ.get("SDKGEN_SPEC_VALIDATOR", "") == "openapi-spec-validator"


@functools.lru_cache(maxsize=1)
def _speccheck_digest() -> str:
    return hashlib.sha256(Path(__file__).with_name("speccheck.py").read_bytes()).hexdigest()[:16]


Finding = tuple[str, str, str]  # (pointer, message, kind: the JSON Schema keyword or the error's class)


def _errors(found: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in found)


class _Pending:
    """Findings to come: `pending()` waits for them; `cancel()` stops a child whose verdict is not wanted."""

    def __init__(self, wait: Callable[[], list[Finding]], stop: Callable[[], None] = lambda: None) -> None:
        self._wait = wait
        self._stop = stop

    def __call__(self) -> list[Finding]:
        return self._wait()

    def cancel(self) -> None:
        self._stop()


def _start_spec_validator(doc: Document, version_: str) -> _Pending:
    """openapi-spec-validator's findings: from the cache when this text was checked before, else from a
    child process started now (the caller goes on with its work); the returned object waits for them.
    Where there is no fork, the check runs here when they are first waited for.

    The child looks first for a verdict on the same structure (the text with its descriptions and summaries
    left out: editing one cannot change the verdict), then checks the spec; it writes both cache entries."""
    use_cache = not os.environ.get("SDKGEN_NO_CACHE")
    source = doc.source_text or json.dumps(doc.data, sort_keys=True, default=str)
    digest = hashlib.sha256(
        f"{_CACHE_FORMAT}\0{_validator_version()}\0{version_}\0".encode()
        + source.encode("utf-8", errors="surrogatepass")
    ).hexdigest()
    by_text = cache_dir() / "validator" / f"{digest}.json" if use_cache else None
    cached = _read_cache(by_text)
    if cached is not None:
        return _Pending(lambda: cached)
    run = _run_spec_validator if _use_library() else _run_speccheck

    def verdict(data: Any, version_: str) -> list[Finding]:
        by_structure = None
        if use_cache:
            by_structure = cache_dir() / "validator" / f"{_structure_digest(data, version_)}.json"
        found = _read_cache(by_structure)
        if found is None:
            found = run(data, version_)
            if by_structure is not None:
                _write_cache(by_structure, found)
        if by_text is not None:
            _write_cache(by_text, found)
        return found

    child = _fork(verdict, doc.data, version_)
    receive, stop = child if child is not None else (lambda: None, lambda: None)
    result: list[list[Finding]] = []

    def wait() -> list[Finding]:
        if not result:  # no child, or it died: checked here
            got = receive()
            result.append(got if got is not None else verdict(doc.data, version_))
        return result[0]

    return _Pending(wait, stop)


def _read_cache(entry: Path | None) -> list[Finding] | None:
    """A cached verdict, or None (none there, or a broken one: that only costs time)."""
    if entry is None:
        return None
    try:
        cached = json.loads(entry.read_text(encoding="utf-8"))
    except Exception:
        return None
    if isinstance(cached, list) and all(
        isinstance(f, list) and len(f) == 3 and all(isinstance(x, str) for x in f) for f in cached
    ):
        return [(f[0], f[1], f[2]) for f in cached]
    return None


_PROSE = frozenset({"description", "summary"})
# where a key named like prose is data instead: a property, a mapping entry, an example, a default
_NOT_PROSE_UNDER = frozenset(
    {"properties", "patternProperties", "mapping", "example", "examples", "default", "const", "enum", "value"}
)


def _structure_digest(data: Any, version_: str) -> str:
    """A hash of the document with the text of every description and summary left out (strings only: a
    description that is not a string is a finding and stays in)."""

    def strip(node: Any, parent: str) -> Any:
        if isinstance(node, dict):
            if parent in _NOT_PROSE_UNDER or parent.startswith("x-"):
                return node
            return {k: "" if k in _PROSE and isinstance(v, str) else strip(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [strip(item, parent) for item in node]
        return node

    text = json.dumps(strip(data, ""), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(
        f"{_CACHE_FORMAT}\0structure\0{_validator_version()}\0{version_}\0".encode()
        + text.encode("utf-8", errors="surrogatepass")
    ).hexdigest()


def _fork(
    fn: Callable[[Any, str], list[Finding]], data: Any, version_: str
) -> tuple[Callable[[], list[Finding] | None], Callable[[], None]] | None:
    """`fn(data, version_)` in a forked child (the data is shared, not copied): a function that waits for
    its result (None if the child failed or died) and one that stops it. None where fork is not available."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods() or os.environ.get("SDKGEN_NO_FORK"):
        return None
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def run() -> None:
        try:
            found: list[Finding] | None = fn(data, version_)
        except Exception:  # said by the parent, which runs it again (or stopped the child meanwhile)
            found = None
        try:
            send.send(found)
        finally:
            send.close()

    process = context.Process(target=run, daemon=True)
    try:
        process.start()
    except OSError:
        return None
    send.close()

    def wait() -> list[Finding] | None:
        try:
            found: list[Finding] | None = receive.recv()
        except (EOFError, OSError):
            found = None
        finally:
            receive.close()
            process.join()
        return found

    def stop() -> None:
        process.terminate()
        process.join()
        receive.close()

    return wait, stop


def _write_cache(cache: Path, findings: list[Finding]) -> None:
    tmp: str | None = None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(findings, out)
        os.replace(tmp, cache)
        tmp = None
    except Exception:  # a cache we cannot write only costs time
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _validator_class(version_: str) -> Any:
    """openapi-spec-validator's class for this version, its keyword checkers wrapped so that each error
    remembers which part of the spec was being checked (`_sdkgen_at`: path parts, checker name). Falls back
    to the plain class if the library's insides are not what we expect."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    base: Any = OpenAPIV31SpecValidator if version_ == "3.1" else OpenAPIV30SpecValidator
    try:
        from jsonschema_path import SchemaPath
        from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

        def wrap(name: str, cls: Any) -> Any:
            def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
                where = next((a for a in args if isinstance(a, SchemaPath)), None)
                for error in cls.__call__(self, *args, **kwargs):
                    if not isinstance(error, OpenAPIValidationError):
                        error = OpenAPIValidationError.create_from(error)
                    if where is not None and getattr(error, "_sdkgen_at", None) is None:
                        error._sdkgen_at = (tuple(where.parts), name)
                    yield error

            return type(cls.__name__, (cls,), {"__call__": __call__})

        checkers = {name: wrap(name, cls) for name, cls in base.keyword_validators.items()}
        return type(base.__name__, (base,), {"keyword_validators": checkers})
    except Exception:  # pragma: no cover - another version of the library
        return base


def _run_spec_validator(data: Any, version_: str) -> list[Finding]:
    """openapi-spec-validator's own findings (the reference our fast equivalent is tested against)."""
    return _collect(data, lambda: _validator_class(version_)(data).iter_errors())


def _run_speccheck(data: Any, version_: str) -> list[Finding]:
    """The same findings as openapi-spec-validator's, from generator.speccheck (fast)."""
    from .speccheck import spec_errors

    return _collect(data, lambda: spec_errors(data, version_))


def _collect(data: Any, errors_of: Callable[[], Iterator[Any]]) -> list[Finding]:
    out: list[Finding] = []
    said: dict[str, list[Finding]] = {}
    try:
        errors = errors_of()
        for error in errors:
            finding = _finding(data, error)
            pointer, message, _ = finding
            # one node, one problem: its schema check and its meta-schema check may both find it
            if any(message.startswith(m) or m.startswith(message) for _, m, _ in said.get(pointer, [])):
                continue
            said.setdefault(pointer, []).append(finding)
            out.append(finding)
    except Exception as exc:  # the validator itself fell over on this document: say so, keep what it found
        detail = " ".join(str(exc).split()).split(" within {")[0]  # not the whole document
        what = f"{type(exc).__name__}: {detail if len(detail) <= 120 else detail[:119] + '…'}"
        out.append(
            ("#", f"openapi-spec-validator stopped early ({what}); the spec was only partly checked", "")
        )
    return out


def _finding(data: Any, error: Any) -> Finding:
    # oneOf/anyOf: the most telling failure among the alternatives, not "is not valid under any of..."
    leaf = error
    while getattr(leaf, "context", None):
        alternatives = [
            c for c in leaf.context if not (c.validator == "required" and "'$ref'" in str(c.message))
        ]
        if not alternatives:
            break
        leaf = max(alternatives, key=lambda c: len(c.absolute_path))
    kind = getattr(error, "kind", "") or type(error).__name__
    if kind in ("OpenAPIValidationError", "ValidationError", "SchemaIssue"):
        keyword = getattr(leaf, "validator", None)
        kind = keyword if isinstance(keyword, str) else ""
    relative = [str(p) for p in leaf.absolute_path]
    message = _message(leaf)
    instance = getattr(leaf, "instance", None)
    if leaf.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        # point at the unexpected property itself when there is one
        unexpected = [k for k in instance if isinstance(k, str) and repr(k) in str(leaf.message)]
        if len(unexpected) == 1:
            relative.append(unexpected[0])
            if "does not match any of the regexes: '^x-'" in message:
                message = f"{unexpected[0]!r} is not allowed here (only x- extensions can be added)"
    at = getattr(error, "_sdkgen_at", None)
    prefix = ""
    if at is None:
        pointer = _canonical(data, relative, resolve_last=False)
    else:
        parts, checker = at
        if checker == "default":  # the schema's default value does not fit the schema
            relative = ["default", *relative]
            prefix = "`default`: "
        pointer = _canonical(data, [*map(str, parts), *relative], resolve_last=True)
    return pointer, f"openapi-spec-validator: {prefix}{message}", kind


def _canonical(data: Any, parts: list[str], *, resolve_last: bool) -> str:
    """The pointer of the node at `parts`, reached through `$ref`s the way the validator went, written as
    where it is defined (`#/components/schemas/B/properties/c`, not through the property that refers to B)."""
    node = data
    tokens: list[str] = []
    for n, part in enumerate(parts):
        hops = 0
        while isinstance(node, dict) and part not in node and isinstance(node.get("$ref"), str) and hops < 32:
            target = _resolve(data, node["$ref"])
            if target is _MISSING or not node["$ref"].startswith("#"):
                break
            tokens, node, hops = pointer_split(node["$ref"]), target, hops + 1
        if isinstance(node, dict) and part in node:
            tokens.append(part)
            node = node[part]
        elif isinstance(node, list) and part.isascii() and part.isdigit() and int(part) < len(node):
            tokens.append(part)
            node = node[int(part)]
        else:
            tokens.extend(parts[n:])
            return pointer_join("#", *tokens)
    if resolve_last and isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref.startswith("#") and _resolve(data, ref) is not _MISSING:
            return ref if ref.startswith("#/") else "#"
    return pointer_join("#", *tokens)


def _short(value: Any, room: int = 60) -> str:
    """A short one-line picture of a value: `{'in': …, 'name': …}`, `['a', 'b', …]`, `'text…'`."""
    if isinstance(value, dict):
        keys = list(value)
        shown = ", ".join(f"{k!r}: …" for k in keys[:4])
        return "{" + shown + (", …" if len(keys) > 4 else "") + "}"
    if isinstance(value, list):
        text = repr(value)
        if len(text) <= room:
            return text
        inner = ", ".join(_short(v, 20) for v in value[:3])
        return "[" + inner + (", …" if len(value) > 3 else "") + "]"
    text = " ".join(repr(value).split())
    return text if len(text) <= room else text[: room - 1] + "…"


def _message(error: Any) -> str:
    """jsonschema's message on one line, the instance it quotes cut short."""
    message = str(getattr(error, "message", error))
    instance = getattr(error, "instance", None)
    if isinstance(instance, (dict, list, str)):
        quoted = repr(instance)
        if len(quoted) > 60 and quoted in message:
            message = message.replace(quoted, _short(instance))
    message = " ".join(message.split())
    return message if len(message) <= 240 else message[:239] + "…"
