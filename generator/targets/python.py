"""The Python SDK target: IR -> Python names, type expressions, runtime descriptors and a file plan.

Every decision about Python lives here; the templates only lay out what this module computes.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import jsontext
from ..escape import md_text, plain_text
from ..ir.model import (
    Api,
    Array,
    Body,
    Const,
    Enum,
    Field,
    File,
    Map,
    NamedType,
    Nullable,
    Object,
    Operation,
    Primitive,
    Ref,
    Resource,
    Type,
    Union,
    Value,
)
from ..naming import name as name_of
from ..naming import pascal, snake, split_words
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
from .python_params import PARAM_REF, ParamView, name_params, param_context, request_types, writable

__all__ = ["PythonTarget", "py_docstring", "py_identifier", "py_name", "py_str"]

# Names a generated module, class, resource or method may not take: keywords, soft keywords, and
# builtins used in the code. (Fields and parameters follow `py_name`'s narrower rule.)
_RESERVED = (
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | {
        "self",
        "cls",
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "list",
        "dict",
        "object",
        "type",
        "None",
    }
)
# Attributes of our BaseModel that a field must not shadow (`self`: BaseModel.__init__(self, **fields)),
# and the module a class body names shadowed builtins by.
_MODEL_RESERVED = {
    *("construct", "to_dict", "to_json", "model_extra", "model_fields_set", "self", "builtins"),
    "_request_id",
}
# Keyword arguments every method takes besides the operation's own, and the names a method's body
# uses (a parameter `cast` would be called; `result` is the body's own variable).
_METHOD_RESERVED = {
    "extra_headers",
    "extra_query",
    "extra_body",
    "timeout",
    "max_retries",
    "self",
    "result",
    "cast",
    "bool",
    "stream_request",
    "async_stream_request",
    "request_or_stream",
    "async_request_or_stream",
}
# The builtins a field may shadow inside its class body: the class's annotations name them
# `builtins.X` then (`object: Literal["file"]` beside `metadata: builtins.object`).
_BUILTINS = {n for n in dir(builtins) if n.isidentifier() and n.islower() and not n.startswith("_")}
# Names used in the generated modules themselves.
_MODULE_RESERVED = {"annotations", "T", "BaseModel", "FieldInfo", "TYPE_CHECKING", "ClassVar"}
_RUNTIME_MODULES = (
    "_base_client",
    "_exceptions",
    "_files",
    "_logs",
    "_models",
    "pagination",
    "_qs",
    "_response",
    "_streaming",
    "_types",
)
# What a resource module imports from the runtime's `_streaming` for methods of each mode.
_STREAMING_IMPORTS = {
    "stream": ("Stream", "AsyncStream", "stream_request", "async_stream_request"),
    "either": ("Stream", "AsyncStream", "request_or_stream", "async_request_or_stream"),
}
# The runtime's page class per pagination scheme (`Sync…`/`Async…`).
_PAGE_CLASSES = {
    "cursor": "CursorPage",
    "page": "PageNumberPage",
    "offset": "OffsetPage",
    "next_url": "NextURLPage",
    "link_header": "LinkPage",
    "single": "Page",
}
_PAGINATION_IMPORTS = ("AsyncPaginator", "PageScheme", "async_request_page", "request_page")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ACRONYM_PLURAL = re.compile(r"([A-Z]{2,})s(?![a-z])")
_LINE_LENGTH = 100  # black's, for the generated code
_PLAIN = re.compile(r"[ !#-\[\]-~]*")  # printable ASCII but `"` and `\`
_PLAIN_DOC = re.compile(r"[\n !#-~]*")  # and newlines; a docstring's backslashes are doubled before


# -- escaping -------------------------------------------------------------------------------------


def py_str(value: str) -> str:
    """A Python string literal with exactly the value of `value`, quoted as black quotes it: double quotes,
    unless single quotes need fewer escapes."""
    if _PLAIN.fullmatch(value):  # printable ASCII with no quote or backslash: as it is (most spec text)
        return '"' + value + '"'
    double = _double_quoted(value)
    if value.count('"') <= value.count("'"):
        return double
    return "'" + double[1:-1].replace('\\"', '"').replace("'", "\\'") + "'"


def _double_quoted(value: str) -> str:
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029, 0x85):
            out.append(f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_str(value: str) -> str:
    """A TOML basic string with exactly the value of `value`."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def py_value(value: Value) -> str:
    """A Python literal for a JSON value."""
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if text not in ("inf", "-inf", "nan") else f'float("{text}")'
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{py_str(str(k))}: {py_value(v)}" for k, v in value.items()) + "}"


def py_block(value: Value, indent: str = "") -> str:
    """A Python literal for a JSON value, laid out for black: each list or dict item that fits on its line
    stays on one line; the others are exploded, one item a line, with a trailing comma (a "magic" comma:
    black keeps them so), so a table of any size needs no layout (one line of 300,000 characters took the
    layout model half a second)."""
    if not (isinstance(value, (list, dict)) and value):
        return py_value(value)
    inner = indent + "    "
    lines: list[str] = []
    items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
    for key, item in items:
        head = inner if key is None else f"{inner}{py_str(str(key))}: "
        flat = f"{head}{py_value(item)},"
        if len(flat) <= _LINE_LENGTH and flat.isascii():
            lines.append(flat)
        else:
            lines.append(f"{head}{py_block(item, inner)},")
    opening, closing = ("[", "]") if isinstance(value, list) else ("{", "}")
    return opening + "\n" + "\n".join(lines) + "\n" + indent + closing


def py_import(module: str, names: str | list[str], indent: str = "") -> str:
    """`from module import names` laid out as black does: on one line if it fits, else one name a line."""
    listed = [names] if isinstance(names, str) else names
    line = f"{indent}from {module} import {', '.join(listed)}"
    if len(line) <= _LINE_LENGTH or not line.isascii():  # (wide characters: left to the layout model)
        return line
    body = "".join(f"{indent}    {name},\n" for name in listed)
    return f"{indent}from {module} import (\n{body}{indent})"


