"""Load a spec file (YAML or JSON) into plain data, remembering where every node stands.

YAML is read with YAML 1.2 core-schema meaning, whatever PyYAML's YAML 1.1 habits: `yes`, `no`, `on`, `off`,
`y`, dates and times stay the strings they were written as. PyYAML's C parser composes the node graph when
available (about four times faster than the pure-Python one); we turn nodes into data ourselves.
Knows nothing of OpenAPI.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, Location, SpecError

__all__ = ["MAX_BYTES", "MAX_NODES", "Document", "load", "loads"]

MAX_BYTES = 64 * 1024 * 1024
#: how many nodes a document may expand to, aliases counted each time they are used (alias bombs)
MAX_NODES = 5_000_000

_PLAIN = "!sdkgen/plain"
_STR = "tag:yaml.org,2002:str"

# libyaml's C parser and composer, about four times faster than PyYAML's Python ones
try:
    import yaml.cyaml

    _CParser: Any = getattr(yaml.cyaml, "CParser", None)
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None


def _resolve(self: Any, kind: Any, value: Any, implicit: Any) -> str:
    """Plain scalars get a marker tag, resolved later by YAML 1.2 rules; the rest as PyYAML does."""
    if kind is ScalarNode and implicit[0]:
        return _PLAIN
    return str(yaml.resolver.BaseResolver.resolve(self, kind, value, implicit))  # type: ignore[no-untyped-call]


if _CParser is not None:

    class _Loader(_CParser, yaml.resolver.BaseResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.resolver.BaseResolver.__init__(self)

        resolve = _resolve

else:  # pragma: no cover

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        yaml.resolver.BaseResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)

        resolve = _resolve


_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


def _plain_scalar(text: str) -> Any:
    """A plain scalar by the YAML 1.2 core schema."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return text


def _tagged_scalar(tag: str, text: str) -> Any:
    if tag == _STR or not tag.startswith("tag:yaml.org,2002:"):
        return text
    kind = tag.rsplit(":", 1)[1]
    value = _plain_scalar(text)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "null" and value is None:
        return None
    return text  # timestamps, binary and anything else: the text as written


@dataclass(frozen=True, eq=False)
class Document:
    """A loaded spec: its data, its text, and where each node stands in the file."""

    path: str
    data: Any
    source_text: str
    _positions: dict[int, dict[Any, tuple[int, int]]] = field(default_factory=dict, repr=False)
    _lazy: Callable[[], dict[int, dict[Any, tuple[int, int]]]] | None = field(default=None, repr=False)

    def locate(self, pointer: str) -> Location | None:
        """Where the node at a JSON pointer starts; for a missing node, its closest existing ancestor."""
        if self._lazy is not None and not self._positions:
            try:
                self._positions.update(self._lazy())
            except Exception:  # a location is a courtesy: never fail over it
                return None
        tokens = pointer.lstrip("#").split("/")[1:] if pointer.lstrip("#") else []
        node = self.data
        where = (1, 1)
        for raw in tokens:
            token = raw.replace("~1", "/").replace("~0", "~")
            positions = self._positions.get(id(node), {})
            if isinstance(node, dict) and token in node:
                key: Any = token
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                key = int(token)
            else:
                break
            where = positions.get(key, where)
            node = node[key]
        return Location(self.path, where[0], where[1])


def _error(path: str, message: str, line: int = 1, column: int = 1, pointer: str = "") -> SpecError:
    return SpecError([Diagnostic("error", message, pointer=pointer, location=Location(path, line, column))])


class _Builder:
    """Turns a composed node graph into data; aliases share one object; expansion is bounded."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.positions: dict[int, dict[Any, tuple[int, int]]] = {}
        self.done: dict[int, tuple[Any, int]] = {}  # id(node) -> (value, expanded size)

    def build(self, node: Node) -> Any:
        value, size = self.node(node, 0)
        if size > MAX_NODES:  # pragma: no cover - caught inside as soon as it is crossed
            raise self.too_big(node)
        return value

    def too_big(self, node: Node) -> SpecError:
        return _error(
            self.path,
            f"the document expands to more than {MAX_NODES:,} nodes (anchors and aliases used as a 'billion"
            " laughs' bomb?)",
            node.start_mark.line + 1,
            node.start_mark.column + 1,
        )

    def node(self, node: Node, depth: int) -> tuple[Any, int]:
        known = self.done.get(id(node))
        if known is not None:
            return known
        if depth > 500:
            raise _error(
                self.path,
                "the document nests more than 500 levels deep",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        if isinstance(node, ScalarNode):
            value = _plain_scalar(node.value) if node.tag == _PLAIN else _tagged_scalar(node.tag, node.value)
            return value, 1
        if isinstance(node, SequenceNode):
            items: list[Any] = []
            self.done[id(node)] = (items, 1)  # a recursive alias sees the list being built
            where: dict[Any, tuple[int, int]] = {}
            size = 1
            for i, child in enumerate(node.value):
                value, child_size = self.node(child, depth + 1)
                items.append(value)
                where[i] = (child.start_mark.line + 1, child.start_mark.column + 1)
                size += child_size
                if size > MAX_NODES:
                    raise self.too_big(node)
            self.positions[id(items)] = where
            self.done[id(node)] = (items, size)
            return items, size
        if isinstance(node, MappingNode):
            mapping: dict[str, Any] = {}
            self.done[id(node)] = (mapping, 1)
            where = {}
            lines: dict[str, int] = {}
            size = 1
            for key_node, value_node in node.value:
                if (
                    isinstance(key_node, ScalarNode)
                    and key_node.tag in (_PLAIN, "tag:yaml.org,2002:merge")
                    and key_node.value == "<<"
                ):
                    size += self.merge(mapping, where, value_node, depth)
                    continue
                if not isinstance(key_node, ScalarNode):
                    raise _error(
                        self.path,
                        "a mapping key must be a scalar",
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                    )
                key = key_node.value
                if key in lines:
                    raise _error(
                        self.path,
                        f"duplicate key '{key}' (first on line {lines[key]})",
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                    )
                lines[key] = key_node.start_mark.line + 1
                value, child_size = self.node(value_node, depth + 1)
                mapping[key] = value
                where[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
                size += child_size
                if size > MAX_NODES:
                    raise self.too_big(node)
            self.positions[id(mapping)] = where
            self.done[id(node)] = (mapping, size)
            return mapping, size
        raise _error(self.path, f"unexpected YAML node {type(node).__name__}")  # pragma: no cover

    def merge(
        self, mapping: dict[str, Any], where: dict[Any, tuple[int, int]], node: Node, depth: int
    ) -> int:
        """YAML 1.1 merge keys (`<<: *base`), still common in real specs: explicit keys win."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        size = 0
        for source in sources:
            value, child_size = self.node(source, depth + 1)
            if not isinstance(value, dict):
                raise _error(
                    self.path,
                    "a merge key (<<) must merge mappings",
                    source.start_mark.line + 1,
                    source.start_mark.column + 1,
                )
            source_where = self.positions.get(id(value), {})
            for k, v in value.items():
                if k not in mapping:
                    mapping[k] = v
                    where[k] = source_where.get(k, (source.start_mark.line + 1, source.start_mark.column + 1))
            size += child_size
        return size


