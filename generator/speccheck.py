"""openapi-spec-validator's verdict, reached fast.

openapi-spec-validator checks a document in two passes: the whole document against the OpenAPI JSON Schema
(3.0: draft 4; 3.1: draft 2020-12), then a walk over paths and components that checks every Schema Object
against its meta-schema, every `default` against its schema, and operationIds, path and duplicate parameters
and tags. On the full OpenAI spec that takes it 8-16 s of pure-Python `jsonschema` machinery.

This module reaches the same findings in a fraction of that: a small JSON Schema interpreter of our own
(the keywords those passes use, with the same semantics and the same messages as `jsonschema`, errors in the
same order), run over the same schemas (read from the installed packages, not copied), and the same walk.
`tests/unit/test_speccheck.py` holds the two side by side on every corpus spec, our broken specs and
thousands of generated ones. `generator.validate` uses this; openapi-spec-validator stays the reference.
"""

from __future__ import annotations

import binascii
import importlib.util
import ipaddress
import itertools
import json
import re
import string
from base64 import b64decode
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin
from uuid import UUID

__all__ = ["SchemaIssue", "spec_errors"]

_UNSET: Any = object()


class SchemaIssue:
    """One finding, shaped as `jsonschema.ValidationError` is where `generator.validate` reads it."""

    __slots__ = ("_sdkgen_at", "absolute_path", "context", "instance", "kind", "message", "validator")

    def __init__(
        self,
        message: str,
        path: tuple[Any, ...] = (),
        instance: Any = None,
        context: list[SchemaIssue] | None = None,
        validator: Any = _UNSET,
        kind: str = "",
    ) -> None:
        self.message = message
        self.absolute_path = path
        self.instance = instance
        self.context = context or []
        self.validator = validator
        self.kind = kind  # the class of openapi-spec-validator's own errors (DuplicateOperationIDError, ...)
        self._sdkgen_at: tuple[tuple[Any, ...], str] | None = None

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<SchemaIssue {self.validator} {list(self.absolute_path)} {self.message[:80]!r}>"


class Unresolvable(Exception):
    """A `$ref` that leads nowhere (openapi-spec-validator stops there too; the names and wording of these
    exceptions are those of the `referencing` library under it, as the finding quotes them)."""

    def __init__(self, ref: str) -> None:
        super().__init__(ref)
        self.ref = ref

    def __str__(self) -> str:
        return f"Unresolvable: {self.ref}"


class PointerToNowhere(Unresolvable):
    def __str__(self) -> str:
        return f"{self.ref!r} does not exist"


class NoSuchAnchor(Unresolvable):
    def __str__(self) -> str:
        return f"{self.ref!r} does not exist"


class UnknownType(Exception):
    """A `type` the dialect does not know (openapi-spec-validator stops there too)."""


# ---------------------------------------------------------------------------------------------------------
# where schemas live: resources by URI, their anchors


class Registry:
    def __init__(self) -> None:
        self.resources: dict[str, Any] = {}
        self.anchors: dict[tuple[str, str], tuple[Any, bool]] = {}  # (uri, name) -> (schema, dynamic)
        self._static: dict[tuple[str, str], tuple[Any, str]] = {}

    def add(self, contents: Any, uri: str = "", *, id_key: str = "$id") -> None:
        root = contents.get(id_key, uri) if isinstance(contents, dict) else uri
        root = urldefrag(root)[0] if isinstance(root, str) else uri
        self.resources[root] = contents
        if id_key == "$id":
            self._crawl(contents, root)

    def _crawl(self, node: Any, base: str) -> None:
        if isinstance(node, dict):
            here = node.get("$id")
            if isinstance(here, str) and node is not self.resources.get(base):
                base = urldefrag(urljoin(base, here))[0]
                self.resources.setdefault(base, node)
            for key, dynamic in (("$anchor", False), ("$dynamicAnchor", True)):
                name = node.get(key)
                if isinstance(name, str):
                    self.anchors[(base, name)] = (node, dynamic)
            for value in node.values():
                if isinstance(value, (dict, list)):
                    self._crawl(value, base)
        elif isinstance(node, list):
            for value in node:
                self._crawl(value, base)

    def lookup(self, base: str, ref: str, scope: tuple[str, ...]) -> tuple[Any, str]:
        """The schema `ref` names, seen from `base`, and its base URI; `scope` is the dynamic scope."""
        known = self._static.get((base, ref))
        if known is not None:
            return known
        found = self._lookup(base, ref, scope)
        if found[2]:
            self._static[(base, ref)] = found[:2]
        return found[:2]

    def _lookup(self, base: str, ref: str, scope: tuple[str, ...]) -> tuple[Any, str, bool]:
        """(schema, base URI, whether that holds whatever the dynamic scope)."""
        if ref.startswith("#"):
            uri, fragment = base, ref[1:]
        else:
            uri, fragment = _join(base, ref)
        if uri not in self.resources:
            raise Unresolvable(ref)
        if fragment.startswith("/"):
            node = self.resources[uri]
            for token in fragment[1:].split("/"):
                token = unquote(token).replace("~1", "/").replace("~0", "~")
                if isinstance(node, dict) and token in node:
                    node = node[token]
                elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                    node = node[int(token)]
                else:
                    raise PointerToNowhere(fragment)
            return node, uri, True
        if fragment:
            found = self.anchors.get((uri, fragment))
            if found is None:
                raise NoSuchAnchor(fragment)
            if found[1]:  # a dynamic anchor: the outermost resource in scope that has it wins
                for outer in scope:
                    dynamic = self.anchors.get((outer, fragment))
                    if dynamic is not None and dynamic[1]:
                        return dynamic[0], outer, False
            return found[0], uri, not found[1]
        return self.resources[uri], uri, True


@lru_cache(maxsize=4096)
def _join(base: str, ref: str) -> tuple[str, str]:
    uri, fragment = urldefrag(urljoin(base, ref))
    return uri, fragment