def py_docstring(text: str, indent: str = "") -> str:
    """Text safe inside a triple-double-quoted docstring, continuation lines indented; Markdown as it reads
    in a docstring: links as their text (and an absolute URL), no emphasis marks or HTML, code spans kept."""
    text = (plain_text(text, keep_code=True).strip() or text).replace("\\", "\\\\")
    cleaned: list[str] = [text] if _PLAIN_DOC.fullmatch(text) else []  # nothing to escape: most docs
    for i, ch in enumerate(text if not cleaned else ""):
        code = ord(ch)
        if ch == '"' and (i + 1 == len(text.rstrip()) or text[i + 1 : i + 2] == '"'):
            cleaned.append('\\"')  # no two quotes in a row, none at the end: the docstring cannot close early
        elif (code < 0x20 and ch not in "\n\t") or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            cleaned.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        elif ch in "\u2028\u2029\x85\x0c\x0b":
            cleaned.append(" ")
        else:
            cleaned.append(ch)
    text = "".join(cleaned).replace("\t", "    ")
    lines = [line.rstrip() for line in text.strip().split("\n")]
    # black strips the indentation common to the lines after the first (PEP 257) and indents them anew
    margin = min((len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()), default=0)
    lines[1:] = [line[margin:] for line in lines[1:]]
    if len(lines) > 1 and len(indent) + len(lines[-1]) + 3 > _LINE_LENGTH:
        lines.append("")  # black puts the closing quotes of such a docstring on a line of their own
    return (
        ("\n" + indent)
        .join(lines)
        .replace("\n" + indent + "\n", "\n\n")
        .replace("\n" + indent + "\n", "\n\n")
    )


def py_comment(text: str) -> str:
    """One line of text safe in a `#` comment."""
    return " ".join(text.split()).replace("\x00", "")


def py_identifier(text: str) -> str:
    """A module's, a resource's or a method's name for spec text: kept as written when it is one."""
    if _IDENTIFIER.fullmatch(text) and text.isascii():
        ident = text
    else:
        ident = snake(split_words(text)) or "field"
    if ident[0].isdigit():
        ident = "_" + ident
    if ident in _RESERVED:
        ident += "_"
    return ident


def py_name(text: str, reserved: set[str] | frozenset[str] = frozenset()) -> str:
    """A field's or a parameter's Python name: the wire name in snake_case, otherwise as it is.

    `labelSelector` -> `label_selector`, `response_format`, `type`, `bytes`, `id`, `_links` stay (soft
    keywords and builtins are valid names); a keyword or a name in `reserved` takes a trailing
    underscore (`class_`); what is no identifier is made one (`X-Request-ID` -> `x_request_id`,
    `2fa` -> `_2fa`); a leading `__` (mangled in a class body, or a dunder) becomes one `_`.
    """
    text = _ACRONYM_PLURAL.sub(r"\1S", text)  # `userIDs` -> `user_ids`, not `user_i_ds`
    if _IDENTIFIER.fullmatch(text) and text.isascii():
        # each part between underscores in snake case; the underscores stay where they are
        ident = "_".join(snake(split_words(part)) for part in text.split("_"))
    else:
        ident = snake(split_words(text))
    if not ident:
        ident = "field"
    if ident.startswith("__"):
        ident = "_" + ident.lstrip("_")
    if ident[0].isdigit():
        ident = "_" + ident
    if keyword.iskeyword(ident) or ident in reserved:
        ident += "_"
    return ident


def py_names(wires: list[str], reserved: set[str] | frozenset[str], taken: set[str]) -> list[str]:
    """`py_name` of each wire name, each distinct from the others and from `taken` (which gets them).

    Where two wire names give one name (`fooBar`, `foo_bar`), the one spelled so on the wire keeps it
    and the other takes a number (`foo_bar_2`), whatever their order; otherwise the first comes first.
    """
    candidates = [py_name(w, reserved) for w in wires]
    names = [""] * len(wires)
    for exact in (True, False):
        for i, (wire, candidate) in enumerate(zip(wires, candidates, strict=True)):
            if (wire == candidate) == exact and not names[i]:
                names[i] = unique(candidate, taken)
    return names


_ANNOTATION_TOKEN = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|(?<![\w.])[A-Za-z_]\w*")


def _qualify_builtins(annotation: str, shadowed: set[str]) -> str:
    """`annotation` with each name in `shadowed` as `builtins.name` (string literals left as they are)."""

    def swap(m: re.Match[str]) -> str:
        token = m.group(0)
        return "builtins." + token if token in shadowed else token

    return _ANNOTATION_TOKEN.sub(swap, annotation) if shadowed else annotation


def _class_name(text: str) -> str:
    if _IDENTIFIER.fullmatch(text) and text.isascii() and text[0].isupper():
        ident = text
    else:
        ident = pascal(split_words(text)) or "Model"
    if ident[0].isdigit():
        ident = "M" + ident
    if ident in _RESERVED or keyword.iskeyword(ident) or ident in _MODULE_RESERVED:
        ident += "_"
    return ident


# -- the view -------------------------------------------------------------------------------------


@dataclass
class ResourceName:
    resource: Resource
    path: str  # the attributes from the client: "chat.completions"
    attr: str  # the last of them: "completions"
    module: str  # under resources/
    class_name: str
    children: list[ResourceName]


# Attributes of the client a resource must not take.
_CLIENT_ATTRS = (
    *("close", "request", "copy", "with_options", "with_raw_response", "with_streaming_response"),
    *("api_key", "base_url", "timeout", "max_retries", "default_headers"),
)
# Attributes of every resource a child resource or a method must not take.
_RESOURCE_ATTRS = ("with_raw_response", "with_streaming_response", "_client")


def _wrapper_names(class_name: str) -> list[str]:
    """A resource's classes and their raw and streamed twins, sorted as an import lists them."""
    return sorted(
        f"{kind}{class_name}{wrapper}"
        for kind in ("", "Async")
        for wrapper in ("", "WithRawResponse", "WithStreamingResponse")
    )


@dataclass
class TypeView:
    named: NamedType
    class_name: str
    module: str
    is_class: bool
    fields: list[dict[str, Any]] = field(default_factory=list)
    alias: str = ""  # the alias expression, for non-class types
    runtime_imports: list[tuple[str, str]] = field(default_factory=list)
    type_imports: list[tuple[str, str]] = field(default_factory=list)