def _compose(text: str, path: str) -> tuple[Any, dict[int, dict[Any, tuple[int, int]]]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "not valid YAML"
        context = ""
        if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
            where = f"line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}"
            context = f" ({exc.context} that starts at {where})"
        elif exc.context:
            context = f" ({exc.context})"
        raise _error(
            path,
            f"YAML syntax error: {problem}{context}",
            (mark.line + 1) if mark else 1,
            (mark.column + 1) if mark else 1,
        ) from None
    except yaml.YAMLError as exc:
        raise _error(path, f"YAML syntax error: {exc}") from None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()
    if node is None:
        raise _error(path, "the file is empty: expected an OpenAPI document")
    builder = _Builder(path)
    try:
        data = builder.build(node)
    except RecursionError:
        raise _error(path, "the document nests too deeply to read") from None
    return data, builder.positions


def _remap(
    composed: Any, positions: dict[int, dict[Any, tuple[int, int]]], target: Any
) -> dict[int, dict[Any, tuple[int, int]]]:
    """Positions keyed by the containers of `target`, from a second (YAML) reading of the same JSON."""
    out: dict[int, dict[Any, tuple[int, int]]] = {}
    stack = [(composed, target)]
    while stack:
        a, b = stack.pop()
        if isinstance(a, dict) and isinstance(b, dict):
            out[id(b)] = positions.get(id(a), {})
            stack.extend((v, b[k]) for k, v in a.items() if k in b)
        elif isinstance(a, list) and isinstance(b, list):
            out[id(b)] = positions.get(id(a), {})
            stack.extend(zip(a, b, strict=False))
    return out


def loads(text: str, path: str = "<string>") -> Document:
    """Load spec text; `path` is only used in diagnostics."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise _error(path, "the file is empty: expected an OpenAPI document")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicates)
        except _DuplicateKey as exc:
            raise _located_json_error(text, path, exc.key) from None
        except json.JSONDecodeError as exc:
            raise _error(path, f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno) from None
        except RecursionError:
            raise _error(path, "the document nests too deeply to read") from None
        _check_top(data, path)

        def lazy() -> dict[int, dict[Any, tuple[int, int]]]:
            # JSON is YAML 1.2 flow syntax: read it once more, only when a location is asked for
            composed, positions = _compose(text, path)
            return _remap(composed, positions, data)

        return Document(path, data, text, {}, lazy)
    data, positions = _compose(text, path)
    _check_top(data, path)
    return Document(path, data, text, positions)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _located_json_error(text: str, path: str, key: str) -> SpecError:
    try:
        _compose(text, path)
    except SpecError as exc:
        return exc
    return _error(path, f"duplicate key '{key}'")


def _check_top(data: Any, path: str) -> None:
    if not isinstance(data, dict):
        kind = (
            "a list"
            if isinstance(data, list)
            else f"a {type(data).__name__}"
            if data is not None
            else "empty"
        )
        raise _error(
            path, f"the document is {kind}, not an OpenAPI mapping (expected 'openapi: 3.x' at the top)"
        )


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Document:
    """Load a spec file. Every problem is a SpecError with one diagnostic that says where."""
    shown = os.fspath(path)
    file = Path(shown)
    try:
        size = file.stat().st_size
        if file.is_dir():
            raise _error(shown, "is a folder, not a spec file")
        if size > max_bytes:
            raise _error(
                shown,
                f"the file is {size:,} bytes, more than the limit of {max_bytes:,} (raise it with"
                " --max-bytes)",
            )
        raw = file.read_bytes()
    except FileNotFoundError:
        raise _error(shown, "no such file") from None
    except PermissionError:
        raise _error(shown, "permission denied") from None
    except OSError as exc:
        raise _error(shown, f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _error(
            shown, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at offset {exc.start}", line, column
        ) from None
    return loads(text, shown)