def _package_json(package: str, *parts: str) -> Any:
    """A JSON file shipped inside an installed package, read without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{package} is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return json.loads(folder.joinpath(*parts).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _meta_registry() -> Registry:
    """The meta-schemas: JSON Schema draft 4 and 2020-12 (from jsonschema-specifications), the OpenAPI 3.1
    dialect and vocabulary (from openapi-schema-validator), the OpenAPI 3.0 and 3.1 document schemas (from
    openapi-spec-validator): the very files openapi-spec-validator validates with."""
    registry = Registry()
    specs = "jsonschema_specifications"
    registry.add(_package_json(specs, "schemas", "draft4", "metaschema.json"), id_key="id")
    registry.add(_package_json(specs, "schemas", "draft202012", "metaschema.json"))
    for vocabulary in ("core", "applicator", "unevaluated", "validation", "meta-data", "format-annotation",
                       "format-assertion", "content"):  # fmt: skip
        registry.add(_package_json(specs, "schemas", "draft202012", "vocabularies", vocabulary))
    registry.add(_package_json("openapi_schema_validator", "schemas", "oas3.1", "metaschema.json"))
    registry.add(_package_json("openapi_schema_validator", "schemas", "oas3.1", "vocabularies", "base"))
    registry.add(_oas_schema("3.0"), id_key="id")
    registry.add(_oas_schema("3.1"))
    return registry


@lru_cache(maxsize=2)
def _oas_schema(version: str) -> Any:
    return _package_json("openapi_spec_validator", "resources", "schemas", f"v{version}", "schema.json")


DRAFT4_META = "http://json-schema.org/draft-04/schema"
OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"


# ---------------------------------------------------------------------------------------------------------
# equality and types as JSON Schema (and jsonschema) see them


_TRUE, _FALSE = object(), object()


def _unbool(value: Any) -> Any:
    """True and False apart from 1 and 0 (equal in Python, not in JSON)."""
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    return value


def _equal(one: Any, two: Any) -> bool:
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return len(one) == len(two) and all(k in two and _equal(v, two[k]) for k, v in one.items())
    return bool(_unbool(one) == _unbool(two))


def _unique(items: list[Any]) -> bool:
    try:
        ordered = sorted(_unbool(i) for i in items)
        return not any(_equal(a, b) for a, b in itertools.pairwise(ordered))
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for item in items:
            item = _unbool(item)
            if any(_equal(s, item) for s in seen):
                return False
            seen.append(item)
        return True


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _integer_strict(value: Any) -> bool:  # draft 4 and OpenAPI 3.0: 1.0 is not an integer
    return isinstance(value, int) and not isinstance(value, bool)


def _integer(value: Any) -> bool:  # draft 6 on: 1.0 is
    return _integer_strict(value) or (isinstance(value, float) and value.is_integer())


_COMMON_TYPES: dict[str, Callable[[Any], bool]] = {
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "number": _is_number,
    "object": lambda v: isinstance(v, dict),
    "string": lambda v: isinstance(v, str),
}
TYPES_DRAFT4 = {**_COMMON_TYPES, "integer": _integer_strict, "null": lambda v: v is None}
TYPES_2020 = {**_COMMON_TYPES, "integer": _integer, "null": lambda v: v is None}
TYPES_OAS30 = {**_COMMON_TYPES, "integer": _integer_strict}  # no "null" in OpenAPI 3.0


def _extras(extras: list[Any]) -> tuple[str, str]:
    return ", ".join(repr(extra) for extra in extras), "was" if len(extras) == 1 else "were"


# ---------------------------------------------------------------------------------------------------------
# the interpreter

At = tuple[Any, ...]
Errors = list[SchemaIssue]
Keyword = Callable[["Validator", Any, Any, dict[str, Any], At, str, tuple[str, ...], "Errors"], None]


@dataclass
class Validator:
    """A JSON Schema validator for one dialect: `errors(schema, instance)` lists what `jsonschema`'s
    `iter_errors` yields, in its order, with its messages."""

    registry: Registry
    keywords: dict[str, Keyword]
    types: dict[str, Callable[[Any], bool]]
    formats: Any = None  # a jsonschema FormatChecker, or None: `format` is only an annotation
    ref_overrides: bool = False  # draft 4: `$ref` hides its siblings
    id_key: str = "$id"
    oas30: bool = False  # OpenAPI 3.0's own rules (nullable, readOnly/writeOnly in required)
    _valid: dict[tuple[int, int, str], bool] = field(default_factory=dict)
    _plans: dict[int, tuple[Any, str | None, list[tuple[str, Any, Keyword]]]] = field(default_factory=dict)
    _scalars_ok: set[tuple[Any, ...]] = field(default_factory=set)

    def is_type(self, value: Any, name: str) -> bool:
        check = self.types.get(name)
        if check is None:
            raise UnknownType(f"Unknown type {name!r} for validator")
        return check(value)

    def errors(
        self,
        schema: Any,
        instance: Any,
        path: At = (),
        base: str = "",
        scope: tuple[str, ...] = (),
        sink: Errors | None = None,
    ) -> Errors:
        """Appends to `sink` (a new list if none) what `schema` finds wrong with `instance`, and returns it.

        Errors go into one list as they are found, the way jsonschema yields them: when a malformed schema
        makes a check raise, what was found before it is kept (the library reports that much too)."""
        if sink is None:
            sink = []
        if schema is True:
            return sink
        if schema is False:
            sink.append(
                SchemaIssue(f"False schema does not allow {instance!r}", path, instance, validator=None)
            )
            return sink
        if not isinstance(schema, dict):
            return sink
        plan = self._plans.get(id(schema))
        if plan is None or plan[0] is not schema:
            plan = self._plan(schema)
        scalar: tuple[Any, ...] | None = None
        if not isinstance(instance, (dict, list)):  # a scalar that passed a schema passes it again
            scalar = (id(schema), base, instance.__class__, instance)
            if scalar in self._scalars_ok:
                return sink
        if plan[1] is not None:
            base = _join(base, plan[1])[0]
        before = len(sink)
        key = ""
        try:
            for key, value, check in plan[2]:
                start = len(sink)
                check(self, value, instance, schema, path, base, scope, sink)
                for index in range(start, len(sink)):
                    if sink[index].validator is _UNSET:
                        sink[index].validator = key
        except Exception:
            for index in range(before, len(sink)):  # found on the way to the failure: named as they pass
                if sink[index].validator is _UNSET:
                    sink[index].validator = key
            raise
        if scalar is not None and len(sink) == before:
            self._scalars_ok.add(scalar)
        return sink

    def _plan(self, schema: dict[str, Any]) -> tuple[Any, str | None, list[tuple[str, Any, Keyword]]]:
        """The keywords of `schema` this dialect acts on, in the schema's order, and its `$id`."""
        here = schema.get(self.id_key)
        moved = here if isinstance(here, str) and here and not here.startswith("#") else None
        if self.ref_overrides and "$ref" in schema:
            pairs: Any = (("$ref", schema["$ref"]),)
        else:
            pairs = schema.items()
        steps = [(k, value, self.keywords[k]) for k, value in pairs if k in self.keywords]
        plan = (schema, moved, steps)
        self._plans[id(schema)] = plan
        return plan

    def valid(self, schema: Any, instance: Any, base: str, scope: tuple[str, ...]) -> bool:
        """Whether `instance` passes `schema` (a container is checked against a schema once)."""
        if schema is True:
            return True
        key = (id(schema), id(instance), base) if isinstance(instance, (dict, list)) else None
        if key is not None and key in self._valid:
            return self._valid[key]
        found: Errors = []
        try:
            self.errors(schema, instance, (), base, scope, found)
        except Exception:  # jsonschema stops at the first error: a failure after one is not reached
            if not found:
                raise
        if key is not None:
            self._valid[key] = not found
        return not found

    def follow(self, ref: str, base: str, scope: tuple[str, ...]) -> tuple[Any, str, tuple[str, ...]]:
        """The schema `ref` names, its base URI and the dynamic scope inside it (`base` entered)."""
        if base and (not scope or scope[-1] != base):
            scope = (*scope, base)
        target, uri = self.registry.lookup(base, ref, scope)
        return target, uri, scope


