"""Read Swagger 2.0: turn a loaded Swagger 2.0 document into the equivalent OpenAPI 3.0.3 document.

The rest of the pipeline (validate, IR build, targets) only knows OpenAPI 3, so a 2.0 spec is converted
right after loading and goes on from there unchanged. What moves where:

- `host` + `basePath` + `schemes` become `servers` (https when no scheme is given; with no host, the base
  path alone is a relative server URL);
- `definitions`, `parameters`, `responses`, `securityDefinitions` become `components` (`$ref`s follow);
- an `in: body` parameter becomes a `requestBody`, `in: formData` parameters an object schema under
  `multipart/form-data` (when a file is sent or the operation consumes it) or
  `application/x-www-form-urlencoded`, each with the media types the operation consumes;
- other parameters keep their place, their type and constraints moved under `schema`, `collectionFormat`
  turned into `style`/`explode`;
- a response `schema` (and `examples`) go under `content`, once per media type the operation produces;
- `x-nullable: true` becomes `nullable: true`, `type: file` a binary string, a string `discriminator` an
  object with its `propertyName`; vendor extensions (`x-*`) stay where they were.

Body and form parameters defined once under `parameters` are written out where they are used (OpenAPI 3 has
no body parameters). Where 2.0 says something OpenAPI 3 cannot (`collectionFormat: tsv`, or a delimited
path or header array), the conversion says so as a warning.

The new document keeps positions: every node that came from the old one stands where that node stood
(`#/components/schemas/Pet` is reported at the line of `definitions: Pet:`), and nodes made up for the
conversion (a `requestBody`, its `content`) stand where what they were made from stood (the body
parameter). Key order follows the input, so the same input always gives the same output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic, SpecError, pointer_join, pointer_split
from .load import Document, _Index

__all__ = ["OPENAPI_VERSION", "Converted", "convert", "is_swagger2", "notes", "upgrade"]

#: the OpenAPI version a converted document declares
OPENAPI_VERSION = "3.0.3"

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_REFS = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
)
# what a 2.0 parameter, header or items object says about its value: it goes under `schema` in 3.0
_SCHEMA_KEYS = frozenset(
    {
        "type",
        "format",
        "items",
        "default",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "enum",
        "multipleOf",
        "x-nullable",
    }
)
# schema keywords whose value is a schema, or a list or map of schemas
_SUBSCHEMA = frozenset({"items", "additionalProperties", "not"})
_SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_SUBSCHEMA_MAPS = frozenset({"properties"})
# collectionFormat -> (style, explode) for query parameters and form fields
_QUERY_STYLE = {
    "csv": ("form", False),
    "multi": ("form", True),
    "ssv": ("spaceDelimited", False),
    "pipes": ("pipeDelimited", False),
    "tsv": ("form", False),
}
_OAUTH_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}

Pos = tuple[int, int]
_Convert = Callable[[Any, Pos], Any]


@dataclass(frozen=True, eq=False)
class Converted(Document):
    """An OpenAPI 3 document converted from a Swagger 2.0 one: `original` is what was loaded, `notes` the
    warnings about what OpenAPI 3 cannot say the same way."""

    original: Document | None = field(default=None, repr=False)
    notes: tuple[Diagnostic, ...] = ()


def is_swagger2(data: Any) -> bool:
    """Whether loaded data is a Swagger 2.0 document (`swagger: "2.0"`, no `openapi`)."""
    return isinstance(data, dict) and "openapi" not in data and str(data.get("swagger", "")).strip() == "2.0"


def upgrade(doc: Document) -> Document:
    """`doc` converted to OpenAPI 3 when it is Swagger 2.0; any other document as it is."""
    return convert(doc) if is_swagger2(doc.data) else doc


def notes(doc: Document) -> tuple[Diagnostic, ...]:
    """The conversion's warnings, when `doc` was converted from Swagger 2.0."""
    return doc.notes if isinstance(doc, Converted) else ()


def convert(doc: Document) -> Converted:
    """The OpenAPI 3.0.3 equivalent of a loaded Swagger 2.0 document, positioned in the original file."""
    try:
        return _Converter(doc).run()
    except RecursionError:
        raise SpecError(
            [Diagnostic("error", "the document nests too deeply to be converted to OpenAPI 3", "#")]
        ) from None


