"""Build the IR (`Api`) from a loaded OpenAPI 3.0 / 3.1 document.

Knows OpenAPI; knows nothing of target languages. Lenient where real specs are sloppy: anything it
cannot model exactly becomes `Primitive("any")` with a warning, never a crash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from ..diagnostics import Diagnostic, SpecError, pointer_join
from ..load import Document
from ..naming import name, split_words
from .arrange import NamesError, OperationKeys, arrange, place
from .model import (
    Api,
    Array,
    Body,
    Const,
    Constraints,
    Discriminator,
    Enum,
    Example,
    Field,
    File,
    Map,
    MediaType,
    Name,
    NamedType,
    Nullable,
    Object,
    Operation,
    Parameter,
    Primitive,
    Ref,
    Resource,
    Response,
    SecurityScheme,
    Server,
    ServerVariable,
    Type,
    Union,
    Value,
)
from .paginate import Override, PaginationError, detect, overrides

__all__ = ["build"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_PREFIX = "#/components/schemas/"
_PRIMITIVES = {"string", "integer", "number", "boolean"}
_BODY_PREFERENCE = (
    ("application/json", "json"),
    ("multipart/form-data", "multipart"),
    ("application/x-www-form-urlencoded", "form"),
    ("application/octet-stream", "binary"),
    ("text/plain", "text"),
)
_TEMPLATE_PARAM = re.compile(r"{([^{}]+)}")
_DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}


def build(
    doc: Document, names: Mapping[str, str] | None = None, pagination: Mapping[str, Any] | None = None
) -> tuple[Api, list[Diagnostic]]:
    """The IR of `doc`, plus warnings about what could not be modelled exactly.

    `names` maps an operationId to "resource.method" (or "resource.sub.method") where the rules that
    name resources and methods from tags, paths and operationIds cannot know; `pagination` is a job's
    `pagination` table (see generator/ir/paginate.py).
    """
    builder = _Builder(doc, names or {}, pagination or {})
    api = builder.build()
    return api, builder.diagnostics


def _text_value(value: Any) -> str:
    """A server variable's value as the URL spells it (`8080`, `true`), whatever YAML made of it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _is_json_media(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


# what an `anyOf`/`oneOf` member may say and still be no shape of its own: `{type: object, properties:
# {a, b}, oneOf: [{required: [a]}, {required: [b]}]}` is one object whose members say which fields it needs
_CONSTRAINT_KEYS = frozenset(
    ("required", "not", "minProperties", "maxProperties", "dependentRequired", "description", "title")
)


def _only_constraints(members: list[Any]) -> bool:
    return all(isinstance(m, Mapping) and m and _CONSTRAINT_KEYS.issuperset(m) for m in members)