class PythonTarget(Target):
    name = "python"

    def __init__(self, api: Api, job: Job) -> None:
        self.api = api
        self.job = job
        self.client = job.client_name or _client_name(api.title)
        self.package = job.package_name or py_identifier(self.client.lower())
        # OpenAI -> OPENAI_API_KEY, as users of the official SDK know it
        self.env_prefix = re.sub(r"[^A-Za-z0-9]", "", self.client).upper() or "API"
        self.types: dict[str, TypeView] = {}
        self._name_types()
        # the TypedDicts (and aliases of them) that request parameters take: python_params.py
        self.params: dict[str, ParamView] = name_params(api, self.types, request_types(api, self.body_fields))

    filters: Mapping[str, Any] = {
        "py_str": py_str,
        "py_doc": py_docstring,
        "py_comment": py_comment,
        "py_value": py_value,
        "py_import": py_import,
        "md_text": md_text,
        "toml_str": toml_str,
    }

    # -- naming of types -----------------------------------------------------------------------

    def _name_types(self) -> None:
        taken_classes: set[str] = set()
        taken_modules: set[str] = {"__init__"}
        for named in self.api.types:
            class_name = unique(_class_name(named.name.original), taken_classes)
            module = unique(snake(split_words(named.name.original)) or "model", taken_modules)
            if module[0].isdigit() or keyword.iskeyword(module):
                module = "m_" + module
            inner = named.type.inner if isinstance(named.type, Nullable) else named.type
            self.types[named.name.original] = TypeView(named, class_name, module, isinstance(inner, Object))

    def view_of(self, ref: Ref) -> TypeView:
        return self.types[ref.name]

    def import_of(self, ref: str) -> tuple[str, str]:
        """(module under types/, class) for a ref recorded by `annotation`: a type's or a Param's."""
        if ref.startswith(PARAM_REF):
            param = self.params[ref[len(PARAM_REF) :]]
            return param.module, param.class_name
        view = self.types[ref]
        return view.module, view.class_name

    # -- type expressions ----------------------------------------------------------------------

    def annotation(self, t: Type, side: str, refs: set[str]) -> str:
        """The Python type of `t`; `side` is "in" (a parameter) or "out" (a response field)."""
        if isinstance(t, Nullable):
            return _optional(self.annotation(t.inner, side, refs))
        if isinstance(t, Primitive):
            return {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}.get(
                t.kind, "object"
            )
        if isinstance(t, Enum):
            return self.literal(t.values)
        if isinstance(t, Const):
            if isinstance(t.value, (str, int, bool)) or t.value is None:
                return self.literal((t.value,)) if t.value is not None else "None"
            return "object"
        if isinstance(t, File):
            return "FileTypes" if side == "in" else "str"
        if isinstance(t, Array):
            return f"{'Sequence' if side == 'in' else 'List'}[{self.annotation(t.item, side, refs)}]"
        if isinstance(t, Map):
            return f"{'Mapping' if side == 'in' else 'Dict'}[str, {self.annotation(t.value, side, refs)}]"
        if isinstance(t, Union):
            parts: list[str] = []
            for v in t.variants:
                a = self.annotation(v, side, refs)
                inner_parts = _split_union(a)
                parts.extend(p for p in inner_parts if p not in parts)
            if "object" in parts:
                return "object"
            return parts[0] if len(parts) == 1 else "Union[" + ", ".join(parts) + "]"
        if isinstance(t, Ref):
            if side == "in":
                return self._in_annotation(t, refs)
            refs.add(t.name)
            return self.view_of(t).class_name
        return "object"  # an inline Object never reaches here: the IR names them

    def _in_annotation(self, t: Ref, refs: set[str]) -> str:
        """A named type as a request takes it: an object as its Param TypedDict (a plain dict), an alias that
        holds objects as its Param alias, an object with nothing to send as a mapping; others as they are."""
        view = self.view_of(t)
        param = self.params.get(t.name)
        nullable = isinstance(view.named.type, Nullable)
        if param is not None:
            refs.add(PARAM_REF + t.name)
            return _optional(param.class_name) if param.typed_dict and nullable else param.class_name
        if view.is_class:  # no writable field: any JSON object goes
            obj = self.api.resolve(view.named.type)
            obj = obj.inner if isinstance(obj, Nullable) else obj
            extra = obj.additional if isinstance(obj, Object) and obj.additional is not None else None
            value = self.annotation(extra, "in", refs) if extra is not None else "object"
            mapping = f"Mapping[str, {value}]"
            return _optional(mapping) if nullable else mapping
        refs.add(t.name)
        return view.class_name

    @staticmethod
    def literal(values: tuple[Value, ...]) -> str:
        parts = [py_value(v) for v in values if isinstance(v, (str, int, bool)) or v is None]
        if len(parts) != len(values) or not parts:
            return "object"
        return "Literal[" + ", ".join(parts) + "]"

    def descriptor(self, t: Type, context: str, seen: frozenset[str] = frozenset()) -> str:
        """The runtime type descriptor (`T.…`) that parses wire data into `t`.

        In a resource module only a top-level model is named directly (`T.model(Cls)`, imported there);
        everything nested is a lazy `T.ref`, so a module imports only what its signatures name.
        """
        if context == "resource" and not (isinstance(t, Ref) and self.view_of(t).is_class):
            context = "types"
        if isinstance(t, Nullable):
            return f"T.nullable({self.descriptor(t.inner, context, seen)})"
        if isinstance(t, Primitive):
            return {
                "string": "T.str()",
                "integer": "T.int()",
                "number": "T.float()",
                "boolean": "T.bool()",
            }.get(t.kind, "T.any()")
        if isinstance(t, Enum):
            return "T.enum(" + ", ".join(py_value(v) for v in t.values) + ")"
        if isinstance(t, Const):
            return f"T.const({py_value(t.value)})"
        if isinstance(t, File):
            return "T.any()"
        if isinstance(t, Array):
            return f"T.list({self.descriptor(t.item, context, seen)})"
        if isinstance(t, Map):
            return f"T.map({self.descriptor(t.value, context, seen)})"
        if isinstance(t, Union):
            variants = ", ".join(self.descriptor(v, context, seen) for v in t.variants)
            if t.discriminator is None:
                return f"T.union({variants})"
            mapping = ", ".join(
                f"{py_str(tag)}: {self.descriptor(v, context, seen)}" for tag, v in t.discriminator.mapping
            )
            return f"T.union({variants}, discriminator=({py_str(t.discriminator.property)}, {{{mapping}}}))"
        if isinstance(t, Ref):
            view = self.view_of(t)
            if view.is_class:
                if context == "resource":
                    return f"T.model({view.class_name})"
                inner = view.named.type
                ref = f"T.ref({py_str(view.module)}, {py_str(view.class_name)})"
                return f"T.nullable({ref})" if isinstance(inner, Nullable) else ref
            if t.name in seen:
                return "T.any()"
            return self.descriptor(view.named.type, context, seen | {t.name})
        return "T.any()"

    # -- types modules -------------------------------------------------------------------------

    def _type_file_context(self, base: Mapping[str, Any], view: TypeView) -> dict[str, Any]:
        return {**base, **self.type_context(view)}

    def _param_file_context(self, base: Mapping[str, Any], param: ParamView) -> dict[str, Any]:
        return {**base, **param_context(self, param)}

    def type_context(self, view: TypeView) -> dict[str, Any]:
        named = view.named
        refs: set[str] = set()
        inner = named.type.inner if isinstance(named.type, Nullable) else named.type
        fields: list[dict[str, Any]] = []
        alias = ""
        alias_is_string = False
        if isinstance(inner, Object):
            for f, ident in zip(inner.fields, self.field_names(inner), strict=True):
                fields.append(self.field_context(f, ident, refs))
        else:
            alias = self.annotation(named.type, "out", refs)
            alias_is_string = bool(refs)
        type_imports = sorted(
            (self.types[r].module, self.types[r].class_name) for r in refs if r != named.name.original
        )
        # a field named like a builtin hides it in the class body: the class's annotations say `builtins.X`
        shadowed = {f["name"] for f in fields} & _BUILTINS
        for entry in fields:
            entry["annotation"] = _qualify_builtins(entry["annotation"], shadowed)
        fields_annotation = _qualify_builtins("ClassVar[tuple[FieldInfo, ...]]", shadowed)
        fields_line = ""  # the whole `__sdk_fields__` on one line, where black would put it
        entries = [
            f"FieldInfo({py_str(f['name'])}, {py_str(f['wire_name'])}, {f['descriptor']}"
            + (", required=True)" if f["required"] else ")")
            for f in fields
        ]
        joined = ", ".join(entries) + ("," if entries else "")
        one_line = f"    __sdk_fields__: {fields_annotation} = ({joined})"
        if len(entries) <= 1 and len(one_line) <= _LINE_LENGTH:
            fields_line = one_line
        return {
            "class_name": view.class_name,
            "is_class": view.is_class,
            "docs": _type_docs(named),
            "fields": fields,
            "fields_line": fields_line,
            "fields_annotation": fields_annotation,
            "imports_builtins": "builtins." in fields_annotation
            or any("builtins." in f["annotation"] for f in fields),
            "alias": alias,
            "alias_is_string": alias_is_string,
            "alias_expr": py_str(alias) if alias_is_string else alias,
            "type_imports": type_imports,
            "typing_imports": _import_order(
                set(_typing_names(" ".join([alias] + [f["annotation"] for f in fields])))
                | ({"TYPE_CHECKING"} if type_imports else set())
                | ({"ClassVar"} if view.is_class else set())
            ),
            "deprecated": named.deprecated,
        }

    @staticmethod
    def field_names(obj: Object) -> list[str]:
        """A model's attribute for each of its fields, in order."""
        return py_names([f.wire_name for f in obj.fields], _MODEL_RESERVED, set())

    def field_context(self, f: Field, ident: str, refs: set[str]) -> dict[str, Any]:
        annotation = self.annotation(f.type, "out", refs)
        optional = not f.required
        if optional:
            annotation = _optional(annotation)
        return {
            "name": ident,
            "wire_name": f.wire_name,
            "annotation": annotation,
            "default": "None" if optional else "",
            "required": f.required,
            "descriptor": self.descriptor(f.type, "types"),
            "docs": f.docs + ("\n\nDeprecated." if f.deprecated else ""),
        }

    # -- resources -----------------------------------------------------------------------------

    def resource_context(
        self, resource: Resource, attr: str, class_name: str, children: list[ResourceName] | None = None
    ) -> dict[str, Any]:
        """`attr` is the resource's attribute path from the client ("chat.completions")."""
        refs: set[str] = set()
        methods = []
        children = children or []
        taken: set[str] = set(_RESOURCE_ATTRS) | {c.attr for c in children}
        for op in resource.operations:
            methods.append(self.method_context(op, taken, refs))
        imports = sorted(self.import_of(r) for r in refs)
        code = " ".join(
            [m["return_annotation"] for m in methods]
            + [p["annotation"] for m in methods for p in m["params"]]
            + [p["annotation"] for m in methods for o in m["overloads"] for p in o["params"]]
        )
        streaming = {m["mode"] for m in methods}
        return {
            "attr": attr,
            "class_name": class_name,
            "docs": resource.docs,
            "children": [
                {
                    "attr": c.attr,
                    "module": c.module,
                    "class_name": c.class_name,
                    "docs": c.resource.docs,
                    "names": _wrapper_names(c.class_name),
                }
                for c in children
            ],
            "methods": methods,
            "imports": imports,
            # Optional and Union type every method's extra_* and timeout arguments
            "typing_names": _import_order(
                set(_typing_names(code)) | {"Optional", "Union"} | ({"TYPE_CHECKING"} if children else set())
            ),
            "needs_cast": any(m["cast"] for m in methods),
            "response_imports": _import_order(
                {"async_to_raw_response_wrapper", "to_raw_response_wrapper"}
                | {"async_to_streamed_response_wrapper", "to_streamed_response_wrapper"}
                | ({"BinaryResponseContent"} if "BinaryResponseContent" in code else set())
            ),
            "needs_overload": "either" in streaming,
            "pagination_imports": _import_order(
                {name for m in methods for name in m.get("page_classes", ())}
                | (set(_PAGINATION_IMPORTS) if "page" in streaming else set())
            ),
            "streaming_imports": _import_order(
                {name for mode in streaming for name in _STREAMING_IMPORTS.get(mode, ())}
            ),
            "uses_file_types": "FileTypes" in code,
            "types_imports": _import_order(
                {"NOT_GIVEN", "Body", "Headers", "NotGiven", "Query", "Timeout"}
                | ({"FileTypes"} if "FileTypes" in code else set())
                | ({"Omit", "omit"} if "| Omit" in code else set())
            ),
        }

    def method_context(self, op: Operation, taken: set[str], refs: set[str]) -> dict[str, Any]:
        # `list` may name a method, as in the official SDKs: the generated code annotates with `List`
        words = snake(op.name.words) or op.id.lower()
        method_name = unique("list" if words == "list" else py_identifier(words), taken)
        params: list[dict[str, Any]] = []
        groups: dict[str, list[tuple[str, str]]] = {"path": [], "query": [], "header": [], "cookie": []}
        styles: list[str] = []
        path_and_others = ordered_params(op)
        body_fields = self.body_fields(op.body)
        wires = [p.wire_name for p in path_and_others] + [f.wire_name for f in body_fields]
        names = py_names(wires, _METHOD_RESERVED, set())
        for p, name in zip(path_and_others, names[: len(path_and_others)], strict=True):
            ctx = self.param_context(name, p.wire_name, p.type, p.required, p.docs, refs)
            ctx.update(location=p.location, deprecated=p.deprecated)
            params.append(ctx)
            groups[p.location].append((p.wire_name, name))
            if p.location == "query" and query_style_matters(self.api, p):
                styles.append(f"{py_str(p.wire_name)}: ({py_str(p.style)}, {p.explode})")
        # as the official SDKs: the last path parameter positional (`retrieve("file-abc")`), all else keywords
        last_path = max((i for i, p in enumerate(path_and_others) if p.location == "path"), default=None)
        for i, ctx in enumerate(params):
            ctx["positional"] = i == last_path
        body_expr, file_fields, content_type = "None", [], ""
        if op.body is not None:
            body_params = []
            for f, name in zip(body_fields, names[len(path_and_others) :], strict=True):
                ctx = self.param_context(name, f.wire_name, f.type, f.required, f.docs, refs)
                ctx.update(location="body", deprecated=f.deprecated, positional=False)
                body_params.append(ctx)
                if op.body.kind == "multipart" and holds_file(self.api.resolve(f.type)):
                    file_fields.append(f.wire_name)
            params.extend(body_params)
            content_type = op.body.media_type
            if self.object_body(op.body):
                body_expr = _dict_expr([(p["wire_name"], p["name"]) for p in body_params])
            else:
                body_expr = body_params[0]["name"]
        # the positional one first, then the required: keyword-only either way, as the official SDKs read
        params.sort(key=_param_order)
        paging = self.paging(op, refs)
        # a list method returns its page: the response's own type is not imported then
        return_annotation, descriptor, cast = self.returns(op, set() if paging else refs)
        streaming = self.streaming(op, params, refs, (return_annotation, descriptor, cast))
        fixed = [(wire, py_str(value)) for wire, value in op.fixed_query]
        streaming.update(paging)
        return {
            "accept": _accept(binary_media_types(self.api, op)),
            "path_params_expr": _dict_expr(groups["path"]),
            "query_expr": _dict_expr(fixed + groups["query"]),
            "query_styles_expr": "{" + ", ".join(styles) + "}" if styles else "",
            "headers_expr": _dict_expr(groups["header"]),
            "cookies_expr": _dict_expr(groups["cookie"]),
            "file_fields_expr": _tuple_expr(file_fields),
            "security_expr": _tuple_expr(self.auth(op)),
            "docstring": _method_docstring(op, params),
            "name": method_name,
            "op_id": op.id,
            "http_method": op.method,
            "path": op.route,
            "params": params,
            "path_params": groups["path"],
            "query": groups["query"],
            "headers": groups["header"],
            "cookies": groups["cookie"],
            "body": body_expr,
            "file_fields": file_fields,
            "content_type": content_type,
            "security": list(op.security),
            "return_annotation": return_annotation,
            "descriptor": descriptor,
            "cast": cast,
            **streaming,
            "summary": op.summary,
            "description": op.description or op.summary,
            "deprecated": op.deprecated,
        }

    def auth(self, op: Operation) -> list[str]:
        """How the client's API key is sent for `op` (see `auth_methods`)."""
        return auth_methods(self.api, op)

    def param_context(
        self, name: str, wire: str, t: Type, required: bool, docs: str, refs: set[str]
    ) -> dict[str, Any]:
        annotation = self.annotation(t, "in", refs)
        kind, choices = self.cli_kind(t)
        return {
            "name": name,
            "wire_name": wire,
            "annotation": annotation if required else f"{annotation} | Omit",
            "default": "" if required else "omit",
            "required": required,
            "docs": docs,
            "cli_kind": kind,
            "cli_choices": choices,
        }

    def cli_kind(self, t: Type, seen: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
        """How the CLI reads a value of type `t`: file, int, float, bool, str, json, or a list of those."""
        if isinstance(t, Ref):
            if t.name in seen:  # a recursive type: the CLI takes it as JSON
                return "json", []
            seen = seen | {t.name}
            t = self.api.named(t.name).type
            return self.cli_kind(t, seen)
        if isinstance(t, Nullable):
            return self.cli_kind(t.inner, seen)
        if isinstance(t, File):
            return "file", []
        if isinstance(t, Primitive):
            return {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}.get(
                t.kind, "json"
            ), []
        if isinstance(t, Enum):
            if all(isinstance(v, str) for v in t.values):
                return "str", [str(v) for v in t.values]
            if all(isinstance(v, int) and not isinstance(v, bool) for v in t.values):
                return "int", [str(v) for v in t.values]
            return "json", []
        if isinstance(t, Const):
            return ("str", [t.value]) if isinstance(t.value, str) else ("json", [])
        if isinstance(t, Array):
            item_kind, item_choices = self.cli_kind(t.item, seen)
            if item_kind in ("file", "int", "float", "str"):
                return f"list:{item_kind}", item_choices
            return "json", []
        if isinstance(t, Union):
            kinds = {self.cli_kind(v, seen)[0] for v in t.variants}
            if kinds == {"str"}:
                return "str", []  # a string or one of some constants: any string goes
            return "json", []
        return "json", []

    def object_body(self, body: Body) -> Object | None:
        """The object whose fields are the method's parameters, or None: one `body` parameter."""
        resolved = self.api.resolve(body.type)
        if body.kind in ("json", "multipart", "form") and isinstance(resolved, Object):
            return resolved
        return None

    def body_fields(self, body: Body | None) -> list[Field]:
        """The body's parameters: an object body's writable fields, or one `body` (a file when binary)."""
        if body is None:
            return []
        obj = self.object_body(body)
        if obj is not None:
            return writable(obj)
        t: Type = File() if body.kind == "binary" else body.type
        return [Field(name=name_of("body"), wire_name="body", type=t, required=body.required, docs=body.docs)]

    def returns(self, op: Operation, refs: set[str]) -> tuple[str, str, bool]:
        """Return annotation, descriptor, and whether the result needs a `cast` for the type checker.

        A body that is not JSON (a file, audio, JSON Lines, text), or "JSON" whose schema is a bare
        string (a download, as the OpenAI spec's `/files/{id}/content` says), is binary content.
        """
        success = op.success
        if success is None or not success.contents:
            return "None", "T.none()", False
        if binary_media_types(self.api, op):
            return "BinaryResponseContent", "T.binary()", False
        media = next((m for m in success.contents if json_like(m.media_type)), success.contents[0])
        if media.type is None:
            return "object", "T.any()", False
        annotation = self.annotation(media.type, "out", refs)
        descriptor = self.descriptor(media.type, "resource")
        precise = isinstance(media.type, Ref) and self.view_of(media.type).is_class
        return annotation, descriptor, not precise

    def streaming(
        self,
        op: Operation,
        params: list[dict[str, Any]],
        refs: set[str],
        plain: tuple[str, str, bool],
    ) -> dict[str, Any]:
        """How a method answers: `mode` "request" (one result), "stream" (only events) or "either".

        "either" is the `stream: true` pattern: JSON or an event stream, chosen by a boolean `stream`
        field of the body; the method is typed with overloads on that parameter.
        """
        annotation, descriptor, _ = plain
        out: dict[str, Any] = {
            "mode": "request",
            "call": "self._client.request",
            "async_call": "self._client.request",
            "call_args": [f"cast_to={descriptor}"],
            "async_return_annotation": annotation,
            "overloads": [],
        }
        success = op.success
        contents = success.contents if success is not None else ()
        sse = next((m for m in contents if event_stream(m.media_type)), None)
        if sse is None:
            return out
        if sse.type is None:
            event, event_descriptor = "object", "T.any()"
        else:
            event = self.annotation(sse.type, "out", refs)
            event_descriptor = self.descriptor(sse.type, "resource")
        sync_stream, async_stream = f"Stream[{event}]", f"AsyncStream[{event}]"
        others = [m for m in contents if not event_stream(m.media_type)]
        if not others:
            return {
                **out,
                "mode": "stream",
                "call": "stream_request",
                "async_call": "async_stream_request",
                "call_args": [f"event_type={event_descriptor}"],
                "return_annotation": sync_stream,
                "async_return_annotation": async_stream,
                "descriptor": event_descriptor,
                "cast": False,
            }
        nullable = self._stream_flag(op.body)
        flag = next((p for p in params if p["location"] == "body" and p["wire_name"] == "stream"), None)
        if flag is None or nullable is None or not any(json_like(m.media_type) for m in others):
            return out
        required = flag["required"]
        default = "" if required else "omit"
        false = _optional("Literal[False]") if nullable else "Literal[False]"
        omit = "" if required else " | Omit"

        def with_flag(flag_annotation: str, flag_default: str, flag_required: bool) -> list[dict[str, Any]]:
            replaced = [
                {**p, "annotation": flag_annotation, "default": flag_default, "required": flag_required}
                if p is flag
                else p
                for p in params
            ]
            return sorted(replaced, key=_param_order)  # stable: the flag joins the required

        either, async_either = _union(annotation, sync_stream), _union(annotation, async_stream)
        return {
            **out,
            "mode": "either",
            "call": "request_or_stream",
            "async_call": "async_request_or_stream",
            "call_args": [
                f"cast_to={descriptor}",
                f"event_type={event_descriptor}",
                f"stream=bool({flag['name']})",
            ],
            "params": with_flag(f"{false} | Literal[True]{omit}", default, required),
            "return_annotation": either,
            "async_return_annotation": async_either,
            "overloads": [
                {
                    "params": with_flag(false + omit, default, required),
                    "return_annotation": annotation,
                    "async_return_annotation": annotation,
                },
                {
                    "params": with_flag("Literal[True]", "", True),
                    "return_annotation": sync_stream,
                    "async_return_annotation": async_stream,
                },
                {
                    "params": with_flag("bool", "", True),
                    "return_annotation": either,
                    "async_return_annotation": async_either,
                },
            ],
        }

    def paging(self, op: Operation, refs: set[str]) -> dict[str, Any]:
        """A list method's page (mode "page"): the runtime's page class for the operation's scheme,
        its items' type and the fields the scheme reads (`PageScheme`); nothing for other methods."""
        p = op.pagination
        if p is None:
            return {}
        item = self.annotation(p.item_type, "out", refs)
        cls = _PAGE_CLASSES[p.scheme]
        fields = [
            ("items", _tuple_expr(list(p.items)) if p.items else ""),
            ("param", py_str(p.param) if p.param and p.scheme != "link_header" else ""),
            ("has_more", _tuple_expr(list(p.has_more)) if p.has_more else ""),
            ("next", _tuple_expr(list(p.next)) if p.next else ""),
            ("item_field", py_str(p.item_field) if p.item_field else ""),
        ]
        given = [f"                {name}={value},\n" for name, value in fields if value]
        scheme = "scheme=PageScheme(\n" + "".join(given) + "            )" if given else "scheme=PageScheme()"
        args = [f"item_type={self.descriptor(p.item_type, 'resource')}", scheme]
        return {
            "mode": "page",
            "call": "request_page",
            "async_call": "async_request_page",
            "call_args": [f"page_type=Sync{cls}", *args],
            "async_call_args": [f"page_type=Async{cls}", *args],
            "return_annotation": f"Sync{cls}[{item}]",
            "async_return_annotation": f"AsyncPaginator[{item}, Async{cls}[{item}]]",
            "page_classes": [f"Sync{cls}", f"Async{cls}"],
            "cast": False,
            "overloads": [],
        }

    def _stream_flag(self, body: Body | None) -> bool | None:
        """Whether the body's boolean `stream` field is nullable; None when there is no such field."""
        if body is None or body.kind not in ("json", "multipart", "form"):
            return None
        resolved = self.api.resolve(body.type)
        if not isinstance(resolved, Object):
            return None
        for f in resolved.fields:
            if f.wire_name != "stream" or f.read_only:
                continue
            t = self.api.resolve(f.type)
            nullable = isinstance(t, Nullable)
            if isinstance(t, Nullable):
                t = self.api.resolve(t.inner)
            if isinstance(t, Primitive) and t.kind == "boolean":
                return nullable
        return None

    def resource_names(self) -> list[ResourceName]:
        """Every resource, parents before children, with its attribute path, module and class name.

        Class names never shadow a schema's; a nested resource's class and module carry its parents'
        names (`chat.completions` -> `ChatCompletions` in `resources/chat_completions.py`).
        """
        taken_modules: set[str] = {"__init__"}
        taken_classes = {v.class_name for v in self.types.values()}
        taken_classes |= {p.class_name for p in self.params.values()}
        taken_classes |= {f"Async{c}" for c in taken_classes} | {self.client, f"Async{self.client}"}
        out: list[ResourceName] = []

        def walk(
            resources: tuple[Resource, ...], parents: tuple[Resource, ...], prefix: str
        ) -> list[ResourceName]:
            taken_attrs = set(_CLIENT_ATTRS if not parents else _RESOURCE_ATTRS)
            siblings = []
            for resource in resources:
                attr = unique(py_identifier(snake(resource.name.words) or "default"), taken_attrs)
                words = tuple(w for r in (*parents, resource) for w in r.name.words)
                stem = snake(words) or attr.rstrip("_")
                module = unique(py_identifier(stem), taken_modules)  # no keyword, no leading digit
                base = _class_name(pascal(words) or "Default")
                class_name = base if base not in taken_classes else base + "Resource"
                class_name = unique(class_name, taken_classes, sep="")
                taken_classes.add(f"Async{class_name}")
                entry = ResourceName(resource, prefix + attr, attr, module, class_name, [])
                out.append(entry)
                entry.children.extend(walk(resource.children, (*parents, resource), prefix + attr + "."))
                siblings.append(entry)
            return siblings

        walk(self.api.resources, (), "")
        return out

    @functools.cached_property
    def resource_contexts(self) -> list[tuple[ResourceName, dict[str, Any]]]:
        """Every resource's names and its `resource_context`, parents first; made once (the docs target
        reads them too)."""
        return [
            (e, self.resource_context(e.resource, e.path, e.class_name, e.children))
            for e in self.resource_names()
        ]

    # -- the plan ------------------------------------------------------------------------------

    def plan(self) -> list[PlannedFile]:
        header = f"# Generated by sdkgen from {self.api.spec_path}. Do not edit."
        base = {
            "header": header,
            "package_name": self.package,
            "package_version": self.job.package_version,
            "client_name": self.client,
        }
        files: list[PlannedFile] = []
        runtime = {**base, "query_arrays": self.job.query_arrays, "query_objects": self.job.query_objects}
        pkg = self.package

        for module in _RUNTIME_MODULES:
            files.append(PlannedFile(f"{pkg}/{module}.py", f"runtime/{module}.py.jinja", runtime))

        resources = []
        for entry, made in self.resource_contexts:
            ctx = {**made, "module": entry.module, "top": "." not in entry.path}
            ctx["names"] = _wrapper_names(entry.class_name)
            resources.append(ctx)
            module = entry.module
            files.append(PlannedFile(f"{pkg}/resources/{module}.py", "resource.py.jinja", {**base, **ctx}))
        exports = [(r["module"], [f"Async{r['class_name']}", r["class_name"]]) for r in resources]
        files.append(
            PlannedFile(
                f"{pkg}/resources/__init__.py",
                "resources_init.py.jinja",
                {**base, "resources": resources, "exports": exports},
            )
        )

        type_views = sorted(self.types.values(), key=lambda v: v.module)
        for view in type_views:
            # computed where it is rendered, on either core (generator/produce.py)
            context = functools.partial(self._type_file_context, base, view)
            files.append(PlannedFile(f"{pkg}/types/{view.module}.py", "type.py.jinja", context))
        params = sorted(self.params.values(), key=lambda p: p.module)
        for param in params:
            context = functools.partial(self._param_file_context, base, param)
            files.append(PlannedFile(f"{pkg}/types/{param.module}.py", "param.py.jinja", context))
        names = sorted(
            [(v.module, v.class_name) for v in type_views] + [(p.module, p.class_name) for p in params]
        )
        files.append(
            PlannedFile(
                f"{pkg}/types/__init__.py",
                "types_init.py.jinja",
                {**base, "types": names, "exports": [(m, [n]) for m, n in names]},
            )
        )

        server = self.api.servers[0].default_url if self.api.servers else ""
        client_ctx = {
            **base,
            "resources": [r for r in resources if r["top"]],
            "title": self.api.title,
            "api_version": self.api.version,
            "client_doc": self.api.title + (f" (version {self.api.version})." if self.api.version else "."),
            "env_api_key": f"{self.env_prefix}_API_KEY",
            "env_base_url": f"{self.env_prefix}_BASE_URL",
            "env_log": f"{self.env_prefix}_LOG",
            "default_base_url": server,
            **_server_context_of(self.api),
        }
        files.append(PlannedFile(f"{pkg}/_client.py", "client.py.jinja", client_ctx))
        client_ctx["cli_name"] = self.job.cli_name or self.client.lower()
        # the CLI's commands are data, read when the CLI starts: JSON loads faster than Python compiles
        table = _cli_table(resources)
        files.append(
            PlannedFile(
                f"{pkg}/_cli_commands.json",
                "cli_commands.json.jinja",
                {"commands_json": jsontext.dumps(table, indent=1)},
            )
        )
        client_ctx["distribution"] = pkg.replace("_", "-")
        files.append(PlannedFile(f"{pkg}/_cli.py", "cli.py.jinja", client_ctx))
        files.append(PlannedFile(f"{pkg}/__main__.py", "main.py.jinja", client_ctx))
        files.append(PlannedFile(f"{pkg}/__init__.py", "package_init.py.jinja", client_ctx))
        files.append(PlannedFile(f"{pkg}/py.typed", "py.typed.jinja", base))
        operations = sum(len(r["methods"]) for r in resources)
        files.append(
            PlannedFile(
                "pyproject.toml",
                "pyproject.toml.jinja",
                {
                    **client_ctx,
                    "distribution": pkg.replace("_", "-"),
                    "description": _one_line(self.api.title),
                },
            )
        )
        example = _readme_example(resources)
        files.append(
            PlannedFile(
                "README.md", "README.md.jinja", {**client_ctx, "operations": operations, "example": example}
            )
        )
        return files


# -- helpers ---------------------------------------------------------------------------------------


def _server_context_of(api: Api) -> dict[str, Any]:
    """The client's options for the first server's URL variables, and the expression that builds the URL
    from `values` (every variable by its wire name): literal text and keys as string literals, so that
    nothing the spec says is read as code."""
    server = api.servers[0] if api.servers else None
    if server is None or not server.variables:
        return {"server_variables": [], "server_url": ""}
    taken = {"api_key", "base_url", "timeout", "max_retries", "default_headers", "http_client"}
    reserved = _BUILTINS | {"self", "_api_key", "_base_url", "_server_url"}
    names = py_names([v.wire_name for v in server.variables], reserved, taken)
    variables = []
    for v, attr in zip(server.variables, names, strict=True):
        kind = f"Literal[{', '.join(py_str(e) for e in v.enum)}]" if v.enum else "str"
        choices = f" (one of {', '.join(repr(e) for e in v.enum)})" if v.enum else ""
        variables.append(
            {
                "attr": attr,
                "wire": py_str(v.wire_name),
                "annotation": f"Optional[{kind}]",
                "default": py_str(v.default),
                "doc": f"`{attr}`: the server URL's `{{{v.wire_name}}}`{choices}, default {v.default!r}."
                + (f" {v.docs}" if v.docs else ""),
            }
        )
    pieces = [f"values[{py_str(text)}]" if v is not None else py_str(text) for text, v in server.parts]
    return {"server_variables": variables, "server_url": " + ".join(pieces) or '""'}


def _client_name(title: str) -> str:
    """`OpenAI API` -> `OpenAI`: the title without a trailing API/Service/Client, spelled as written."""
    tokens = [t for t in re.split(r"[^A-Za-z0-9]+", title) if t]
    while len(tokens) > 1 and tokens[-1].lower() in ("api", "client", "rest", "sdk"):
        tokens.pop()
    joined = "".join(t[:1].upper() + t[1:] for t in tokens)
    if not joined:
        return "Client"
    if joined[0].isdigit():
        return "Client" + joined
    if keyword.iskeyword(joined) or joined in _RESERVED or joined in _MODULE_RESERVED:
        return joined + "Client"  # a title "None" or "True" must not name a class None
    return joined


def _optional(annotation: str) -> str:
    """`annotation` that also admits None."""
    if annotation in ("object", "None") or annotation.startswith("Optional["):
        return annotation
    if annotation.startswith("Union["):
        parts = _split_union(annotation)
        return annotation if "None" in parts else annotation[:-1] + ", None]"
    return f"Optional[{annotation}]"


def _split_union(annotation: str) -> list[str]:
    if not annotation.startswith("Union["):
        return [annotation]
    inner = annotation[len("Union[") : -1]
    parts, depth, current = [], 0, ""
    for ch in inner:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return parts


def _import_order(names: set[str]) -> list[str]:
    """isort's order for imported members: CONSTANTS, then Classes, then functions."""
    return sorted(names, key=lambda n: (0 if n.isupper() else 1 if n[:1].isupper() else 2, n))


def _typing_names(code: str) -> list[str]:
    names = ("Dict", "List", "Literal", "Mapping", "Optional", "Sequence", "Union")
    return [n for n in names if re.search(rf"\b{n}\[", code)]


def _type_docs(named: NamedType) -> str:
    docs = named.docs or named.title
    if named.deprecated:
        docs = (docs + "\n\nDeprecated.").strip()
    return docs


def _union(*annotations: str) -> str:
    """`Union[...]` of annotations, flattened and without repeats."""
    parts: list[str] = []
    for annotation in annotations:
        parts.extend(p for p in _split_union(annotation) if p not in parts)
    return parts[0] if len(parts) == 1 else "Union[" + ", ".join(parts) + "]"


def _param_order(p: dict[str, Any]) -> tuple[bool, bool]:
    return (not p["positional"], not p["required"])


def _accept(media_types: tuple[str, ...]) -> str:
    """The `Accept` a method sends, where it is not the runtime's default (JSON)."""
    accept = ", ".join(media_types)
    return "" if accept == "application/json" else accept


def _dict_expr(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{py_str(wire)}: {ident}" for wire, ident in pairs) + "}"


def _tuple_expr(items: list[str]) -> str:
    if not items:
        return "()"
    return "(" + ", ".join(py_str(i) for i in items) + ("," if len(items) == 1 else "") + ")"


def _method_docstring(op: Operation, params: list[dict[str, Any]]) -> str:
    parts = [op.description or op.summary or f"{op.method.upper()} {op.path}"]
    if op.deprecated:
        parts.append("Deprecated.")
    documented = [p for p in params if p["docs"]]
    if documented:
        lines = ["Args:"]
        for p in documented:
            paragraphs = [
                textwrap.fill(" ".join(par.split()), width=96, break_long_words=False, break_on_hyphens=False)
                for par in plain_text(p["docs"], keep_code=True).split("\n\n")
            ]
            text = "\n\n".join(paragraphs).replace("\n", "\n      ").replace("\n      \n", "\n\n")
            lines.append(f"  {p['name']}: {text}")
        parts.append("\n\n".join(lines[:1] + ["\n\n".join(lines[1:])]).replace("Args:\n\n", "Args:\n"))
    return "\n\n".join(parts)


_CLI_GLOBAL_FLAGS = {
    "--api-key", "--base-url", "--timeout", "--max-retries", "--raw", "--format", "--transform", "--output",
    "--completion-script", "--help",
}  # fmt: skip


def _first_sentence_line(text: str) -> str:
    first = text.strip().split("\n\n")[0]
    return " ".join(plain_text(first).split())


def cli_word(identifier: str) -> str:
    """A Python name as the CLI spells it: `fine_tuning` -> `fine-tuning`, `list_` -> `list`."""
    return identifier.strip("_").replace("_", "-")


def _cli_method(m: dict[str, Any]) -> dict[str, Value]:
    paged = m["mode"] == "page"
    taken = set(_CLI_GLOBAL_FLAGS) | ({"--all"} if paged else set())
    flags: list[Value] = []
    for p in m["params"]:
        base = "--" + ("-".join(split_words(p["wire_name"])) or cli_word(p["name"]))
        if base in taken:
            base = f"--{p['location']}-{base[2:]}"
        flag = unique(base, taken, sep="-")
        flags.append(
            {
                "flag": flag,
                "dest": p["name"],
                "kind": p["cli_kind"],
                "choices": list(p["cli_choices"]),
                "required": p["required"],
                "help": _first_sentence_line(p["docs"]),
            }
        )
    description = "\n\n".join(
        " ".join(plain_text(part).split()) for part in (m["description"] or "").split("\n\n") if part.strip()
    )
    out: dict[str, Value] = {
        "command": cli_word(m["name"]),
        "method": m["name"],
        "help": _first_sentence_line(m["summary"] or m["description"]),
        "description": description,
        "flags": flags,
    }
    if paged:  # the command takes --all: every item across pages
        out["paged"] = True
    if m["return_annotation"] == "BinaryResponseContent":  # written as it arrives, never held whole
        out["binary"] = True
    return out


def _cli_table(resources: list[dict[str, Any]]) -> list[Value]:
    """The CLI's commands as data: the resource tree (`chat` > `completions` > `create`), one flag a
    parameter, in kebab case; every text plain (no Markdown marks)."""
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for resource in resources:
        attr: str = resource["attr"]
        node = {
            "command": cli_word(attr.rsplit(".", 1)[-1]),
            "attr": attr,
            "help": _first_sentence_line(resource["docs"]),
            "methods": [_cli_method(m) for m in resource["methods"]],
            "resources": [],
        }
        nodes[attr] = node
        parent = nodes.get(attr.rsplit(".", 1)[0]) if "." in attr else None
        (parent["resources"] if parent is not None else roots).append(node)

    def pruned(node: dict[str, Any]) -> dict[str, Any] | None:
        children = [c for c in (pruned(c) for c in node["resources"]) if c is not None]
        if not children and not node["methods"]:
            return None
        if not node["help"]:  # no tag says what it is: its first call's summary, else what it holds
            first = next((m["help"] for m in node["methods"] if m["help"]), "")
            names = [c["command"] for c in children] + [m["command"] for m in node["methods"]]
            node["help"] = first or ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
        return {**node, "resources": children}

    return [n for n in (pruned(r) for r in roots) if n is not None]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _readme_example(resources: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The README's calls: the first operation, the first list that pages, the first binary body; each
    as `{"call": "files.content", "args": '"file_id"'}` (a string parameter by its name, others `...`)."""

    def example(resource: dict[str, Any], method: dict[str, Any]) -> dict[str, str]:
        args = []
        for p in method["params"]:
            if p["required"]:
                value = py_str(p["name"]) if p["annotation"] == "str" else "..."
                args.append(value if p["positional"] else f"{p['name']}={value}")
        return {"call": f"{resource['attr']}.{method['name']}", "args": ", ".join(args)}

    calls = [(r, m) for r in resources for m in r["methods"]]
    if not calls:
        return None
    lists = [example(r, m) for r, m in calls if m["mode"] == "page"]
    binary = [example(r, m) for r, m in calls if m["return_annotation"] == "BinaryResponseContent"]
    return {
        **example(*calls[0]),
        "list": lists[0] if lists else None,
        "binary": binary[0] if binary else None,
    }