def _ref(v: Validator, ref: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
         scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(ref, str):
        return
    target, uri, scope = v.follow(ref, base, scope)
    v.errors(target, inst, path, uri, scope, sink)


def _type(v: Validator, types: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
          scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    names = [types] if isinstance(types, str) else types
    if any(v.is_type(inst, t) for t in names):
        return
    sink.append(SchemaIssue(f"{inst!r} is not of type {', '.join(repr(t) for t in names)}", path, inst))


def _type_oas30(v: Validator, name: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if inst is None:
        if schema.get("nullable") is True:
            return
        sink.append(SchemaIssue("None for not nullable", path, inst))
    if name == "string" and schema.get("format") == "binary" and isinstance(inst, bytes):
        return
    if not v.is_type(inst, name):
        sink.append(SchemaIssue(f"{inst!r} is not of type {name!r}", path, inst))


def _enum(v: Validator, enums: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
          scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if all(not _equal(each, inst) for each in enums):
        sink.append(SchemaIssue(f"{inst!r} is not one of {enums!r}", path, inst))


def _const(v: Validator, const: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
           scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not _equal(inst, const):
        sink.append(SchemaIssue(f"{const!r} was expected", path, inst))


def _properties(v: Validator, properties: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, dict):
        return
    if len(inst) < len(properties):
        pairs = [(k, properties[k]) for k in properties if k in inst]
    else:
        pairs = [(k, s) for k, s in properties.items() if k in inst]
    for key, subschema in pairs:
        v.errors(subschema, inst[key], (*path, key), base, scope, sink)


def _pattern_properties(v: Validator, patterns: Any, inst: Any, schema: dict[str, Any], path: At,
                        base: str, scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, dict):
        return
    for pattern, subschema in patterns.items():
        compiled = _regex(pattern)
        for key, value in inst.items():
            if compiled.search(key):
                v.errors(subschema, value, (*path, key), base, scope, sink)


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _additional(inst: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    properties = schema.get("properties", {})
    patterns = "|".join(schema.get("patternProperties", {}))
    compiled = _regex(patterns) if patterns else None
    return [k for k in inst if k not in properties and not (compiled and compiled.search(k))]


def _additional_properties(v: Validator, extra: Any, inst: Any, schema: dict[str, Any], path: At,
                           base: str, scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, dict):
        return
    extras = _additional(inst, schema)
    if isinstance(extra, dict):
        for key in extras:
            v.errors(extra, inst[key], (*path, key), base, scope, sink)
        return
    if extra is False and extras:
        if "patternProperties" in schema:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(repr(each) for each in sorted(extras))
            patterns = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            sink.append(SchemaIssue(f"{joined} {verb} not match any of the regexes: {patterns}", path, inst))
            return
        listed, verb = _extras(sorted(extras, key=str))
        sink.append(
            SchemaIssue(f"Additional properties are not allowed ({listed} {verb} unexpected)", path, inst)
        )


def _additional_properties_oas30(v: Validator, extra: Any, inst: Any, schema: dict[str, Any], path: At,
                                 base: str, scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, dict):
        return
    extras = _additional(inst, schema)
    if not extras:
        return
    if isinstance(extra, dict):
        for key in extras:
            v.errors(extra, inst[key], (*path, key), base, scope, sink)
        return
    if extra is False:
        listed, verb = _extras(list(extras))
        sink.append(
            SchemaIssue(f"Additional properties are not allowed ({listed} {verb} unexpected)", path, inst)
        )


def _property_names(v: Validator, names: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                    scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, dict):
        return
    for key in inst:
        v.errors(names, key, path, base, scope, sink)


def _required(v: Validator, required: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
              scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, dict):
        return
    missing = [p for p in required if p not in inst]
    if v.oas30:  # a missing readOnly or writeOnly property is not missing
        properties = schema.get("properties", {})
        missing = [
            p
            for p in missing
            if not (
                (sub := properties.get(p)) and (sub.get("readOnly", False) or sub.get("writeOnly", False))
            )
        ]
    sink.extend(SchemaIssue(f"{p!r} is a required property", path, inst) for p in missing)


def _items_2020(v: Validator, items: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, list):
        return
    prefix = len(schema.get("prefixItems", []))
    total = len(inst)
    extra = total - prefix
    if extra <= 0:
        return
    if items is False:
        rest = inst[prefix:] if extra != 1 else inst[prefix]
        noun = "items" if prefix != 1 else "item"
        message = f"Expected at most {prefix} {noun} but found {extra} extra: {rest!r}"
        sink.append(SchemaIssue(message, path, inst))
        return
    for index in range(prefix, total):
        v.errors(items, inst[index], (*path, index), base, scope, sink)


def _items_draft4(v: Validator, items: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                  scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, list):
        return
    if isinstance(items, dict) or not isinstance(items, list):
        pairs: Any = ((i, item, items) for i, item in enumerate(inst))
    else:
        pairs = ((i, item, sub) for (i, item), sub in zip(enumerate(inst), items, strict=False))
    for index, item, subschema in pairs:
        v.errors(subschema, item, (*path, index), base, scope, sink)


def _items_oas30(v: Validator, items: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                 scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, list):
        return
    for index, item in enumerate(inst):
        v.errors(items, item, (*path, index), base, scope, sink)


def _additional_items(v: Validator, extra: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                      scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, list) or isinstance(schema.get("items", {}), dict):
        return
    count = len(schema.get("items", []))
    if isinstance(extra, dict):
        for index in range(count, len(inst)):
            v.errors(extra, inst[index], (*path, index), base, scope, sink)
        return
    if not extra and len(inst) > count:
        listed, verb = _extras(inst[count:])
        sink.append(SchemaIssue(f"Additional items are not allowed ({listed} {verb} unexpected)", path, inst))


def _prefix_items(v: Validator, prefix: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                  scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, list):
        return
    for (index, item), subschema in zip(enumerate(inst), prefix, strict=False):
        v.errors(subschema, item, (*path, index), base, scope, sink)


def _contains(v: Validator, contains: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
              scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, list):
        return
    matches = 0
    least = schema.get("minContains", 1)
    most = schema.get("maxContains", len(inst))
    for each in inst:
        if v.valid(contains, each, base, scope):
            matches += 1
            if matches > most:
                message = f"Too many items match the given schema (expected at most {most})"
                sink.append(SchemaIssue(message, path, inst, validator="maxContains"))
                return
    if matches < least:
        if not matches:
            sink.append(SchemaIssue(f"{inst!r} does not contain items matching the given schema", path, inst))
            return
        message = (
            f"Too few items match the given schema (expected at least {least} but only {matches} matched)"
        )
        sink.append(SchemaIssue(message, path, inst, validator="minContains"))


def _size(kind: type[list[Any]] | type[str] | type[dict[str, Any]], least: bool, otherwise: str) -> Keyword:
    """minItems/maxItems, minLength/maxLength, minProperties/maxProperties: a bound on a size, with
    jsonschema's words (`should be non-empty` for at least 1, `is expected to be empty` for at most 0)."""

    def check(v: Validator, n: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
              scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
        if isinstance(inst, kind) and (len(inst) < n if least else len(inst) > n):
            if least:
                words = "should be non-empty" if n == 1 else otherwise
            else:
                words = "is expected to be empty" if n == 0 else otherwise
            sink.append(SchemaIssue(f"{inst!r} {words}", path, inst))

    return check


_min_items, _max_items = _size(list, True, "is too short"), _size(list, False, "is too long")
_min_length, _max_length = _size(str, True, "is too short"), _size(str, False, "is too long")
_min_properties = _size(dict, True, "does not have enough properties")
_max_properties = _size(dict, False, "has too many properties")


def _unique_items(v: Validator, unique: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                  scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if unique and isinstance(inst, list) and not _unique(inst):
        sink.append(SchemaIssue(f"{inst!r} has non-unique elements", path, inst))


def _pattern(v: Validator, pattern: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
             scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if isinstance(inst, str) and not _regex(pattern).search(inst):
        sink.append(SchemaIssue(f"{inst!r} does not match {pattern!r}", path, inst))


def _format(v: Validator, name: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
            scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if v.formats is None or (v.oas30 and inst is None):
        return
    if v.formats.conforms(inst, name):
        return
    sink.append(SchemaIssue(f"{inst!r} is not a {name!r}", path, inst))


def _minimum(v: Validator, least: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
             scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if _is_number(inst) and inst < least:
        sink.append(SchemaIssue(f"{inst!r} is less than the minimum of {least!r}", path, inst))


def _maximum(v: Validator, most: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
             scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if _is_number(inst) and inst > most:
        sink.append(SchemaIssue(f"{inst!r} is greater than the maximum of {most!r}", path, inst))


def _exclusive_minimum(v: Validator, least: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                       scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if _is_number(inst) and inst <= least:
        sink.append(SchemaIssue(f"{inst!r} is less than or equal to the minimum of {least!r}", path, inst))


def _exclusive_maximum(v: Validator, most: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                       scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if _is_number(inst) and inst >= most:
        sink.append(SchemaIssue(f"{inst!r} is greater than or equal to the maximum of {most!r}", path, inst))


def _minimum_draft4(v: Validator, least: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                    scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not _is_number(inst):
        return
    if schema.get("exclusiveMinimum", False):
        failed, cmp = inst <= least, "less than or equal to"
    else:
        failed, cmp = inst < least, "less than"
    if failed:
        sink.append(SchemaIssue(f"{inst!r} is {cmp} the minimum of {least!r}", path, inst))


def _maximum_draft4(v: Validator, most: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                    scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not _is_number(inst):
        return
    if schema.get("exclusiveMaximum", False):
        failed, cmp = inst >= most, "greater than or equal to"
    else:
        failed, cmp = inst > most, "greater than"
    if failed:
        sink.append(SchemaIssue(f"{inst!r} is {cmp} the maximum of {most!r}", path, inst))


def _multiple_of(v: Validator, by: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                 scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not _is_number(inst):
        return
    if isinstance(by, float):
        quotient = inst / by
        try:
            failed: Any = int(quotient) != quotient
        except OverflowError:
            failed = (Fraction(inst) / Fraction(by)).denominator != 1
    else:
        failed = inst % by
    if failed:
        sink.append(SchemaIssue(f"{inst!r} is not a multiple of {by}", path, inst))


def _dependent_required(v: Validator, table: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                        scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, dict):
        return
    for prop, needs in table.items():
        if prop in inst:
            sink.extend(
                SchemaIssue(f"{each!r} is a dependency of {prop!r}", path, inst)
                for each in needs
                if each not in inst
            )


def _dependent_schemas(v: Validator, table: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                       scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, dict):
        return
    for prop, subschema in table.items():
        if prop in inst:
            v.errors(subschema, inst, path, base, scope, sink)


def _dependencies(v: Validator, table: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                  scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, dict):
        return
    for prop, dependency in table.items():
        if prop not in inst:
            continue
        if isinstance(dependency, list):
            sink.extend(
                SchemaIssue(f"{each!r} is a dependency of {prop!r}", path, inst)
                for each in dependency
                if each not in inst
            )
        else:
            v.errors(dependency, inst, path, base, scope, sink)


def _all_of(v: Validator, subschemas: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
            scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    for subschema in subschemas:
        v.errors(subschema, inst, path, base, scope, sink)


def _any_of(v: Validator, subschemas: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
            scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    context: Errors = []
    for subschema in subschemas:
        found = v.errors(subschema, inst, path, base, scope, [])
        if not found:
            return
        context.extend(found)
    sink.append(SchemaIssue(f"{inst!r} is not valid under any of the given schemas", path, inst, context))


def _one_of(v: Validator, subschemas: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
            scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    context: Errors = []
    first = -1
    for index, subschema in enumerate(subschemas):
        found = v.errors(subschema, inst, path, base, scope, [])
        if not found:
            first = index
            break
        context.extend(found)
    if first < 0:
        sink.append(SchemaIssue(f"{inst!r} is not valid under any of the given schemas", path, inst, context))
        return
    more = [each for each in subschemas[first + 1 :] if v.valid(each, inst, base, scope)]
    if more:
        more.append(subschemas[first])
        shown = ", ".join(repr(each) for each in more)
        sink.append(SchemaIssue(f"{inst!r} is valid under each of {shown}", path, inst))


def _discriminated(v: Validator, inst: Any, schema: dict[str, Any], path: At, base: str,
                   scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    """OpenAPI 3.0's `discriminator` beside allOf/anyOf/oneOf: the variant the tag names, only it."""
    name = schema["discriminator"]["propertyName"]
    if not v.is_type(inst, "object"):
        sink.append(SchemaIssue(f"{inst!r} is not of type 'object'", path, inst))
        return
    tag = inst.get(name)
    if not tag:
        sink.append(SchemaIssue(f"{inst!r} does not contain discriminating property {name!r}", path, inst))
        return
    ref = schema["discriminator"].get("mapping", {}).get(tag) or f"#/components/schemas/{tag}"
    if not isinstance(ref, str):
        sink.append(
            SchemaIssue(f"{inst!r} mapped value for {tag!r} should be a string, was {ref!r}", path, inst)
        )
        return
    try:
        v.follow(ref, base, scope)
    except Unresolvable:
        sink.append(SchemaIssue(f"{inst!r} reference {ref!r} could not be resolved", path, inst))
        return
    v.errors({"$ref": ref}, inst, path, base, scope, sink)


def _oas30_applicator(plain: Keyword) -> Keyword:
    def check(v: Validator, subschemas: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
              scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
        if "discriminator" in schema:
            _discriminated(v, inst, schema, path, base, scope, sink)
        else:
            plain(v, subschemas, inst, schema, path, base, scope, sink)

    return check


def _not(v: Validator, negated: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
         scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if v.valid(negated, inst, base, scope):
        sink.append(SchemaIssue(f"{inst!r} should not be valid under {negated!r}", path, inst))


def _if(v: Validator, condition: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
        scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if v.valid(condition, inst, base, scope):
        if "then" in schema:
            v.errors(schema["then"], inst, path, base, scope, sink)
    elif "else" in schema:
        v.errors(schema["else"], inst, path, base, scope, sink)


def _evaluated_keys(v: Validator, inst: dict[str, Any], schema: Any, base: str,
                    scope: tuple[str, ...]) -> set[str]:  # fmt: skip
    """The properties of `inst` that `schema` evaluates, as jsonschema counts them for
    `unevaluatedProperties`."""
    if not isinstance(schema, dict):
        return set()
    keys: set[str] = set()
    for ref_key in ("$ref", "$dynamicRef"):
        ref = schema.get(ref_key)
        if isinstance(ref, str):
            target, uri, inner = v.follow(ref, base, scope)
            keys |= _evaluated_keys(v, inst, target, uri, inner)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        keys |= properties.keys() & inst.keys()
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        subschema = schema.get(keyword)
        if subschema is not None:
            keys.update(k for k, value in inst.items() if v.valid(subschema, value, base, scope))
    if "patternProperties" in schema:
        for key in inst:
            if any(_regex(p).search(key) for p in schema["patternProperties"]):
                keys.add(key)
    if "dependentSchemas" in schema:
        for prop, subschema in schema["dependentSchemas"].items():
            if prop in inst:
                keys |= _evaluated_keys(v, inst, subschema, base, scope)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for subschema in schema.get(keyword, []):
            if v.valid(subschema, inst, base, scope):
                keys |= _evaluated_keys(v, inst, subschema, base, scope)
    if "if" in schema:
        if v.valid(schema["if"], inst, base, scope):
            keys |= _evaluated_keys(v, inst, schema["if"], base, scope)
            if "then" in schema:
                keys |= _evaluated_keys(v, inst, schema["then"], base, scope)
        elif "else" in schema:
            keys |= _evaluated_keys(v, inst, schema["else"], base, scope)
    return keys


def _unevaluated_properties(v: Validator, rest: Any, inst: Any, schema: dict[str, Any], path: At,
                            base: str, scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, dict):
        return
    evaluated = _evaluated_keys(v, inst, schema, base, scope)
    left: list[str] = []
    for key in inst:
        if key not in evaluated:
            left.extend(key for _ in v.errors(rest, inst[key], (*path, key), base, scope, []))
    if not left:
        return
    if rest is False:
        listed, verb = _extras(sorted(left, key=str))
        message = f"Unevaluated properties are not allowed ({listed} {verb} unexpected)"
        sink.append(SchemaIssue(message, path, inst))
        return
    listed, verb = _extras(left)
    message = (
        "Unevaluated properties are not valid under the given schema "
        f"({listed} {verb} unevaluated and invalid)"
    )
    sink.append(SchemaIssue(message, path, inst))


def _evaluated_indexes(v: Validator, inst: list[Any], schema: Any, base: str,
                       scope: tuple[str, ...]) -> set[int]:  # fmt: skip
    if not isinstance(schema, dict):
        return set()
    if "items" in schema:
        return set(range(len(inst)))
    indexes: set[int] = set()
    for ref_key in ("$ref", "$dynamicRef"):
        ref = schema.get(ref_key)
        if isinstance(ref, str):
            target, uri, inner = v.follow(ref, base, scope)
            indexes |= _evaluated_indexes(v, inst, target, uri, inner)
    if "prefixItems" in schema:
        indexes |= set(range(len(schema["prefixItems"])))
    if "if" in schema:
        if v.valid(schema["if"], inst, base, scope):
            indexes |= _evaluated_indexes(v, inst, schema["if"], base, scope)
            if "then" in schema:
                indexes |= _evaluated_indexes(v, inst, schema["then"], base, scope)
        elif "else" in schema:
            indexes |= _evaluated_indexes(v, inst, schema["else"], base, scope)
    for keyword in ("contains", "unevaluatedItems"):
        if keyword in schema:
            indexes.update(k for k, item in enumerate(inst) if v.valid(schema[keyword], item, base, scope))
    for keyword in ("allOf", "oneOf", "anyOf"):
        for subschema in schema.get(keyword, []):
            if v.valid(subschema, inst, base, scope):
                indexes |= _evaluated_indexes(v, inst, subschema, base, scope)
    return indexes


def _unevaluated_items(v: Validator, rest: Any, inst: Any, schema: dict[str, Any], path: At, base: str,
                       scope: tuple[str, ...], sink: Errors) -> None:  # fmt: skip
    if not isinstance(inst, list):
        return
    evaluated = _evaluated_indexes(v, inst, schema, base, scope)
    left = [item for index, item in enumerate(inst) if index not in evaluated]
    if left:
        listed, verb = _extras(left)
        sink.append(
            SchemaIssue(f"Unevaluated items are not allowed ({listed} {verb} unexpected)", path, inst)
        )


def _nothing(*_: Any) -> None:
    """A keyword that is only an annotation (OpenAPI's description, example, xml, ...)."""


DRAFT4: dict[str, Keyword] = {
    "$ref": _ref, "additionalItems": _additional_items, "additionalProperties": _additional_properties,
    "allOf": _all_of, "anyOf": _any_of, "dependencies": _dependencies, "enum": _enum, "format": _format,
    "items": _items_draft4, "maxItems": _max_items, "maxLength": _max_length,
    "maxProperties": _max_properties, "maximum": _maximum_draft4, "minItems": _min_items,
    "minLength": _min_length,
    "minProperties": _min_properties, "minimum": _minimum_draft4, "multipleOf": _multiple_of, "not": _not,
    "oneOf": _one_of, "pattern": _pattern, "patternProperties": _pattern_properties,
    "properties": _properties, "required": _required, "type": _type, "uniqueItems": _unique_items,
}  # fmt: skip
DRAFT2020: dict[str, Keyword] = {
    "$dynamicRef": _ref, "$ref": _ref, "additionalProperties": _additional_properties,
    "allOf": _all_of, "anyOf": _any_of, "const": _const, "contains": _contains,
    "dependentRequired": _dependent_required, "dependentSchemas": _dependent_schemas, "enum": _enum,
    "exclusiveMaximum": _exclusive_maximum, "exclusiveMinimum": _exclusive_minimum, "format": _format,
    "if": _if, "items": _items_2020, "maxItems": _max_items, "maxLength": _max_length,
    "maxProperties": _max_properties, "maximum": _maximum, "minItems": _min_items, "minLength": _min_length,
    "minProperties": _min_properties, "minimum": _minimum, "multipleOf": _multiple_of, "not": _not,
    "oneOf": _one_of, "pattern": _pattern, "patternProperties": _pattern_properties,
    "prefixItems": _prefix_items, "properties": _properties, "propertyNames": _property_names,
    "required": _required, "type": _type, "unevaluatedItems": _unevaluated_items,
    "unevaluatedProperties": _unevaluated_properties, "uniqueItems": _unique_items,
}  # fmt: skip
OAS30: dict[str, Keyword] = {
    "multipleOf": _multiple_of, "maximum": _maximum_draft4, "minimum": _minimum_draft4,
    "maxLength": _max_length, "minLength": _min_length, "pattern": _pattern, "maxItems": _max_items,
    "minItems": _min_items, "uniqueItems": _unique_items, "maxProperties": _max_properties,
    "minProperties": _min_properties, "enum": _enum, "type": _type_oas30,
    "allOf": _oas30_applicator(_all_of), "oneOf": _oas30_applicator(_one_of),
    "anyOf": _oas30_applicator(_any_of), "not": _not, "items": _items_oas30, "properties": _properties,
    "required": _required, "additionalProperties": _additional_properties_oas30, "format": _format,
    "$ref": _ref,
}  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# formats: the ones openapi-schema-validator's checkers assert (the others are annotations)


def _text_only(check: Callable[[str], Any], *failures: type[BaseException]) -> Callable[[Any], bool]:
    def conforms(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        try:
            return bool(check(value))
        except failures:
            return False

    return conforms


def _ipv6(text: str) -> bool:
    return not getattr(ipaddress.IPv6Address(text), "scope_id", "")


def _uuid(text: str) -> bool:
    UUID(text)
    return all(text[position] == "-" for position in (8, 13, 18, 23))


def _regex_ok(text: str) -> bool:
    try:
        re.compile(text)
    except re.error:
        return False
    return True


def _byte(value: Any) -> bool:
    if not isinstance(value, (str, bytes)):
        return True
    try:
        b64decode(value.encode("ascii") if isinstance(value, str) else value, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    return True


def _int_bits(bits: int) -> Callable[[Any], bool]:
    def conforms(value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return True
        return bool(~(1 << (bits - 1)) < value < 1 << (bits - 1))

    return conforms


def _floating(value: Any) -> bool:
    if isinstance(value, int) or not isinstance(value, (int, float, complex, Fraction)):
        return True
    return isinstance(value, float)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_OWN_FORMATS: dict[str, Callable[[Any], bool]] = {
    "date": _text_only(lambda t: _DATE.fullmatch(t) and date.fromisoformat(t), ValueError),
    "double": _floating,
    "email": _text_only(lambda t: "@" in t),
    "float": _floating,
    "idn-email": _text_only(lambda t: "@" in t),
    "int32": _int_bits(32),
    "int64": _int_bits(64),
    "ipv4": _text_only(ipaddress.IPv4Address, ipaddress.AddressValueError),
    "ipv6": _text_only(_ipv6, ipaddress.AddressValueError),
    "password": lambda value: True,
    "regex": _text_only(_regex_ok),
    "time": _text_only(lambda t: datetime.strptime(t, "%H:%M:%S"), ValueError),
    "uuid": _text_only(_uuid, ValueError),
}
_OAS30_FORMATS = {**_OWN_FORMATS, "byte": _byte, "binary": lambda value: True}
# formats jsonschema checks only when a package that checks them is installed
_BY_PACKAGE = {
    "date-time": ("rfc3339_validator",),
    "idn-hostname": ("idna",),
    "hostname": ("fqdn",),
    "uri": ("rfc3987", "rfc3986_validator"),
    "uri-reference": ("rfc3987", "rfc3986_validator"),
    "iri": ("rfc3987",),
    "iri-reference": ("rfc3987",),
    "json-pointer": ("jsonpointer",),
    "relative-json-pointer": ("jsonpointer",),
    "uri-template": ("uri_template",),
    "duration": ("isoduration",),
    "color": ("webcolors",),
}


@dataclass
class Formats:
    own: dict[str, Callable[[Any], bool]]
    _borrowed: dict[str, bool] = field(default_factory=dict)

    def conforms(self, value: Any, name: Any) -> bool:
        check = self.own.get(name)
        if check is not None:
            return check(value)
        if name not in _BY_PACKAGE:
            return True
        usable = self._borrowed.get(name)
        if usable is None:
            usable = self._borrowed[name] = any(importlib.util.find_spec(p) for p in _BY_PACKAGE[name])
        if not usable:
            return True
        # the checks that rest on another package: jsonschema's own, through that package
        from jsonschema import FormatChecker
        from jsonschema.exceptions import FormatError

        try:
            FormatChecker().check(value, name)
        except FormatError:
            return False
        return True


@lru_cache(maxsize=4)
def _format_checker(version: str) -> Formats:
    return Formats(_OAS30_FORMATS if version == "3.0" else _OWN_FORMATS)


# ---------------------------------------------------------------------------------------------------------
# the document, read the way openapi-spec-validator's walk reads it (through jsonschema-path): every step
# follows `$ref`s (their siblings unseen); `in` is false on anything but a mapping or a list (where it asks
# for an index); a list's items are (index, item); iterating a mapping gives its values


class _Doc:
    def __init__(self, data: Any) -> None:
        self.data = data
        self.registry = Registry()
        self.registry.resources[""] = data

    def deref(self, node: Any) -> Any:
        hops = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node, _ = self.registry.lookup("", node["$ref"], ())
            hops += 1
            if hops > 64:  # a cycle of $refs: the library recurses until Python stops it
                raise RecursionError("maximum recursion depth exceeded while calling a Python object")
        return node

    def has(self, node: Any, key: Any) -> bool:
        node = self.deref(node)
        if isinstance(node, dict):
            return key in node
        if isinstance(node, list):
            return isinstance(key, int) and 0 <= key < len(node)
        return False

    def child(self, node: Any, key: Any) -> Any:
        node = self.deref(node)
        if isinstance(node, dict) or (isinstance(node, list) and isinstance(key, int)):
            return self.deref(node[key])
        raise KeyError(key)

    def items(self, node: Any) -> Iterator[tuple[Any, Any]]:
        """(key, value) pairs of a mapping, (index, item) of a list; values are resolved where they are
        used (a `$ref` to nowhere stops the walk where the library stops, not before)."""
        node = self.deref(node)
        if isinstance(node, dict):
            pairs: Any = node.items()
        elif isinstance(node, list):
            pairs = enumerate(node)
        else:
            raise KeyError(type(node).__name__)
        yield from pairs

    def item(self, node: Any, key: Any) -> Any:
        """`node[key]` as jsonschema-path's `path[key]` gives it: a scalar as it is (no `$ref` followed), a
        mapping or list as a path to it, equal to no other."""
        node = self.deref(node)
        if not isinstance(node, dict):
            raise KeyError(key)
        value = node[key]
        return object() if isinstance(value, (dict, list)) else value

    def text(self, node: Any, key: Any) -> str:
        value = self.child(node, key)
        if not isinstance(value, str):
            raise TypeError(f"Expected a string value, got {type(value)}")
        return value


@dataclass
class _Walk:
    """openapi-spec-validator's keyword walk: tags, paths (operations, parameters), components.schemas."""

    doc: _Doc
    version: str
    out: list[SchemaIssue] = field(default_factory=list)
    meta_checked: set[int] = field(default_factory=set)
    visited: set[int] = field(default_factory=set)
    operation_ids: list[Any] = field(default_factory=list)
    meta: Validator | None = None
    values: Validator | None = None

    def emit(self, error: SchemaIssue, parts: tuple[Any, ...], checker: str) -> None:
        if error._sdkgen_at is None:
            error._sdkgen_at = (parts, checker)
        self.out.append(error)

    def run(self) -> list[SchemaIssue]:
        doc = self.doc
        root = doc.deref(doc.data)
        if doc.has(root, "tags"):
            tags, parts = doc.child(root, "tags"), ("tags",)
            seen: set[str] = set()
            for _, tag in doc.items(tags):
                name = doc.text(tag, "name")
                if name in seen:
                    self.emit(SchemaIssue(f"Duplicate tag name '{name}'"), parts, "tags")
                seen.add(name)
        if doc.has(root, "paths"):
            for url, item in doc.items(doc.child(root, "paths")):
                if not isinstance(url, str):
                    raise AssertionError("a path that is not a string")
                self.path(url, item, ("paths", url))
        if doc.has(root, "components"):
            components = doc.child(root, "components")
            if doc.has(components, "schemas"):
                for name, schema in doc.items(doc.child(components, "schemas")):
                    self.schema(schema, ("components", "schemas", name))
        return self.out

    def path(self, url: str, item: Any, parts: tuple[Any, ...]) -> None:
        doc = self.doc
        shared = None
        if doc.has(item, "parameters"):
            shared = (doc.child(item, "parameters"), (*parts, "parameters"))
            self.parameters(*shared)
        for name, operation in doc.items(item):
            if not isinstance(name, str):
                raise AssertionError("a path item field that is not a string")
            if name in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
                self.operation(url, name, operation, (*parts, name), shared)

    def parameters(self, params: Any, parts: tuple[Any, ...]) -> None:
        doc = self.doc
        seen: set[tuple[Any, Any]] = set()
        for index, param in doc.items(params):
            if doc.has(param, "schema"):
                self.schema(doc.child(param, "schema"), (*parts, index, "schema"))
            name, where = doc.item(param, "name"), doc.item(param, "in")
            key = (name, where)
            if key in seen:
                error = SchemaIssue(f"Duplicate parameter '{name}'", kind="ParameterDuplicateError")
                self.emit(error, parts, "parameters")
            seen.add(key)

    def operation(self, url: str, name: str, operation: Any, parts: tuple[Any, ...], shared: Any) -> None:
        doc = self.doc
        if doc.has(operation, "operationId"):
            opid = doc.child(operation, "operationId")
            if opid is not None and opid in self.operation_ids:
                message = f"Operation ID '{opid}' for '{name}' in '{url}' is not unique"
                self.emit(SchemaIssue(message, kind="DuplicateOperationIDError"), parts, "operation")
            self.operation_ids.append(opid)
        if doc.has(operation, "responses"):
            for code, response in doc.items(doc.child(operation, "responses")):
                if not isinstance(code, str):
                    raise AssertionError("a response code that is not a string")
                if doc.has(response, "content"):
                    where = (*parts, "responses", code, "content")
                    for mimetype, media in doc.items(doc.child(response, "content")):
                        if not isinstance(mimetype, str):
                            raise AssertionError("a media type that is not a string")
                        if doc.has(media, "schema"):
                            self.schema(doc.child(media, "schema"), (*where, mimetype, "schema"))
        names: list[str] = []
        if doc.has(operation, "parameters"):
            params = doc.child(operation, "parameters")
            self.parameters(params, (*parts, "parameters"))
            names += self.path_names(params)
        if shared is not None:
            names += self.path_names(shared[0])
        declared = set(names)
        in_url = {field for _, field, _, _ in string.Formatter().parse(url) if field}
        for missing in sorted(in_url):
            if missing not in declared:
                message = f"Path parameter '{missing}' for '{name}' operation in '{url}' was not resolved"
                self.emit(SchemaIssue(message, kind="UnresolvableParameterError"), parts, "operation")
        for extra in sorted(declared):
            if extra not in in_url:
                message = f"Path parameter '{extra}' for '{name}' operation in '{url}' was not resolved"
                self.emit(SchemaIssue(message, kind="UnresolvableParameterError"), parts, "operation")

    def path_names(self, params: Any) -> list[str]:
        doc = self.doc
        return [doc.text(param, "name") for _, param in doc.items(params) if doc.text(param, "in") == "path"]

    def schema(
        self, schema: Any, parts: tuple[Any, ...], *, require: bool = True, checked: bool = False
    ) -> None:
        doc = self.doc
        schema = doc.deref(schema)
        if not isinstance(schema, (dict, bool)):
            self.emit(SchemaIssue(f"{schema!r} is not of type 'object', 'boolean'"), parts, "schema")
            return
        if not checked and id(schema) not in self.meta_checked:
            self.meta_checked.add(id(schema))
            error = self.meta_check(schema)
            if error is not None:
                self.emit(error, parts, "schema")
                return
        if id(schema) in self.visited:
            return
        self.visited.add(id(schema))
        nested: list[Any] = []
        if doc.has(schema, "allOf"):
            for index, sub in doc.items(doc.child(schema, "allOf")):
                self.schema(sub, (*parts, "allOf", index), require=False, checked=True)
                nested += self.collect_properties(sub)
        for keyword in ("anyOf", "oneOf"):
            if doc.has(schema, keyword):
                for index, sub in doc.items(doc.child(schema, keyword)):
                    self.schema(sub, (*parts, keyword, index), require=False, checked=True)
        for keyword in ("not", "items"):
            if doc.has(schema, keyword):
                self.schema(doc.child(schema, keyword), (*parts, keyword), require=False, checked=True)
        if doc.has(schema, "properties"):
            for name, sub in doc.items(doc.child(schema, "properties")):
                self.schema(sub, (*parts, "properties", name), require=False, checked=True)
        required = (doc.has(schema, "required") and doc.child(schema, "required")) or []
        properties = (doc.has(schema, "properties") and self.keys(doc.child(schema, "properties"))) or []
        missing = set(required) - set(properties) - set(nested) if doc.has(schema, "allOf") else set()
        extra = sorted(missing, key=str)  # in one order (the library's is a set's, from run to run)
        if extra and require:
            message = f"Required list has not defined properties: {extra}"
            self.emit(SchemaIssue(message, kind="ExtraParametersError"), parts, "schema")
        if doc.has(schema, "default"):
            default = doc.child(schema, "default")
            nullable = doc.child(schema, "nullable") if doc.has(schema, "nullable") else False
            if default is not None or nullable is not True:
                found: Errors = []
                try:
                    self.value_check(schema, default, found)
                finally:  # what was found before a failure is reported too
                    for error in found:
                        self.emit(error, parts, "default")

    def keys(self, node: Any) -> list[Any]:
        if isinstance(node, dict):
            return list(node)
        if isinstance(node, list):
            return list(range(len(node)))
        raise KeyError(type(node).__name__)

    def collect_properties(self, schema: Any) -> set[Any]:
        doc = self.doc
        props: set[Any] = set()
        if doc.has(schema, "properties"):
            props.update(self.keys(doc.child(schema, "properties")))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if doc.has(schema, keyword):
                for _, sub in doc.items(doc.child(schema, keyword)):
                    props |= self.collect_properties(sub)
        for keyword in ("items", "not"):
            if doc.has(schema, keyword):
                props |= self.collect_properties(doc.child(schema, keyword))
        return props

    def meta_check(self, schema: Any) -> SchemaIssue | None:
        """The first problem the meta-schema finds with `schema` (as jsonschema's check_schema raises)."""
        registry = _meta_registry()
        if self.version == "3.0":
            if self.meta is None:
                self.meta = Validator(registry, DRAFT4, TYPES_DRAFT4, _format_checker("3.0"), True, "id")
            meta_root, base = registry.resources[DRAFT4_META], DRAFT4_META
        else:
            dialect = (
                self.doc.data.get("jsonSchemaDialect", OAS31_DIALECT)
                if isinstance(self.doc.data, dict)
                else OAS31_DIALECT
            )
            if isinstance(schema, dict) and "$schema" in schema:
                dialect = schema["$schema"]
            if not isinstance(dialect, str) or dialect.rstrip("#") not in (OAS31_DIALECT,):
                return self.other_dialect(schema, dialect)
            if self.meta is None:
                self.meta = Validator(registry, DRAFT2020, TYPES_2020, _format_checker("3.1"))
            meta_root, base = registry.resources[OAS31_DIALECT], OAS31_DIALECT
            if self.meta.formats is not None and _dialect_valid(schema, self.meta.formats):
                return None
        found: Errors = []
        try:
            self.meta.errors(meta_root, schema, (), base, (), found)
        except Exception:  # the library stops at the first problem: one found before the failure is it
            if not found:
                raise
        return found[0] if found else None

    def other_dialect(self, schema: Any, dialect: Any) -> SchemaIssue | None:
        """A schema in a dialect other than OpenAPI 3.1's: ask jsonschema itself (rare)."""
        from jsonschema.exceptions import SchemaError
        from jsonschema.validators import validator_for
        from openapi_schema_validator import oas31_format_checker

        if not isinstance(dialect, str):
            return SchemaIssue(f"Unknown JSON Schema dialect: {dialect!r}")
        cls = validator_for({"$schema": dialect}, default=None)
        if cls is None:
            return SchemaIssue(f"Unknown JSON Schema dialect: {dialect!r}")
        try:
            cls.check_schema(schema, format_checker=oas31_format_checker)
        except SchemaError as error:
            issue = SchemaIssue(
                error.message, tuple(error.absolute_path), error.instance, validator=error.validator
            )
            return issue
        return None

    def value_check(self, schema: Any, value: Any, found: Errors) -> None:
        if self.values is None:
            if self.version == "3.0":
                self.values = Validator(
                    self.doc.registry, OAS30, TYPES_OAS30, _format_checker("3.0"), id_key="\0", oas30=True
                )
            else:
                keywords = {**DRAFT2020, "description": _nothing}
                self.values = Validator(
                    self.doc.registry, keywords, TYPES_2020, _format_checker("3.1"), id_key="\0"
                )
        self.values.errors(schema, value, (), "", (), found)


# ---------------------------------------------------------------------------------------------------------
# a fast "certainly valid" for the OpenAPI 3.1 dialect (JSON Schema 2020-12 and the OAS base vocabulary)
#
# The meta-check of a Schema Object goes through eight meta-schemas (allOf, $ref, $dynamicRef) for every
# nested schema: most of the walk's time. Nearly every schema of a real spec is valid, which one pass over
# its keywords can tell. Each rule below accepts only what the meta-schemas certainly accept (stricter is
# allowed: it only costs time); anything else (`False`) sends the schema to the interpreter, which finds
# the first problem exactly as before. tests/unit/test_speccheck.py compares the result with the library.

_ANCHOR = re.compile(r"[A-Za-z_][-A-Za-z0-9._]*")
_SIMPLE_TYPES = frozenset(("array", "boolean", "integer", "null", "number", "object", "string"))


def _number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _count(value: Any) -> bool:  # nonNegativeInteger (ints only here: 2.0 goes to the interpreter)
    return type(value) is int and value >= 0


def _strings(value: Any) -> bool:  # stringArray: unique strings
    return type(value) is list and all(type(v) is str for v in value) and len(set(value)) == len(value)


def _schemas(value: Any, formats: Formats) -> bool:  # an object of schemas
    return type(value) is dict and all(_dialect_valid(v, formats) for v in value.values())


def _schema_list(value: Any, formats: Formats) -> bool:  # schemaArray: one or more schemas
    return type(value) is list and bool(value) and all(_dialect_valid(v, formats) for v in value)


def _type_names(value: Any) -> bool:
    if type(value) is str:
        return value in _SIMPLE_TYPES
    return (
        type(value) is list
        and bool(value)
        and all(type(v) is str and v in _SIMPLE_TYPES for v in value)
        and len(set(value)) == len(value)
    )


def _discriminator(value: Any) -> bool:
    if type(value) is not dict or type(value.get("propertyName")) is not str:
        return False
    mapping = value.get("mapping", {})
    if type(mapping) is not dict or not all(type(v) is str for v in mapping.values()):
        return False
    return all(k in ("propertyName", "mapping") or (type(k) is str and k.startswith("x-")) for k in value)


_Rule = Callable[[Any, "Formats"], bool]
_ANY: _Rule = lambda value, formats: True  # noqa: E731
_STRING: _Rule = lambda value, formats: type(value) is str  # noqa: E731
_BOOLEAN: _Rule = lambda value, formats: type(value) is bool  # noqa: E731
_NUMBER: _Rule = lambda value, formats: _number(value)  # noqa: E731
_COUNT: _Rule = lambda value, formats: _count(value)  # noqa: E731
_SCHEMA: _Rule = lambda value, formats: _dialect_valid(value, formats)  # noqa: E731

_DIALECT_RULES: dict[str, _Rule] = {
    # core ($id, $schema, $vocabulary, $recursive*, dependencies, externalDocs, xml: the interpreter's)
    "$ref": lambda v, f: type(v) is str and f.conforms(v, "uri-reference"),
    "$dynamicRef": lambda v, f: type(v) is str and f.conforms(v, "uri-reference"),
    "$anchor": lambda v, f: type(v) is str and _ANCHOR.fullmatch(v) is not None,
    "$dynamicAnchor": lambda v, f: type(v) is str and _ANCHOR.fullmatch(v) is not None,
    "$comment": _STRING,
    "$defs": _schemas,
    "definitions": _schemas,
    # applicator and unevaluated
    "prefixItems": _schema_list,
    "allOf": _schema_list,
    "anyOf": _schema_list,
    "oneOf": _schema_list,
    "items": _SCHEMA,
    "contains": _SCHEMA,
    "additionalProperties": _SCHEMA,
    "propertyNames": _SCHEMA,
    "if": _SCHEMA,
    "then": _SCHEMA,
    "else": _SCHEMA,
    "not": _SCHEMA,
    "unevaluatedItems": _SCHEMA,
    "unevaluatedProperties": _SCHEMA,
    "properties": _schemas,
    "dependentSchemas": _schemas,
    # validation
    "type": lambda v, f: _type_names(v),
    "const": _ANY,
    "enum": lambda v, f: type(v) is list,
    "multipleOf": lambda v, f: _number(v) and v > 0,
    "maximum": _NUMBER,
    "exclusiveMaximum": _NUMBER,
    "minimum": _NUMBER,
    "exclusiveMinimum": _NUMBER,
    "maxLength": _COUNT,
    "minLength": _COUNT,
    "pattern": lambda v, f: type(v) is str and f.conforms(v, "regex"),
    "maxItems": _COUNT,
    "minItems": _COUNT,
    "uniqueItems": _BOOLEAN,
    "maxContains": _COUNT,
    "minContains": _COUNT,
    "maxProperties": _COUNT,
    "minProperties": _COUNT,
    "required": lambda v, f: _strings(v),
    "dependentRequired": lambda v, f: type(v) is dict and all(_strings(x) for x in v.values()),
    # meta-data, format, content
    "title": _STRING,
    "description": _STRING,
    "default": _ANY,
    "deprecated": _BOOLEAN,
    "readOnly": _BOOLEAN,
    "writeOnly": _BOOLEAN,
    "examples": lambda v, f: type(v) is list,
    "format": _STRING,
    "contentEncoding": _STRING,
    "contentMediaType": _STRING,
    "contentSchema": _SCHEMA,
    # the OpenAPI base vocabulary
    "example": _ANY,
    "discriminator": lambda v, f: _discriminator(v),
}
# keywords the meta-schemas say something of, left to the interpreter when present
_DIALECT_ELSEWHERE = frozenset(
    ("$id", "$schema", "$vocabulary", "$recursiveAnchor", "$recursiveRef", "dependencies")
    + ("patternProperties", "externalDocs", "xml")
)


def _dialect_valid(schema: Any, formats: Formats) -> bool:
    """True only if the OpenAPI 3.1 dialect's meta-schema certainly accepts `schema`."""
    if type(schema) is bool:
        return True
    if type(schema) is not dict:
        return False
    for key, value in schema.items():
        rule = _DIALECT_RULES.get(key)
        if rule is None:
            if key in _DIALECT_ELSEWHERE or type(key) is not str:
                return False
            continue  # a keyword no meta-schema names: allowed (OpenAPI 3.1 schemas may carry any)
        if not rule(value, formats):
            return False
    return True


def spec_errors(data: Any, version: str) -> Iterator[SchemaIssue]:
    """What openapi-spec-validator's `iter_errors` yields for this document (3.0 or 3.1), in its order."""
    registry = _meta_registry()
    if version == "3.0":
        document = Validator(registry, DRAFT4, TYPES_DRAFT4, None, True, "id")
        schema = _oas_schema("3.0")
    else:
        document = Validator(registry, DRAFT2020, TYPES_2020, None)
        schema = _oas_schema("3.1")
    base = urldefrag(schema.get("id") or schema.get("$id") or "")[0]
    yield from document.errors(schema, data, (), base, ())
    walk = _Walk(_Doc(data), version)
    try:
        walk.run()
    except Exception:  # what was found before the walk fell over is reported, as the library does
        yield from walk.out
        raise
    yield from walk.out