class _Builder:
    def __init__(self, doc: Document, names: Mapping[str, str], pagination: Mapping[str, Any]) -> None:
        self.doc = doc
        self.names = names
        self.pagination = pagination
        self.data: Mapping[str, Any] = doc.data
        self.diagnostics: list[Diagnostic] = []
        self.types: dict[str, NamedType] = {}
        self.schemas: Mapping[str, Any] = self._mapping(self.data.get("components"), "schemas")
        self._resolving: set[str] = set()
        self._inline: dict[str, Type] = {}  # inline objects by pointer
        self._merging: list[str] = []  # the allOf schemas being merged, outermost first

    # -- helpers ----------------------------------------------------------------------------------

    @staticmethod
    def _mapping(node: Any, key: str) -> Mapping[str, Any]:
        if isinstance(node, Mapping):
            value = node.get(key)
            if isinstance(value, Mapping):
                return value
        return {}

    def warn(self, pointer: str, message: str) -> None:
        self.diagnostics.append(
            Diagnostic("warning", message, pointer=pointer, location=self.doc.locate(pointer))
        )

    def fail(self, pointer: str, message: str) -> SpecError:
        return SpecError([Diagnostic("error", message, pointer=pointer, location=self.doc.locate(pointer))])

    def lookup(self, ref: str, pointer: str) -> tuple[Any, str]:
        """The node a local `$ref` points at, and its pointer."""
        if not ref.startswith("#"):
            raise self.fail(pointer, f"$ref '{ref}' points outside this document, which is not supported")
        node: Any = self.data
        for token in ref[1:].split("/")[1:]:
            key = _unescape(token)
            if isinstance(node, Mapping) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise self.fail(pointer, f"$ref '{ref}' points at nothing")
        return node, ref

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow `$ref` chains of non-schema objects (parameters, bodies, responses)."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise self.fail(pointer, f"$ref cycle through '{ref}' never reaches an object")
            seen.add(ref)
            node, pointer = self.lookup(ref, pointer_join(pointer, "$ref"))
        return node, pointer

    @staticmethod
    def text(node: Any, key: str) -> str:
        value = node.get(key) if isinstance(node, Mapping) else None  # a schema may be `true`
        return value.strip() if isinstance(value, str) else ""

    # -- the document -----------------------------------------------------------------------------

    def build(self) -> Api:
        info = self._mapping(self.data, "info")
        for schema_name in self.schemas:
            self.named_schema(schema_name)
        resources = self.resources()
        raw_servers = self.data.get("servers")
        servers = tuple(
            self.server(s)
            for s in (raw_servers if isinstance(raw_servers, list) else [])
            if isinstance(s, Mapping) and s.get("url")
        )
        return Api(
            title=str(info.get("title", "")),
            version=str(info.get("version", "")),
            description=self.text(info, "description"),
            servers=servers,
            security_schemes=self.security_schemes(),
            resources=resources,
            types=tuple(sorted(self.types.values(), key=lambda t: t.name.original)),
            spec_path=self.doc.path,
            openapi=str(self.data.get("openapi", "")),
        )

    def server(self, node: Mapping[str, Any]) -> Server:
        """A server; its URL's `{name}`s that the server declares become variables with their defaults."""
        url = str(node.get("url", ""))
        declared = self._mapping(node, "variables")
        variables: dict[str, ServerVariable] = {}
        parts: list[tuple[str, ServerVariable | None]] = []
        at = 0
        for match in _TEMPLATE_PARAM.finditer(url):
            wire_name = match.group(1)
            spec = declared.get(wire_name)
            if not isinstance(spec, Mapping):
                continue  # not declared: kept as text (openapi-spec-validator says so)
            if wire_name not in variables:
                enum = spec.get("enum")
                variables[wire_name] = ServerVariable(
                    name=name(wire_name),
                    wire_name=wire_name,
                    default=_text_value(spec.get("default", "")),
                    enum=tuple(dict.fromkeys(_text_value(v) for v in enum)) if isinstance(enum, list) else (),
                    docs=self.text(spec, "description"),
                )
            if match.start() > at:
                parts.append((url[at : match.start()], None))
            parts.append((wire_name, variables[wire_name]))
            at = match.end()
        if at < len(url):
            parts.append((url[at:], None))
        return Server(url=url, docs=self.text(node, "description"), variables=tuple(variables.values()),
                      parts=tuple(parts))  # fmt: skip

    def security_schemes(self) -> tuple[SecurityScheme, ...]:
        out: list[SecurityScheme] = []
        schemes = self._mapping(self._mapping(self.data, "components"), "securitySchemes")
        for scheme_name, raw in schemes.items():
            pointer = pointer_join("#/components/securitySchemes", scheme_name)
            node, pointer = self.deref(raw, pointer)
            if not isinstance(node, Mapping):
                continue
            kind = str(node.get("type", ""))
            docs = self.text(node, "description")
            if kind == "http":
                scheme = str(node.get("scheme", "")).lower()
                out.append(SecurityScheme(scheme_name, "basic" if scheme == "basic" else "bearer", docs=docs))
            elif kind == "apiKey":
                location = str(node.get("in", "header"))
                if location not in ("header", "query", "cookie"):
                    location = "header"
                out.append(
                    SecurityScheme(
                        scheme_name,
                        "apiKey",
                        location=cast(Any, location),
                        parameter=str(node.get("name", "")),
                        docs=docs,
                    )
                )
            elif kind in ("oauth2", "openIdConnect"):
                out.append(SecurityScheme(scheme_name, cast(Any, kind), docs=docs))
        return tuple(out)

    # -- schemas ----------------------------------------------------------------------------------

    def named_schema(self, schema_name: str) -> None:
        if schema_name in self.types or schema_name in self._resolving:
            return
        self._resolving.add(schema_name)
        pointer = pointer_join("#/components/schemas", schema_name)
        node = self.schemas[schema_name]
        t = self.schema(node, pointer, name(schema_name), top=True)
        self._resolving.discard(schema_name)
        self.register(name(schema_name), t, node, pointer, inline=False)

    def register(self, type_name: Name, t: Type, node: Any, pointer: str, *, inline: bool) -> NamedType:
        node = node if isinstance(node, Mapping) else {}
        named = NamedType(
            name=type_name,
            type=t,
            docs=self.text(node, "description"),
            title=self.text(node, "title"),
            pointer=pointer,
            inline=inline,
            deprecated=bool(node.get("deprecated", False)),
            example=node.get("example"),
            has_example="example" in node,
        )
        self.types[type_name.original] = named
        return named

    def inline_name(self, hint: Name) -> Name:
        base = hint.original
        candidate, n = base, 1
        while candidate in self.types or candidate in self.schemas or candidate in self._resolving:
            n += 1
            candidate = f"{base}{n}"
        return Name(words=hint.words + ((str(n),) if n > 1 else ()), original=candidate)

    def schema(self, node: Any, pointer: str, hint: Name, *, top: bool = False) -> Type:
        """The type of the schema `node`; inline objects become named types (a `Ref`)."""
        if node is True or node is None:
            return Primitive("any")
        if node is False or not isinstance(node, Mapping):
            if node is not False:
                self.warn(pointer, "schema is not an object; treated as any value")
            return Primitive("any")
        ref = node.get("$ref")
        if isinstance(ref, str):
            return self.schema_ref(ref, node, pointer, hint)
        if not top and pointer in self._inline:  # one inline object, one type: reached again via allOf
            return self._inline[pointer]

        nullable = node.get("nullable") is True
        t = self.schema_shape(node, pointer, hint, top=top)
        if isinstance(t, Ref) and not top:
            named = self.types.get(t.name)
            if named is not None and named.inline and named.pointer == pointer:
                self._inline[pointer] = t
        if isinstance(t, Nullable):
            return t
        if nullable:
            return Nullable(t)
        return t

    def schema_ref(self, ref: str, node: Mapping[str, Any], pointer: str, hint: Name) -> Type:
        if ref.startswith(_SCHEMA_PREFIX) and "/" not in ref[len(_SCHEMA_PREFIX) :]:
            target = _unescape(ref[len(_SCHEMA_PREFIX) :])
            if target not in self.schemas:
                raise self.fail(pointer_join(pointer, "$ref"), f"$ref '{ref}' points at nothing")
            # built in its turn (`build` goes through every component), not now: a chain of refs
            # as long as the spec likes must not become a chain of calls as deep
            t: Type = Ref(target)
        else:
            target_node, target_pointer = self.lookup(ref, pointer_join(pointer, "$ref"))
            if target_pointer in self._resolving:
                raise self.fail(pointer, f"$ref cycle through '{ref}' never reaches a named schema")
            self._resolving.add(target_pointer)
            try:
                t = self.schema(target_node, target_pointer, hint)
            finally:
                self._resolving.discard(target_pointer)
        if node.get("nullable") is True and not isinstance(t, Nullable):
            return Nullable(t)
        return t

    def schema_shape(self, node: Mapping[str, Any], pointer: str, hint: Name, *, top: bool) -> Type:
        types = node.get("type")
        type_list = [types] if isinstance(types, str) else list(types) if isinstance(types, list) else []
        nullable = "null" in type_list
        type_list = [t for t in type_list if isinstance(t, str) and t != "null"]

        if "const" in node:
            return self.wrap(Const(node["const"]), nullable)

        enum = node.get("enum")
        if isinstance(enum, list) and enum:
            values = tuple(v for v in enum if v is not None and not isinstance(v, (list, dict)))
            nullable = nullable or None in enum
            if not values:
                return Nullable(Primitive("any"))
            return self.wrap(Enum(values), nullable)

        all_of = node.get("allOf")
        if isinstance(all_of, list) and all_of:
            return self.wrap(self.all_of(node, all_of, pointer, hint, top=top), nullable)

        for key in ("oneOf", "anyOf"):
            variants = node.get(key)
            if isinstance(variants, list) and variants and not _only_constraints(variants):
                return self.union(node, key, variants, pointer, hint, nullable)

        if len(type_list) > 1:
            variants_t = tuple(self.primitive_or_container(node, t, pointer, hint, top) for t in type_list)
            return self.wrap(Union(variants_t), nullable)
        kind = type_list[0] if type_list else None
        if kind is None:
            if "properties" in node or "additionalProperties" in node:
                kind = "object"
            elif "items" in node:
                kind = "array"
        if kind is None:
            return self.wrap(Primitive("any"), nullable)
        return self.wrap(self.primitive_or_container(node, kind, pointer, hint, top), nullable)

    @staticmethod
    def wrap(t: Type, nullable: bool) -> Type:
        return Nullable(t) if nullable and not isinstance(t, Nullable) else t

    def primitive_or_container(
        self, node: Mapping[str, Any], kind: str, pointer: str, hint: Name, top: bool
    ) -> Type:
        if kind == "object":
            return self.object(node, pointer, hint, top=top)
        if kind == "array":
            items = node.get("items")
            item_hint = Name(hint.words + ("item",), hint.original + "Item")
            return Array(self.schema(items, pointer_join(pointer, "items"), item_hint))
        if kind == "string":
            fmt = node.get("format")
            if fmt == "binary" or node.get("contentMediaType") == "application/octet-stream":
                return File()
            return Primitive("string", fmt if isinstance(fmt, str) else None)
        if kind in _PRIMITIVES:
            fmt = node.get("format")
            return Primitive(cast(Any, kind), fmt if isinstance(fmt, str) else None)
        self.warn(pointer_join(pointer, "type"), f"unknown type '{kind}'; treated as any value")
        return Primitive("any")

    def object(self, node: Mapping[str, Any], pointer: str, hint: Name, *, top: bool) -> Type:
        properties = node.get("properties")
        additional_node = node.get("additionalProperties")
        additional: Type | None = None
        if additional_node is True or (isinstance(additional_node, Mapping) and not additional_node):
            additional = Primitive("any")
        elif isinstance(additional_node, Mapping):
            value_hint = Name(hint.words + ("value",), hint.original + "Value")
            additional = self.schema(
                additional_node, pointer_join(pointer, "additionalProperties"), value_hint
            )
        if not isinstance(properties, Mapping) or not properties:
            if additional is not None:
                return Map(additional)
            if not top:
                return Map(Primitive("any"))
        obj = Object(self.fields(node, pointer, hint), additional)
        if top:
            return obj
        named = self.register(self.inline_name(hint), obj, node, pointer, inline=True)
        return Ref(named.name.original)

    def fields(self, node: Mapping[str, Any], pointer: str, hint: Name) -> tuple[Field, ...]:
        properties = node.get("properties")
        if not isinstance(properties, Mapping):
            return ()
        required_raw = node.get("required")
        required = (
            {r for r in required_raw if isinstance(r, str)} if isinstance(required_raw, list) else set()
        )
        out: list[Field] = []
        for wire_name, prop in properties.items():
            prop_pointer = pointer_join(pointer, "properties", wire_name)
            field_words = split_words(str(wire_name))
            prop_hint = Name(
                hint.words + field_words, hint.original + "".join(w.title() for w in field_words)
            )
            t = self.schema(prop, prop_pointer, prop_hint)
            out.append(self.field(str(wire_name), prop, t, wire_name in required))
        return tuple(out)

    @staticmethod
    def nullable_member(prop: Mapping[str, Any]) -> Mapping[str, Any]:
        """`prop` with what its one member says (description, default, bounds, format) where `prop`
        itself says nothing: `{anyOf: [{type: number, description: ..}, {type: "null"}]}` is how OpenAPI
        3.1 specs write a documented nullable value, `{anyOf: [{$ref: X, description: ..}, {type: "null"}]}`
        a documented nullable reference, `{allOf: [{$ref: X, description: ..}]}` a documented one."""
        for key in ("anyOf", "oneOf", "allOf"):
            members = prop.get(key)
            if not isinstance(members, list) or len(members) != (1 if key == "allOf" else 2):
                continue
            others = [
                m for m in members if not (isinstance(m, Mapping) and m.get("type") == "null" and len(m) == 1)
            ]
            if len(others) == 1 and isinstance(others[0], Mapping):
                # beside a `$ref` only its own words count (3.1): what X says is X's, not this value's
                said = {k: v for k, v in others[0].items() if k not in ("type", "enum", "$ref")}
                return {**said, **prop}
        return prop

    def field(self, wire_name: str, prop: Any, t: Type, required: bool) -> Field:
        prop = self.nullable_member(prop) if isinstance(prop, Mapping) else {}
        docs = self.text(prop, "description")
        if not docs and isinstance(t, (Ref, Nullable)):
            target = t.inner if isinstance(t, Nullable) else t
            if isinstance(target, Ref) and target.name in self.types:
                docs = self.types[target.name].docs
            elif isinstance(target, Ref) and target.name in self.schemas:
                docs = self.text(self.schemas[target.name], "description")
        fmt = prop.get("format")
        return Field(
            name=name(wire_name),
            wire_name=wire_name,
            type=t,
            required=required,
            has_default="default" in prop,
            default=prop.get("default"),
            docs=docs,
            constraints=self.constraints(prop),
            deprecated=bool(prop.get("deprecated", False)),
            read_only=bool(prop.get("readOnly", False)),
            write_only=bool(prop.get("writeOnly", False)),
            example=prop.get("example"),
            has_example="example" in prop,
            format=fmt if isinstance(fmt, str) else None,
        )

    @staticmethod
    def constraints(node: Mapping[str, Any]) -> Constraints:
        def num(key: str) -> int | float | None:
            v = node.get(key)
            return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None

        def whole(key: str) -> int | None:
            v = node.get(key)
            return v if isinstance(v, int) and not isinstance(v, bool) else None

        exclusive_min, exclusive_max = num("exclusiveMinimum"), num("exclusiveMaximum")
        minimum, maximum = num("minimum"), num("maximum")
        if node.get("exclusiveMinimum") is True:  # 3.0 boolean form
            exclusive_min, minimum = minimum, None
        if node.get("exclusiveMaximum") is True:
            exclusive_max, maximum = maximum, None
        pattern = node.get("pattern")
        return Constraints(
            minimum=minimum,
            maximum=maximum,
            exclusive_minimum=exclusive_min,
            exclusive_maximum=exclusive_max,
            min_length=whole("minLength"),
            max_length=whole("maxLength"),
            pattern=pattern if isinstance(pattern, str) else None,
            min_items=whole("minItems"),
            max_items=whole("maxItems"),
        )

    def all_of(
        self, node: Mapping[str, Any], parts: list[Any], pointer: str, hint: Name, *, top: bool
    ) -> Type:
        own_props = isinstance(node.get("properties"), Mapping) and bool(node.get("properties"))
        if len(parts) == 1 and not own_props:
            return self.schema(parts[0], pointer_join(pointer, "allOf", 0), hint)
        if pointer in self._merging:  # the validator says so first; never an endless merge
            cycle = " -> ".join([*self._merging[self._merging.index(pointer) :], pointer])
            raise self.fail(pointer, f"allOf cycle {cycle}: a schema cannot include itself")
        self._merging.append(pointer)
        try:
            return self._all_of(node, parts, pointer, hint, top=top, own_props=own_props)
        finally:
            self._merging.pop()

    def _all_of(
        self,
        node: Mapping[str, Any],
        parts: list[Any],
        pointer: str,
        hint: Name,
        *,
        top: bool,
        own_props: bool,
    ) -> Type:
        fields: dict[str, Field] = {}
        required: set[str] = (
            {r for r in node["required"] if isinstance(r, str)}
            if isinstance(node.get("required"), list)
            else set()
        )
        additional: Type | None = None
        objects = 0
        for i, part in enumerate(parts):
            part_pointer = pointer_join(pointer, "allOf", i)
            resolved, resolved_pointer = self.resolve_schema(part, part_pointer)
            if not isinstance(resolved, Mapping):
                continue
            if (
                resolved_pointer.startswith(_SCHEMA_PREFIX)
                and "/" not in resolved_pointer[len(_SCHEMA_PREFIX) :]
            ):
                # a component's inline schemas are named from it, not from the schema that extends it
                self.named_schema(_unescape(resolved_pointer[len(_SCHEMA_PREFIX) :]))
            part_required = resolved.get("required")
            if isinstance(part_required, list):
                required.update(str(r) for r in part_required)
            if isinstance(resolved.get("properties"), Mapping) or resolved.get("type") == "object":
                objects += 1
                for f in self.fields(resolved, resolved_pointer, hint):
                    fields[f.wire_name] = f
                nested = resolved.get("allOf")
                if isinstance(nested, list):
                    merged = self.all_of(resolved, nested, resolved_pointer, hint, top=True)
                    if isinstance(merged, Object):
                        for f in merged.fields:
                            fields.setdefault(f.wire_name, f)
                            if f.required:
                                required.add(f.wire_name)
            elif isinstance(resolved.get("allOf"), list):
                merged = self.all_of(resolved, resolved["allOf"], resolved_pointer, hint, top=True)
                if isinstance(merged, Object):
                    objects += 1
                    for f in merged.fields:
                        fields[f.wire_name] = f
                        if f.required:
                            required.add(f.wire_name)
        if not objects and not own_props:
            # allOf of non-objects (a primitive plus constraints): the first part carries the type
            if not parts:  # an empty nested allOf says nothing
                return Primitive("any")
            return self.schema(parts[0], pointer_join(pointer, "allOf", 0), hint)
        for f in self.fields(node, pointer, hint):
            fields[f.wire_name] = f
        merged_fields = tuple(
            Field(**{**f.__dict__, "required": f.wire_name in required}) for f in fields.values()
        )
        obj = Object(merged_fields, additional)
        if top:
            return obj
        named = self.register(self.inline_name(hint), obj, node, pointer, inline=True)
        return Ref(named.name.original)

    def resolve_schema(self, node: Any, pointer: str) -> tuple[Any, str]:
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise self.fail(pointer, f"$ref cycle through '{ref}' never reaches a schema")
            seen.add(ref)
            node, pointer = self.lookup(ref, pointer_join(pointer, "$ref"))
        return node, pointer

    def union(
        self,
        node: Mapping[str, Any],
        key: str,
        variants: list[Any],
        pointer: str,
        hint: Name,
        nullable: bool,
    ) -> Type:
        out: list[Type] = []
        for i, variant in enumerate(variants):
            if isinstance(variant, Mapping) and variant.get("type") == "null" and len(variant) == 1:
                nullable = True
                continue
            title = variant.get("title") if isinstance(variant, Mapping) else None
            words = (
                split_words(title)
                if isinstance(title, str) and split_words(title)
                else ("variant", str(i + 1))
            )
            variant_hint = Name(hint.words + words, hint.original + "".join(w.title() for w in words))
            t = self.schema(variant, pointer_join(pointer, key, i), variant_hint)
            if isinstance(t, Nullable):
                nullable, t = True, t.inner
            if t not in out:
                out.append(t)
        if not out:
            return Nullable(Primitive("any"))
        result: Type = (
            out[0]
            if len(out) == 1
            else Union(tuple(out), self.discriminator(node, out, pointer), exclusive=key == "oneOf")
        )
        return self.wrap(result, nullable)

    def discriminator(
        self, node: Mapping[str, Any], variants: list[Type], pointer: str
    ) -> Discriminator | None:
        disc = node.get("discriminator")
        if not isinstance(disc, Mapping) or not isinstance(disc.get("propertyName"), str):
            return None
        prop = disc["propertyName"]
        mapping: dict[str, Type] = {}
        explicit = disc.get("mapping")
        if isinstance(explicit, Mapping):
            for value, ref in explicit.items():
                if isinstance(ref, str):
                    target = ref[len(_SCHEMA_PREFIX) :] if ref.startswith(_SCHEMA_PREFIX) else ref
                    if target in self.schemas:
                        self.named_schema(target)
                        mapping[str(value)] = Ref(target)
                    else:
                        self.warn(
                            pointer_join(pointer, "discriminator", "mapping", value),
                            f"unknown target '{ref}'",
                        )
        for variant in variants:
            if not isinstance(variant, Ref):
                continue
            if variant in mapping.values():
                continue
            if variant.name in self.schemas:
                self.named_schema(variant.name)  # its tag is read from its type
            target_type = self.types.get(variant.name)
            tag = self.const_of(target_type.type, prop) if target_type else None
            mapping[tag if tag is not None else variant.name] = variant
        return Discriminator(prop, tuple(mapping.items()))

    @staticmethod
    def const_of(t: Type, prop: str) -> str | None:
        if isinstance(t, Object):
            for f in t.fields:
                if f.wire_name == prop:
                    if isinstance(f.type, Const) and isinstance(f.type.value, str):
                        return f.type.value
                    if isinstance(f.type, Enum) and len(f.type.values) == 1:
                        return str(f.type.values[0])
        return None

    # -- operations -------------------------------------------------------------------------------

    def resources(self) -> tuple[Resource, ...]:
        tag_docs: dict[str, str] = {}
        tags = self.data.get("tags")
        for tag in tags if isinstance(tags, list) else []:
            if isinstance(tag, Mapping) and isinstance(tag.get("name"), str):
                tag_docs[tag["name"]] = self.text(tag, "description")
        items: list[tuple[Operation, str]] = []
        paths = self._mapping(self.data, "paths")
        for path, item in paths.items():
            item_pointer = pointer_join("#/paths", path)
            item, item_pointer = self.deref(item, item_pointer)
            if not isinstance(item, Mapping):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, Mapping):
                    continue
                op_pointer = pointer_join(item_pointer, method)
                tags = op.get("tags")
                tag = tags[0] if isinstance(tags, list) and tags and isinstance(tags[0], str) else ""
                items.append((self.operation(str(path), method, item, op, op_pointer, tag), tag))
        items = self.paginate(items)
        try:
            placed = place(items, self.names, self.response_shape)
        except NamesError as exc:
            raise SpecError([Diagnostic("error", str(exc), "#/paths", self.doc.locate("#/paths"))]) from exc
        return arrange(placed, tag_docs)

    def paginate(self, items: list[tuple[Operation, str]]) -> list[tuple[Operation, str]]:
        """Each operation with how its pages follow one another (`self.pagination` overrides)."""
        try:
            table = overrides(self.pagination)
        except PaginationError as exc:
            raise SpecError([Diagnostic("error", str(exc), "#/paths", self.doc.locate("#/paths"))]) from exc
        keys = OperationKeys(op for op, _ in items)
        chosen: dict[int, Override] = {}
        for key, override in table.items():
            found = keys.find(key)
            if found is not None:
                chosen[id(found)] = override
            elif key != "*":
                message = f"pagination: no operation has the operationId or route '{key}'"
                raise SpecError([Diagnostic("error", message, "#/paths", self.doc.locate("#/paths"))])
        everyone = table.get("*", Override())
        out: list[tuple[Operation, str]] = []
        for op, tag in items:
            try:
                pagination = detect(op, self.resolved, chosen.get(id(op), everyone))
            except PaginationError as exc:
                raise self.fail(op.pointer, str(exc)) from exc
            out.append((replace(op, pagination=pagination) if pagination else op, tag))
        return out

    def response_shape(self, op: Operation) -> str:
        """What `op` answers with: "list" (an array, or an object holding one beside paging fields),
        "object" (any other object), or "" (no body, or not an object)."""
        if op.pagination is not None:  # pages of a list, whatever their object looks like
            return "list"
        response = op.success
        media = response.contents[0] if response and response.contents else None
        t = self.resolved(media.type) if media and _is_json_media(media.media_type) else None
        if isinstance(t, Array):
            return "list"
        if isinstance(t, Map):
            return "object"
        if not isinstance(t, Object):
            return ""
        arrays = [f for f in t.fields if isinstance(self.resolved(f.type), Array)]
        paging = {"has_more", "next", "next_cursor", "next_page", "next_page_token", "total", "count"}
        listing = {"data", "items", "results", "entries", "records", "values", "elements"}
        wire = {f.wire_name for f in t.fields}
        if arrays and (wire & paging or any(f.wire_name in listing for f in arrays)):
            return "list"
        return "object"

    def resolved(self, t: Type | None) -> Type | None:
        seen: set[str] = set()
        while True:
            if isinstance(t, Nullable):
                t = t.inner
            elif isinstance(t, Ref) and t.name in self.types and t.name not in seen:
                seen.add(t.name)
                t = self.types[t.name].type
            else:
                return t

    def operation(
        self, path: str, method: str, item: Mapping[str, Any], op: Mapping[str, Any], pointer: str, tag: str
    ) -> Operation:
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not split_words(op_id):
            op_id = method + "".join(w.title() for w in split_words(path))
        op_name = name(op_id)
        params = self.parameters(item, op, pointer, op_name, path)
        body = self.request_body(op, pointer, op_name)
        responses = self.responses(op, pointer, op_name)
        meta = op.get("x-oaiMeta")
        meta = meta if isinstance(meta, Mapping) else {}
        security_node = op.get("security", self.data.get("security"))
        security: list[str] = []
        if isinstance(security_node, list):
            for requirement in security_node:
                if isinstance(requirement, Mapping):
                    security.extend(str(k) for k in requirement if str(k) not in security)
        tags = op.get("tags")
        title = meta.get("name") if isinstance(meta.get("name"), str) else ""
        examples, response_example = self.examples(op, meta)
        return Operation(
            id=op_id,
            name=op_name,
            method=method,
            path=path,
            params=params,
            body=body,
            responses=responses,
            summary=self.text(op, "summary"),
            description=self.text(op, "description"),
            title=str(title).strip() or self.text(op, "summary"),
            deprecated=bool(op.get("deprecated", False)),
            tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (tag,),
            security=tuple(security),
            examples=examples,
            response_example=response_example,
            pointer=pointer,
        )

    def examples(self, op: Mapping[str, Any], meta: Mapping[str, Any]) -> tuple[tuple[Example, ...], str]:
        out: list[Example] = []
        response = ""
        raw = meta.get("examples")
        candidates = raw if isinstance(raw, list) else [raw] if isinstance(raw, Mapping) else []
        for candidate in candidates[:1]:
            if not isinstance(candidate, Mapping):
                continue
            request = candidate.get("request")
            if isinstance(request, Mapping):
                out.extend(
                    Example(str(lang), code.rstrip() + "\n")
                    for lang, code in request.items()
                    if isinstance(code, str)
                )
            if isinstance(candidate.get("response"), str):
                response = candidate["response"].rstrip() + "\n"
        samples = op.get("x-codeSamples")
        if isinstance(samples, list):
            for sample in samples:
                if isinstance(sample, Mapping) and isinstance(sample.get("source"), str):
                    out.append(Example(str(sample.get("lang", "")), sample["source"].rstrip() + "\n"))
        return tuple(out), response

    def parameters(
        self, item: Mapping[str, Any], op: Mapping[str, Any], pointer: str, op_name: Name, path: str
    ) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], tuple[Any, str]] = {}
        item_pointer = pointer.rsplit("/", 1)[0]
        for source, base in ((item.get("parameters"), item_pointer), (op.get("parameters"), pointer)):
            if not isinstance(source, list):
                continue
            for i, raw in enumerate(source):
                node, node_pointer = self.deref(raw, pointer_join(base, "parameters", i))
                if isinstance(node, Mapping) and isinstance(node.get("name"), str):
                    merged[(str(node.get("in")), node["name"])] = (node, node_pointer)
        out: list[Parameter] = []
        for (location, wire_name), (node, node_pointer) in merged.items():
            if location not in _DEFAULT_STYLE:
                self.warn(
                    pointer_join(node_pointer, "in"), f"unknown parameter location '{location}'; skipped"
                )
                continue
            schema = node.get("schema")
            schema_pointer = pointer_join(node_pointer, "schema")
            content = node.get("content")
            if schema is None and isinstance(content, Mapping) and content:
                media, media_node = next(iter(content.items()))
                schema = media_node.get("schema") if isinstance(media_node, Mapping) else None
                schema_pointer = pointer_join(node_pointer, "content", media, "schema")
            hint_words = op_name.words + split_words(wire_name)
            hint = Name(hint_words, op_name.original[:1].upper() + op_name.original[1:] + wire_name.title())
            t = self.schema(schema, schema_pointer, hint)
            style = node.get("style")
            explode = node.get("explode")
            default_style = _DEFAULT_STYLE[location]
            resolved_schema, _ = self.resolve_schema(schema, schema_pointer) if schema else ({}, "")
            # a nullable parameter documented inside its `anyOf` keeps its description, default and bounds
            if isinstance(resolved_schema, Mapping):
                resolved_schema = self.nullable_member(resolved_schema)
            else:
                resolved_schema = {}
            out.append(
                Parameter(
                    name=name(wire_name),
                    wire_name=wire_name,
                    location=cast(Any, location),
                    type=t,
                    required=bool(node.get("required", False)) or location == "path",
                    style=style if isinstance(style, str) else default_style,
                    explode=explode if isinstance(explode, bool) else (style or default_style) == "form",
                    docs=self.text(node, "description") or self.text(resolved_schema, "description"),
                    deprecated=bool(node.get("deprecated", False)),
                    has_default="default" in resolved_schema,
                    default=resolved_schema.get("default"),
                    constraints=self.constraints(resolved_schema),
                    example=node.get("example", resolved_schema.get("example")),
                    has_example="example" in node or "example" in resolved_schema,
                )
            )
        # a path parameter the path names but no parameter declares (the validator warns): a required
        # string, so that the method can fill it in
        declared = {p.wire_name for p in out if p.location == "path"}
        for wire_name in dict.fromkeys(_TEMPLATE_PARAM.findall(path)):
            if wire_name not in declared:
                out.append(
                    Parameter(
                        name=name(wire_name),
                        wire_name=wire_name,
                        location="path",
                        type=Primitive("string"),
                        required=True,
                        style="simple",
                        explode=False,
                    )
                )
        return tuple(out)

    def request_body(self, op: Mapping[str, Any], pointer: str, op_name: Name) -> Body | None:
        raw = op.get("requestBody")
        if raw is None:
            return None
        node, body_pointer = self.deref(raw, pointer_join(pointer, "requestBody"))
        if not isinstance(node, Mapping):
            return None
        content = node.get("content")
        if not isinstance(content, Mapping) or not content:
            return None
        hint = Name(
            op_name.words + ("request",), op_name.original[:1].upper() + op_name.original[1:] + "Request"
        )
        medias = self.media_types(content, pointer_join(body_pointer, "content"), hint)
        chosen = self.preferred(medias)
        if chosen is None:
            return None
        kind = self.body_kind(chosen.media_type)
        t = chosen.type if chosen.type is not None else (File() if kind in ("binary",) else Primitive("any"))
        return Body(
            kind=kind,
            media_type=chosen.media_type,
            type=t,
            required=bool(node.get("required", False)),
            docs=self.text(node, "description"),
            alternatives=tuple(m for m in medias if m is not chosen),
        )

    @staticmethod
    def body_kind(media_type: str) -> Any:
        base = media_type.split(";", 1)[0].strip().lower()
        for preferred, kind in _BODY_PREFERENCE:
            if base == preferred:
                return kind
        if _is_json_media(base):
            return "json"
        if base.startswith("text/"):
            return "text"
        return "binary"

    @staticmethod
    def preferred(medias: list[MediaType]) -> MediaType | None:
        for preferred, _ in _BODY_PREFERENCE:
            for m in medias:
                if m.media_type.split(";", 1)[0].strip().lower() == preferred:
                    return m
        return medias[0] if medias else None

    def media_types(self, content: Mapping[str, Any], pointer: str, hint: Name) -> list[MediaType]:
        out: list[MediaType] = []
        for media_type, media in content.items():
            media_pointer = pointer_join(pointer, media_type)
            media = media if isinstance(media, Mapping) else {}
            schema = media.get("schema")
            t = None if schema is None else self.schema(schema, pointer_join(media_pointer, "schema"), hint)
            example, has_example = media.get("example"), "example" in media
            if not has_example and isinstance(media.get("examples"), Mapping) and media["examples"]:
                first = next(iter(media["examples"].values()))
                first, _ = self.deref(first, media_pointer)
                if isinstance(first, Mapping) and "value" in first:
                    example, has_example = first["value"], True
            out.append(MediaType(str(media_type), t, cast(Value, example), has_example))
        return out

    def responses(self, op: Mapping[str, Any], pointer: str, op_name: Name) -> tuple[Response, ...]:
        raw = op.get("responses")
        if not isinstance(raw, Mapping):
            return ()
        out: list[Response] = []
        for status, response in raw.items():
            node, node_pointer = self.deref(response, pointer_join(pointer, "responses", str(status)))
            if not isinstance(node, Mapping):
                continue
            status_text = str(status)
            suffix = "Response" if status_text.startswith("2") else f"Response{status_text.title()}"
            hint = Name(
                op_name.words + tuple(split_words(suffix)),
                op_name.original[:1].upper() + op_name.original[1:] + suffix,
            )
            content = node.get("content")
            medias = (
                self.media_types(content, pointer_join(node_pointer, "content"), hint)
                if isinstance(content, Mapping)
                else []
            )
            headers = node.get("headers")
            names = tuple(str(h) for h in headers) if isinstance(headers, Mapping) else ()
            out.append(Response(status_text, self.text(node, "description"), tuple(medias), names))
        return tuple(out)