def _ref(ref: str) -> str:
    for old, new in _REFS:
        if ref.startswith(old):
            return new + ref[len(old) :]
    return ref


def _media_types(node: Any) -> list[str]:
    if not isinstance(node, list):
        return []
    return list(dict.fromkeys(m for m in node if isinstance(m, str) and m))


class _Converter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.src: dict[str, Any] = doc.data
        self.old: dict[int, tuple[Any, Any]] | None = None
        self.root: Pos = (1, 1)
        if doc.locate("#") is not None:  # builds the positions when they are worked out lazily (JSON)
            index = doc._index
            if index is not None:
                self.old, self.root = index.containers, index.root
        self.new: dict[int, tuple[Any, Any]] = {}
        self.said: list[tuple[str, str]] = []  # (pointer in the new document, message)
        self.consumes = _media_types(self.src.get("consumes")) or [JSON]
        self.produces = _media_types(self.src.get("produces")) or [JSON]
        params = self.src.get("parameters")
        self.params: dict[str, Any] = params if isinstance(params, dict) else {}

    # -- positions ----------------------------------------------------------------------------------

    def at(self, node: Any, key: str | int, default: Pos) -> Pos:
        """Where `node[key]` stands in the original file (`default` when that is not known)."""
        if self.old is not None:
            entry = self.old.get(id(node))
            if entry is not None and entry[0] is node:
                where = entry[1]
                found: Any = None
                if isinstance(where, dict):
                    found = where.get(key)
                elif isinstance(key, int) and 0 <= key < len(where):
                    found = where[key]
                if found is not None:
                    return found  # type: ignore[no-any-return]
        return default

    def _where(self, parent: Any) -> Any:
        entry = self.new.get(id(parent))
        if entry is None or entry[0] is not parent:
            entry = (parent, {} if isinstance(parent, dict) else [])
            self.new[id(parent)] = entry
        return entry[1]

    def put(self, parent: dict[str, Any], key: str, value: Any, pos: Pos) -> None:
        parent[key] = value
        self._where(parent)[key] = pos

    def add(self, parent: list[Any], value: Any, pos: Pos) -> None:
        where = self._where(parent)
        parent.append(value)
        where.append(pos)

    def copy(self, node: Any, here: Pos) -> Any:
        """A deep copy of `node`, positioned as the original."""
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            self._where(out)
            for key, value in node.items():
                pos = self.at(node, key, here)
                self.put(out, key, self.copy(value, pos), pos)
            return out
        if isinstance(node, list):
            items: list[Any] = []
            self._where(items)
            for i, value in enumerate(node):
                pos = self.at(node, i, here)
                self.add(items, self.copy(value, pos), pos)
            return items
        return node

    def copy_key(self, out: dict[str, Any], node: dict[str, Any], key: str, here: Pos) -> None:
        if key in node:
            pos = self.at(node, key, here)
            self.put(out, key, self.copy(node[key], pos), pos)

    def note(self, pointer: str, message: str) -> None:
        self.said.append((pointer, message))

    # -- the document -------------------------------------------------------------------------------

    def run(self) -> Converted:
        src, root = self.src, self.root
        out: dict[str, Any] = {}
        self._where(out)
        self.put(out, "openapi", OPENAPI_VERSION, self.at(src, "swagger", root))
        self.copy_key(out, src, "info", root)
        servers = self.servers(None, root)
        if servers is not None:
            self.put(out, "servers", servers, self.server_pos(None, root))
        for key in ("tags", "security", "externalDocs"):
            self.copy_key(out, src, key, root)
        paths = src.get("paths")
        if "paths" in src:
            pos = self.at(src, "paths", root)
            self.put(out, "paths", self.paths(paths, pos) if isinstance(paths, dict) else paths, pos)
        components = self.components(root)
        if components:
            self.put(out, "components", components, self.components_pos(root))
        consumed = {
            "swagger", "info", "host", "basePath", "schemes", "consumes", "produces", "tags", "security",
            "externalDocs", "paths", "definitions", "parameters", "responses", "securityDefinitions",
        }  # fmt: skip
        for key in src:
            if key not in consumed:
                self.copy_key(out, src, key, root)
        has_positions = self.old is not None
        index = _Index(self.new, root) if has_positions else None
        # the text is left out on purpose: what is checked (and cached by its text) is the converted data
        converted = Converted(self.doc.path, out, "", index, None, original=self.doc)
        locate = converted.locate
        said = tuple(Diagnostic("warning", text, pointer, locate(pointer)) for pointer, text in self.said)
        object.__setattr__(converted, "notes", said)
        return converted

    def server_pos(self, op: dict[str, Any] | None, here: Pos) -> Pos:
        src = self.src
        for holder, key in ((op, "schemes"), (src, "host"), (src, "basePath"), (src, "schemes")):
            if holder is not None and key in holder:
                return self.at(holder, key, here)
        return here

    def servers(self, op: dict[str, Any] | None, here: Pos) -> list[Any] | None:
        """`servers` from host, basePath and schemes (the operation's own `schemes` when `op` is given)."""
        host, base = self.src.get("host"), self.src.get("basePath")
        base = base if isinstance(base, str) else ""
        out: list[Any] = []
        self._where(out)
        pos = self.server_pos(op, here)
        if not isinstance(host, str) or not host:
            if op is not None or not base:
                return None  # a relative URL has no scheme to change
            server: dict[str, Any] = {}
            self.put(server, "url", base, self.at(self.src, "basePath", pos))
            self.add(out, server, pos)
            return out
        schemes_node = (op if op is not None else self.src).get("schemes")
        schemes = schemes_node if isinstance(schemes_node, list) else []
        listed = [(i, s) for i, s in enumerate(schemes) if isinstance(s, str) and s]
        for i, scheme in listed or [(-1, "https")]:
            scheme_pos = self.at(schemes_node, i, pos) if i >= 0 else pos
            server = {}
            url = f"{scheme.lower()}://{host}{base.rstrip('/')}"
            self.put(server, "url", url, self.at(self.src, "host", scheme_pos))
            self.add(out, server, scheme_pos)
        return out

    def components_pos(self, here: Pos) -> Pos:
        for key in ("definitions", "parameters", "responses", "securityDefinitions"):
            if key in self.src:
                return self.at(self.src, key, here)
        return here

    def components(self, here: Pos) -> dict[str, Any]:
        src = self.src
        out: dict[str, Any] = {}
        self._where(out)
        groups: list[tuple[str, str, _Convert | None]] = [
            ("definitions", "schemas", self.schema),
            ("responses", "responses", lambda node, pos: self.response(node, pos, self.produces)),
            ("parameters", "parameters", None),
            ("securityDefinitions", "securitySchemes", self.security_scheme),
        ]
        for old_key, new_key, convert in groups:
            group = src.get(old_key)
            if not isinstance(group, dict):
                continue
            pos = self.at(src, old_key, here)
            made: dict[str, Any] = {}
            self._where(made)
            for name, node in group.items():
                node_pos = self.at(group, name, pos)
                if convert is not None:
                    self.put(made, name, convert(node, node_pos), node_pos)
                elif not (isinstance(node, dict) and node.get("in") in ("body", "formData")):
                    # body and form parameters are written out where they are used
                    pointer = pointer_join("#/components/parameters", name)
                    self.put(made, name, self.parameter(node, node_pos, pointer), node_pos)
            if made:
                self.put(out, new_key, made, pos)
        return out

    # -- schemas ------------------------------------------------------------------------------------

    def schema(self, node: Any, here: Pos) -> Any:
        if not isinstance(node, dict):
            return self.copy(node, here)
        out: dict[str, Any] = {}
        self._where(out)
        is_file = node.get("type") == "file"
        for key, value in node.items():
            pos = self.at(node, key, here)
            if key == "$ref" and isinstance(value, str):
                self.put(out, key, _ref(value), pos)
            elif key == "x-nullable":
                if value is True:
                    self.put(out, "nullable", True, pos)
            elif key == "type" and is_file:
                self.put(out, "type", "string", pos)
                self.put(out, "format", "binary", pos)
            elif key == "format" and is_file:
                continue
            elif key == "discriminator" and isinstance(value, str):
                made: dict[str, Any] = {}
                self.put(made, "propertyName", value, pos)
                self.put(out, key, made, pos)
            elif key in _SUBSCHEMA_MAPS and isinstance(value, dict):
                props: dict[str, Any] = {}
                self._where(props)
                for name, sub in value.items():
                    sub_pos = self.at(value, name, pos)
                    self.put(props, name, self.schema(sub, sub_pos), sub_pos)
                self.put(out, key, props, pos)
            elif (key in _SUBSCHEMA_LISTS or key == "items") and isinstance(value, list):
                subs: list[Any] = []
                self._where(subs)
                for i, sub in enumerate(value):
                    sub_pos = self.at(value, i, pos)
                    self.add(subs, self.schema(sub, sub_pos), sub_pos)
                self.put(out, key, subs, pos)
            elif key in _SUBSCHEMA and isinstance(value, dict):
                self.put(out, key, self.schema(value, pos), pos)
            else:
                self.put(out, key, self.copy(value, pos), pos)
        return out

    def simple_schema(self, node: dict[str, Any], here: Pos, pointer: str) -> dict[str, Any]:
        """The schema of a 2.0 parameter, header or items object: its type, format and constraints."""
        out: dict[str, Any] = {}
        self._where(out)
        is_file = node.get("type") == "file"
        for key, value in node.items():
            if key not in _SCHEMA_KEYS:
                continue
            pos = self.at(node, key, here)
            if key == "x-nullable":
                if value is True:
                    self.put(out, "nullable", True, pos)
            elif key == "type" and is_file:
                self.put(out, "type", "string", pos)
                self.put(out, "format", "binary", pos)
            elif key == "format" and is_file:
                continue
            elif key == "items" and isinstance(value, dict):
                items_pointer = pointer_join(pointer, "items")
                self.put(out, key, self.simple_schema(value, pos, items_pointer), pos)
                inner = value.get("collectionFormat")
                if value.get("type") == "array" and inner not in (None, "csv"):
                    self.note(
                        items_pointer,
                        f"`collectionFormat: {inner}` of nested array items has no OpenAPI 3 equivalent;"
                        " the inner arrays are sent comma-separated",
                    )
            else:
                self.put(out, key, self.copy(value, pos), pos)
        return out

    # -- paths, operations, parameters --------------------------------------------------------------

    def paths(self, paths: dict[str, Any], here: Pos) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self._where(out)
        for template, item in paths.items():
            pos = self.at(paths, template, here)
            pointer = pointer_join("#/paths", template)
            made = self.path_item(item, pos, pointer) if isinstance(item, dict) else self.copy(item, pos)
            self.put(out, template, made, pos)
        return out

    def target(self, param: Any, here: Pos) -> tuple[Any, Pos]:
        """A parameter, its `$ref`s to `#/parameters/...` followed, and where it stands."""
        for _ in range(16):
            ref = param.get("$ref") if isinstance(param, dict) else None
            tokens = pointer_split(ref) if isinstance(ref, str) and ref.startswith("#/") else []
            if len(tokens) != 2 or tokens[0] != "parameters" or tokens[1] not in self.params:
                break
            here = self.at(self.params, tokens[1], here)
            param = self.params[tokens[1]]
        return param, here

    def split_parameters(
        self, params: Any, here: Pos, pointer: str
    ) -> tuple[list[Any], list[tuple[dict[str, Any], Pos, str]]]:
        """A parameter list as (3.0 parameters, body and form parameters with their positions)."""
        kept: list[Any] = []
        self._where(kept)
        bodies: list[tuple[dict[str, Any], Pos, str]] = []
        if not isinstance(params, list):
            return kept, bodies
        for i, raw in enumerate(params):
            pos = self.at(params, i, here)
            node, node_pos = self.target(raw, pos)
            if isinstance(node, dict) and node.get("in") in ("body", "formData"):
                bodies.append((node, node_pos, pointer))
            else:
                new_pointer = pointer_join(pointer, "parameters", len(kept))
                self.add(kept, self.parameter(raw, pos, new_pointer), pos)
        return kept, bodies

    def parameter(self, node: Any, here: Pos, pointer: str) -> Any:
        if not isinstance(node, dict):
            return self.copy(node, here)
        if isinstance(node.get("$ref"), str):
            out: dict[str, Any] = {}
            self.put(out, "$ref", _ref(node["$ref"]), self.at(node, "$ref", here))
            return out
        out = {}
        self._where(out)
        for key in ("name", "in", "description", "required", "allowEmptyValue", "deprecated"):
            self.copy_key(out, node, key, here)
        location = node.get("in")
        if node.get("type") == "array":
            fmt = node.get("collectionFormat", "csv")
            pos = self.at(node, "collectionFormat", self.at(node, "type", here))
            style = self.style(location, fmt, pointer)
            if style is not None:
                self.put(out, "style", style[0], pos)
                self.put(out, "explode", style[1], pos)
        if any(key in _SCHEMA_KEYS for key in node):
            pos = self.at(node, "type", here)
            self.put(out, "schema", self.simple_schema(node, pos, pointer_join(pointer, "schema")), pos)
        elif isinstance(node.get("schema"), dict):  # not 2.0, but said plainly enough
            pos = self.at(node, "schema", here)
            self.put(out, "schema", self.schema(node["schema"], pos), pos)
        handled = {"name", "in", "description", "required", "allowEmptyValue", "deprecated"}
        handled |= {"collectionFormat", "schema"}
        for key in node:
            if key not in handled and key not in _SCHEMA_KEYS:
                self.copy_key(out, node, key, here)
        return out

    def style(self, location: Any, fmt: Any, pointer: str) -> tuple[str, bool] | None:
        """(style, explode) for an array parameter sent with a 2.0 `collectionFormat`; None: the default."""
        if location in ("query", "formData"):
            if fmt == "tsv":
                self.note(
                    pointer,
                    "`collectionFormat: tsv` has no OpenAPI 3 equivalent; the values are sent comma-separated"
                    " (style: form, explode: false)",
                )
            elif fmt not in _QUERY_STYLE:
                self.note(pointer, f"unknown `collectionFormat: {fmt}`; the values are sent comma-separated")
            return _QUERY_STYLE.get(fmt, ("form", False))
        if fmt != "csv":
            self.note(
                pointer,
                f"`collectionFormat: {fmt}` has no OpenAPI 3 equivalent in a {location} parameter; the values"
                " are sent comma-separated (style: simple)",
            )
        return None  # style: simple, explode: false, the default for path and header parameters

    def path_item(self, item: dict[str, Any], here: Pos, pointer: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self._where(out)
        pos = self.at(item, "parameters", here)
        shared, shared_bodies = self.split_parameters(item.get("parameters"), pos, pointer)
        for key, value in item.items():
            pos = self.at(item, key, here)
            if key == "$ref" and isinstance(value, str):
                self.put(out, key, _ref(value), pos)
            elif key == "parameters":
                if shared:
                    self.put(out, key, shared, pos)
            elif key in _METHODS and isinstance(value, dict):
                self.put(out, key, self.operation(value, pos, pointer_join(pointer, key), shared_bodies), pos)
            else:
                self.put(out, key, self.copy(value, pos), pos)
        return out

    def operation(
        self,
        op: dict[str, Any],
        here: Pos,
        pointer: str,
        shared_bodies: list[tuple[dict[str, Any], Pos, str]],
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self._where(out)
        pos = self.at(op, "parameters", here)
        params, bodies = self.split_parameters(op.get("parameters"), pos, pointer)
        own = {(b.get("in"), b.get("name")) for b, _, _ in bodies}
        has_body = any(b.get("in") == "body" for b, _, _ in bodies)
        for body in shared_bodies:  # the path's body and form parameters, unless the operation has its own
            location, name = body[0].get("in"), body[0].get("name")
            if (location, name) not in own and not (location == "body" and has_body):
                bodies.append(body)
        consumes = _media_types(op.get("consumes")) or self.consumes
        produces = _media_types(op.get("produces")) or self.produces
        first = bodies[0][1] if bodies else here
        body_pos = next((pos for b, pos, _ in bodies if b.get("in") == "body"), first)
        request = self.request_body(bodies, consumes, pointer) if bodies else None
        placed = False

        def place_body() -> None:
            nonlocal placed
            if request is not None and not placed:
                self.put(out, "requestBody", request, body_pos)
            placed = True

        for key, value in op.items():
            pos = self.at(op, key, here)
            if key in ("consumes", "produces"):
                continue
            if key == "parameters":
                if params:
                    self.put(out, key, params, pos)
                place_body()
            elif key == "responses":
                place_body()
                responses = self.responses(value, pos, produces) if isinstance(value, dict) else value
                self.put(out, key, responses, pos)
            elif key == "schemes":
                servers = self.servers(op, pos)
                if servers is not None:
                    self.put(out, "servers", servers, pos)
            else:
                self.put(out, key, self.copy(value, pos), pos)
        place_body()
        return out

    def request_body(
        self, bodies: list[tuple[dict[str, Any], Pos, str]], consumes: list[str], pointer: str
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self._where(out)
        body_pointer = pointer_join(pointer, "requestBody")
        in_body = [b for b in bodies if b[0].get("in") == "body"]
        if in_body:
            if len(bodies) > 1:
                self.note(
                    body_pointer,
                    "the operation has more than one body parameter (or body and form parameters);"
                    " only the first body parameter is kept",
                )
            node, here, _ = in_body[0]
            self.copy_key(out, node, "description", here)
            content: dict[str, Any] = {}
            self._where(content)
            schema_pos = self.at(node, "schema", here)
            for media_type in consumes:
                media: dict[str, Any] = {}
                self._where(media)
                if "schema" in node:
                    self.put(media, "schema", self.schema(node["schema"], schema_pos), schema_pos)
                self.put(content, media_type, media, schema_pos)
            self.put(out, "content", content, schema_pos)
            if node.get("required") is True:
                self.put(out, "required", True, self.at(node, "required", here))
            for key in node:
                if key.startswith("x-") and key != "x-codegen-request-body-name":
                    self.copy_key(out, node, key, here)
            return out
        return self.form_body(bodies, consumes, body_pointer)

    def form_body(
        self, fields: list[tuple[dict[str, Any], Pos, str]], consumes: list[str], pointer: str
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self._where(out)
        here = fields[0][1]
        has_file = any(node.get("type") == "file" for node, _, _ in fields)
        media_type = MULTIPART if has_file or MULTIPART in consumes else FORM
        media_pointer = pointer_join(pointer, "content", media_type)
        schema: dict[str, Any] = {}
        properties: dict[str, Any] = {}
        required: list[Any] = []
        encoding: dict[str, Any] = {}
        for item in (schema, properties, required, encoding):
            self._where(item)
        self.put(schema, "type", "object", here)
        for node, pos, _ in fields:
            name = node.get("name")
            if not isinstance(name, str):
                continue
            prop_pointer = pointer_join(media_pointer, "schema", "properties", name)
            prop = self.simple_schema(node, self.at(node, "type", pos), prop_pointer)
            self.copy_key(prop, node, "description", pos)
            for key in node:
                if key.startswith("x-") and key != "x-nullable":
                    self.copy_key(prop, node, key, pos)
            self.put(properties, name, prop, pos)
            if node.get("required") is True:
                self.add(required, name, self.at(node, "required", pos))
            if node.get("type") == "array" and media_type == FORM:
                style = self.style("formData", node.get("collectionFormat", "csv"), prop_pointer)
                if style is not None:
                    where = self.at(node, "collectionFormat", pos)
                    made: dict[str, Any] = {}
                    self.put(made, "style", style[0], where)
                    self.put(made, "explode", style[1], where)
                    self.put(encoding, name, made, where)
        self.put(schema, "properties", properties, here)
        if required:
            self.put(schema, "required", required, here)
        media: dict[str, Any] = {}
        self.put(media, "schema", schema, here)
        if encoding:
            self.put(media, "encoding", encoding, here)
        content: dict[str, Any] = {}
        self.put(content, media_type, media, here)
        self.put(out, "content", content, here)
        if required:
            self.put(out, "required", True, here)
        return out

    # -- responses ----------------------------------------------------------------------------------

    def responses(self, node: dict[str, Any], here: Pos, produces: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self._where(out)
        for code, response in node.items():
            pos = self.at(node, code, here)
            if str(code).startswith("x-"):
                self.put(out, code, self.copy(response, pos), pos)
            else:
                self.put(out, str(code), self.response(response, pos, produces), pos)
        return out

    def response(self, node: Any, here: Pos, produces: list[str]) -> Any:
        if not isinstance(node, dict):
            return self.copy(node, here)
        out: dict[str, Any] = {}
        self._where(out)
        if isinstance(node.get("$ref"), str):
            self.put(out, "$ref", _ref(node["$ref"]), self.at(node, "$ref", here))
            return out
        self.copy_key(out, node, "description", here)
        headers = node.get("headers")
        if isinstance(headers, dict):
            pos = self.at(node, "headers", here)
            made: dict[str, Any] = {}
            self._where(made)
            for name, header in headers.items():
                header_pos = self.at(headers, name, pos)
                self.put(made, name, self.header(header, header_pos), header_pos)
            self.put(out, "headers", made, pos)
        content: dict[str, Any] = {}
        self._where(content)
        schema_pos = self.at(node, "schema", here)
        has_schema = "schema" in node
        if has_schema:
            for media_type in produces:
                self.put(content, media_type, self.media(node, schema_pos), schema_pos)
        examples = node.get("examples")
        if isinstance(examples, dict):
            pos = self.at(node, "examples", here)
            for media_type, example in examples.items():
                example_pos = self.at(examples, media_type, pos)
                media = content.get(media_type)
                if media is None:
                    media = self.media(node, schema_pos) if has_schema else {}
                    self.put(content, media_type, media, example_pos)
                self.put(media, "example", self.copy(example, example_pos), example_pos)
        if content:
            self.put(out, "content", content, schema_pos if has_schema else here)
        for key in node:
            if key not in ("description", "headers", "schema", "examples"):
                self.copy_key(out, node, key, here)
        return out

    def media(self, response: dict[str, Any], schema_pos: Pos) -> dict[str, Any]:
        media: dict[str, Any] = {}
        self.put(media, "schema", self.schema(response["schema"], schema_pos), schema_pos)
        return media

    def header(self, node: Any, here: Pos) -> Any:
        if not isinstance(node, dict):
            return self.copy(node, here)
        out: dict[str, Any] = {}
        self._where(out)
        self.copy_key(out, node, "description", here)
        if any(key in _SCHEMA_KEYS for key in node):
            pos = self.at(node, "type", here)
            self.put(out, "schema", self.simple_schema(node, pos, ""), pos)
        for key in node:
            if key not in _SCHEMA_KEYS and key not in ("description", "collectionFormat"):
                self.copy_key(out, node, key, here)
        return out

    # -- security -----------------------------------------------------------------------------------

    def security_scheme(self, node: Any, here: Pos) -> Any:
        if not isinstance(node, dict):
            return self.copy(node, here)
        out: dict[str, Any] = {}
        self._where(out)
        kind = node.get("type")
        type_pos = self.at(node, "type", here)
        if kind == "basic":
            self.put(out, "type", "http", type_pos)
            self.put(out, "scheme", "basic", type_pos)
        elif kind == "oauth2":
            self.put(out, "type", "oauth2", type_pos)
            self.oauth_flows(out, node, here)
        else:  # apiKey, and anything unknown (which the validator will point at)
            self.copy_key(out, node, "type", here)
            if kind == "apiKey":
                self.copy_key(out, node, "name", here)
                self.copy_key(out, node, "in", here)
        self.copy_key(out, node, "description", here)
        skip = {"type", "description", "flow", "authorizationUrl", "tokenUrl", "scopes"}
        if kind == "apiKey":
            skip |= {"name", "in"}
        for key in node:
            if key not in skip:
                self.copy_key(out, node, key, here)
        return out

    def oauth_flows(self, out: dict[str, Any], node: dict[str, Any], here: Pos) -> None:
        flow = node.get("flow")
        flow_pos = self.at(node, "flow", here)
        if flow not in _OAUTH_FLOWS:
            return  # the validator says the flows are missing
        name, urls = _OAUTH_FLOWS[str(flow)]
        made: dict[str, Any] = {}
        self._where(made)
        for key in urls:
            self.copy_key(made, node, key, flow_pos)
        if "scopes" in node:
            self.copy_key(made, node, "scopes", flow_pos)
        else:
            scopes: dict[str, Any] = {}
            self.put(made, "scopes", scopes, flow_pos)
        flows: dict[str, Any] = {}
        self.put(flows, name, made, flow_pos)
        self.put(out, "flows", flows, flow_pos)
