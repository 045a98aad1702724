"""Check a loaded document: openapi-spec-validator plus our own checks, as located diagnostics.

Errors are what generation cannot get past (no OpenAPI version, a `$ref` to nothing, two operations with one
operationId). Everything else, including every finding of openapi-spec-validator, is a warning: real specs
have defects (the official OpenAI spec repeats entries in `required` and uses `nullable` in 3.1) and a
generator for real users does its best with them. `strict=True` makes warnings errors.

openapi-spec-validator is slow on large specs (12 s on the OpenAI spec here), so its verdict is cached on
disk by the content hash of the spec and the validator's version.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, pointer_join
from .load import Document

__all__ = ["SUPPORTED", "cache_dir", "validate"]

SUPPORTED = ("3.0", "3.1")
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def validate(doc: Document, *, strict: bool = False) -> list[Diagnostic]:
    """All diagnostics for `doc`, sorted by position; with `strict`, warnings are errors."""
    found: list[Diagnostic] = []

    def add(severity: str, message: str, pointer: str) -> None:
        found.append(Diagnostic(severity, message, pointer, doc.locate(pointer)))  # type: ignore[arg-type]

    data = doc.data
    version_ok = _check_version(data, add)
    if version_ok:
        _check_refs(doc, add)
        _check_operations(data, add)
        _check_schemas(data, version_ok, add)
        if not any(d.severity == "error" for d in found):
            # what our own checks say more precisely is not said twice
            said = {"uniqueItems"} if any("`required` lists" in d.message for d in found) else set()
            for pointer, message, keyword in _spec_validator(doc, version_ok):
                if keyword in said or keyword == "nullable":
                    continue
                add("warning", message, pointer)
    if strict:
        found = [replace(d, severity="error") for d in found]
    unique = {(d.severity, d.message, d.pointer): d for d in found}
    return sorted(
        unique.values(),
        key=lambda d: (
            d.location.line if d.location else 0,
            d.location.column if d.location else 0,
            d.message,
        ),
    )


def _check_version(data: Mapping[str, Any], add: Any) -> str:
    if "swagger" in data and "openapi" not in data:
        add(
            "error",
            f"Swagger {data.get('swagger')} documents are not supported yet; convert to OpenAPI 3",
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
    major_minor = ".".join(raw.split(".")[:2])
    if major_minor not in SUPPORTED:
        add(
            "error",
            f"OpenAPI {raw} is not supported (supported: {', '.join(v + '.x' for v in SUPPORTED)})",
            "#/openapi",
        )
        return ""
    return major_minor


def _walk(node: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    stack = [(pointer, node)]
    seen: set[int] = set()
    while stack:
        where, value = stack.pop()
        if isinstance(value, (dict, list)):
            if id(value) in seen:  # shared by YAML aliases: visit once
                continue
            seen.add(id(value))
        yield where, value
        if isinstance(value, dict):
            stack.extend((pointer_join(where, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((pointer_join(where, i), v) for i, v in reversed(list(enumerate(value))))


def _resolves(data: Any, ref: str) -> bool:
    node = data
    for token in ref[1:].split("/")[1:] if ref != "#" else []:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return False
    return True


def _target(data: Any, ref: str) -> Any:
    node = data
    for token in ref[1:].split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def _ref_cycle(data: Any, ref: str) -> list[str]:
    """The chain of refs when following `ref` through nodes that are only a `$ref` comes back on itself."""
    chain = [ref]
    node = _target(data, ref)
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        following = node["$ref"]
        if following in chain:
            return [*chain, following]
        if not _resolves(data, following):
            return []
        chain.append(following)
        node = _target(data, following)
    return []


def _check_refs(doc: Document, add: Any) -> None:
    data = doc.data
    for pointer, node in _walk(data, "#"):
        if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
            continue
        ref = node["$ref"]
        where = pointer_join(pointer, "$ref")
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", ref):
            add(
                "error",
                f"$ref '{ref}' is remote: sdkgen uses no network; bundle the spec into one file",
                where,
            )
        elif not ref.startswith("#"):
            add(
                "error",
                f"$ref '{ref}' points to another file, which is not supported yet; bundle the spec "
                "into one file",
                where,
            )
        elif _resolves(data, ref) and (cycle := _ref_cycle(data, ref)):
            add("error", f"$ref cycle {' -> '.join(cycle)} never reaches a schema", where)
        elif not _resolves(data, ref):
            parent, _, name = ref.rpartition("/")
            siblings: list[str] = []
            if _resolves(data, parent):
                holder: Any = data
                for token in parent[1:].split("/")[1:]:
                    holder = (
                        holder[token.replace("~1", "/").replace("~0", "~")]
                        if isinstance(holder, dict)
                        else {}
                    )
                siblings = list(holder) if isinstance(holder, dict) else []
            close = difflib.get_close_matches(name.replace("~1", "/").replace("~0", "~"), siblings, n=1)
            hint = f"; did you mean '{parent}/{close[0]}'?" if close else ""
            add("error", f"$ref '{ref}' points at nothing{hint}", where)


def _check_operations(data: Mapping[str, Any], add: Any) -> None:
    paths = data.get("paths")
    if not isinstance(paths, dict):
        return
    seen: dict[str, str] = {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        item_pointer = pointer_join("#/paths", path)
        declared_item = {p.get("name") for p in item.get("parameters") or [] if isinstance(p, dict)}
        for method in _HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            pointer = pointer_join(item_pointer, method)
            op_id = op.get("operationId")
            if isinstance(op_id, str):
                if op_id in seen:
                    add(
                        "error",
                        f"operationId '{op_id}' is used twice (also at {seen[op_id]})",
                        pointer_join(pointer, "operationId"),
                    )
                else:
                    seen[op_id] = pointer
            else:
                add(
                    "warning",
                    f"{method.upper()} {path} has no operationId; its method name is made from the path",
                    pointer,
                )
            declared = declared_item | {
                p.get("name") for p in op.get("parameters") or [] if isinstance(p, dict)
            }
            for name in re.findall(r"{([^}]+)}", str(path)):
                if name not in declared and not any(
                    isinstance(p, dict) and "$ref" in p
                    for p in (op.get("parameters") or []) + (item.get("parameters") or [])
                ):
                    add("warning", f"path parameter '{name}' of {path} is not declared", pointer)


def _check_schemas(data: Mapping[str, Any], version_: str, add: Any) -> None:
    for pointer, node in _walk(data, "#"):
        if not isinstance(node, dict):
            continue
        required = node.get("required")
        if isinstance(required, list) and ("properties" in node or "type" in node or "allOf" in node):
            counted: dict[str, int] = {}
            for entry in required:
                if isinstance(entry, str):
                    counted[entry] = counted.get(entry, 0) + 1
            for entry, count in counted.items():
                if count > 1:
                    add(
                        "warning",
                        f"`required` lists '{entry}' {'twice' if count == 2 else f'{count} times'}",
                        pointer_join(pointer, "required"),
                    )
        if (
            version_ == "3.1"
            and "nullable" in node
            and (
                "type" in node
                or "$ref" in node
                or "anyOf" in node
                or "oneOf" in node
                or "allOf" in node
                or "enum" in node
            )
        ):
            add(
                "warning",
                "`nullable` is not part of OpenAPI 3.1; use type: [T, 'null'] (read as nullable)",
                pointer_join(pointer, "nullable"),
            )


def cache_dir() -> Path:
    base = os.environ.get("SDKGEN_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sdkgen"


def _validator_version() -> str:
    try:
        return version("openapi-spec-validator")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _spec_validator(doc: Document, version_: str) -> list[tuple[str, str, str]]:
    """openapi-spec-validator's findings as (pointer, message, keyword), cached by content hash."""
    key = hashlib.sha256(f"{_validator_version()}\0{version_}\0{doc.source_text}".encode()).hexdigest()
    cache = cache_dir() / "validator" / f"{key}.json"
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
        return [(str(p), str(m), str(k)) for p, m, k in cached]
    except (OSError, ValueError, TypeError):
        pass
    findings = _run_spec_validator(doc, version_)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(findings), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:
        pass  # a cache we cannot write only costs time
    return findings


def _run_spec_validator(doc: Document, version_: str) -> list[tuple[str, str, str]]:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    cls = OpenAPIV31SpecValidator if version_ == "3.1" else OpenAPIV30SpecValidator
    out: list[tuple[str, str, str]] = []
    try:
        errors = list(cls(doc.data).iter_errors())
    except Exception as exc:  # the validator itself fell over on this document: say so, go on
        return [
            ("#", f"openapi-spec-validator could not check this document: {type(exc).__name__}: {exc}", "")
        ]
    for error in errors:
        path = [str(p) for p in getattr(error, "absolute_path", [])]
        pointer = pointer_join("#", *path)
        if not _resolves(doc.data, pointer):
            pointer = "#"
        message = " ".join(str(getattr(error, "message", error)).split())
        if len(message) > 200:
            message = message[:197] + "..."
        keyword = str(getattr(error, "validator", "") or "")
        out.append((pointer, f"openapi-spec-validator: {message}", keyword))
    return out
