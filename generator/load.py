"""Load a spec file (YAML or JSON) into plain data, remembering where every node stands.

YAML is read with YAML 1.2 core-schema meaning, whatever PyYAML's YAML 1.1 habits: `yes`, `no`, `on`, `off`,
`y`, dates and times stay the strings they were written as; only `true`/`false` (three spellings each) are
booleans. libyaml's C parser (PyYAML's `CParser`) turns the text into events and we build the data from them
ourselves, with an explicit stack: that is faster than PyYAML's composer (which resolves every scalar in
Python and builds a node graph first) and, unlike the C composer, cannot overflow the C stack on a deeply
nested document. JSON goes through `json` (the speed of C); its locations are only worked out when asked for.

Where things stand: for every mapping and sequence, the line and column of each value (of its key, when the
value is a block mapping or sequence, so a message about `#/paths/~1a/get` points at `get:`), keyed by the
container's identity rather than by pointer strings, which would cost as much as the loading itself.

Knows nothing of OpenAPI.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .diagnostics import Diagnostic, Location, SpecError, pointer_split

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Document", "load", "loads"]

#: the largest spec file read, in bytes (`load(..., max_bytes=)`, `--max-bytes`)
MAX_BYTES = 64 * 1024 * 1024
#: how many nodes a document may expand to, aliases counted each time they are used (alias bombs)
MAX_NODES = 5_000_000
#: how deeply mappings and sequences may nest
MAX_DEPTH = 500

_CParser: Any = None  # libyaml's parser, when PyYAML was built with it
try:
    import yaml.cyaml

    _CParser = yaml.cyaml.CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    pass

_TAGS = "tag:yaml.org,2002:"
_MERGE_TAG = _TAGS + "merge"

# ---------------------------------------------------------------------------------------------------------
# YAML 1.2 core schema

_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
# a plain scalar starting with anything else is a string: most of them, so they are told apart at once
_MAYBE_NOT_STR = frozenset("0123456789+-.~nNtTfF")


def _plain_scalar(text: str) -> Any:
    """A plain (unquoted, untagged) scalar by the YAML 1.2 core schema."""
    if not text:
        return None
    if text[0] not in _MAYBE_NOT_STR:
        return text
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
        return -math.inf if text[0] == "-" else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return text


class _BadTag(Exception):
    pass


def _tagged_scalar(tag: str, text: str) -> Any:
    """A scalar with an explicit tag: `!!str`, `!!int`, `!!float`, `!!bool`, `!!null` are honoured, others
    (`!!timestamp`, `!!binary`, local tags) keep the text as written."""
    if not tag.startswith(_TAGS):
        return text
    kind = tag[len(_TAGS) :]
    if kind not in ("int", "float", "bool", "null"):
        return text
    value = _plain_scalar(text)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "null" and value is None:
        return None
    raise _BadTag(f"'{text}' cannot be read as !!{kind}")


# ---------------------------------------------------------------------------------------------------------
# the document


@dataclass(frozen=True, eq=False)
class _Index:
    """Where values stand: id(container) -> (container, positions of its values), plus the root's position.

    A mapping's positions are a dict by key, a sequence's a list by index; a position is (line, column)."""

    containers: dict[int, tuple[Any, Any]]
    root: tuple[int, int]


@dataclass(frozen=True, eq=False)
class Document:
    """A loaded spec: its data, its text, and where each node stands in the file."""

    path: str
    data: Any
    source_text: str
    _index: _Index | None = field(default=None, repr=False)
    _lazy: Callable[[], _Index] | None = field(default=None, repr=False)

    def locate(self, pointer: str) -> Location | None:
        """Where the node at a JSON pointer (`#/a/b` or `/a/b`) stands; for a missing node, its closest
        existing ancestor. None when the document has no positions (built by hand, not loaded)."""
        index = self._index
        if index is None:
            if self._lazy is None:
                return None
            try:
                index = self._lazy()
            except Exception:  # a location is a courtesy: never fail over it
                return None
            object.__setattr__(self, "_index", index)
        line, column = index.root
        node = self.data
        for token in pointer_split(pointer):
            entry = index.containers.get(id(node))
            where = entry[1] if entry is not None and entry[0] is node else None
            if isinstance(node, dict):
                if token not in node:
                    token = unquote(token) if "%" in token else token
                    if token not in node:
                        break
                if where is not None and token in where:
                    line, column = where[token]
                node = node[token]
            elif isinstance(node, list):
                if not (token.isascii() and token.isdigit()) or int(token) >= len(node):
                    break
                i = int(token)
                if where is not None and i < len(where):
                    line, column = where[i]
                node = node[i]
            else:
                break
        return Location(self.path, line, column)


def _error(path: str, message: str, line: int = 1, column: int = 1) -> SpecError:
    return SpecError([Diagnostic("error", message, location=Location(path, line, column))])


# ---------------------------------------------------------------------------------------------------------
# YAML: events to data


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python parser, for a PyYAML built without libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _parser(text: str) -> Any:
    return _CParser(text) if _CParser is not None else _PyParser(text)


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = (
        "anchor",
        "block",
        "column",
        "container",
        "explicit",
        "is_map",
        "key",
        "key_at",
        "line",
        "size",
        "where",
    )

    def __init__(self, container: Any, is_map: bool, line: int, column: int, block: bool, anchor: str | None):
        self.container = container
        self.is_map = is_map
        self.where: Any = {} if is_map else []
        self.line = line
        self.column = column
        self.block = block
        self.anchor = anchor
        self.size = 1
        self.key: Any = _NO_KEY  # the key waiting for its value (mappings)
        self.key_at = (line, column)
        self.explicit: dict[str, int] = {}  # key -> line, for keys written out (not merged in)


_NO_KEY = object()
_MERGE = object()
_BUILDING = object()


class _YamlBuilder:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.containers: dict[int, tuple[Any, Any]] = {}
        # anchor -> (value, expanded size, text when a scalar) or _BUILDING
        self.anchors: dict[str, Any] = {}

    def fail(self, message: str, line: int, column: int) -> SpecError:
        return _error(self.path, message, line, column)

    def too_big(self, frame: _Frame) -> SpecError:
        return self.fail(
            f"the document expands to more than {MAX_NODES:,} nodes (anchors and aliases used as a 'billion"
            " laughs' bomb?)",
            frame.line,
            frame.column,
        )

    def build(self) -> tuple[Any, _Index]:
        parser: Any = None
        try:
            parser = _parser(self.text)  # the pure-Python reader checks the characters at once
            return self.events(parser.get_event)
        except yaml.MarkedYAMLError as exc:
            raise self.syntax_error(exc) from None
        except yaml.reader.ReaderError as exc:
            line, column = self.line_column(exc.position)
            what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
            raise self.fail(
                f"YAML syntax error: unacceptable character {what}: {exc.reason}", line, column
            ) from None
        except yaml.YAMLError as exc:  # pragma: no cover - every parser error has a mark
            raise self.fail(f"YAML syntax error: {exc}", 1, 1) from None
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose is not None:
                dispose()

    def line_column(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        start = self.text.rfind("\n", 0, offset) + 1
        return self.text.count("\n", 0, offset) + 1, offset - start + 1

    def syntax_error(self, exc: yaml.MarkedYAMLError) -> SpecError:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "not valid YAML"
        if "maximum nesting depth" in problem:  # newer libyaml stops deep nesting itself, before we count
            return self.fail(
                f"the document nests more than {MAX_DEPTH} levels deep",
                (mark.line + 1) if mark else 1,
                (mark.column + 1) if mark else 1,
            )
        context = ""
        if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
            where = f"line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}"
            context = f" ({exc.context} that starts at {where})"
        elif exc.context:
            context = f" ({exc.context})"
        return self.fail(
            f"YAML syntax error: {problem}{context}",
            (mark.line + 1) if mark else 1,
            (mark.column + 1) if mark else 1,
        )

    def events(self, get: Callable[[], Any]) -> tuple[Any, _Index]:
        get()  # StreamStartEvent
        event = get()
        if isinstance(event, StreamEndEvent):
            raise self.fail("the file is empty: expected an OpenAPI document", 1, 1)
        root, root_at = self.document(get)
        event = get()
        if not isinstance(event, StreamEndEvent):
            raise self.fail(
                "the file holds more than one YAML document (`---`); a spec is one document",
                event.start_mark.line + 1,
                event.start_mark.column + 1,
            )
        return root, _Index(self.containers, root_at)

    def document(self, get: Callable[[], Any]) -> tuple[Any, tuple[int, int]]:
        """Build one document from its events, up to and including DocumentEndEvent."""
        stack: list[_Frame] = []
        root: Any = _NO_KEY
        root_at = (1, 1)
        anchors = self.anchors
        plain = _plain_scalar

        while True:
            event = get()
            kind = event.__class__
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1

            if kind is ScalarEvent:
                tag = event.tag
                text = event.value
                frame = stack[-1] if stack else None
                if frame is not None and frame.is_map and frame.key is _NO_KEY and event.anchor is None:
                    # a key: a string as written (`200:` is the key "200"), or the merge key `<<`
                    if (tag is None and event.implicit[0] and text == "<<") or tag == _MERGE_TAG:
                        frame.key = _MERGE
                    else:
                        frame.key = text
                    frame.key_at = (line, column)
                    continue
                if tag is None:
                    value = plain(text) if event.implicit[0] else text
                elif tag == "!":
                    value = text
                else:
                    try:
                        value = _tagged_scalar(tag, text)
                    except _BadTag as exc:
                        raise self.fail(f"YAML: {exc}", line, column) from None
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1, text)
                if frame is None:
                    root, root_at = value, (line, column)
                elif frame.is_map and frame.key is _NO_KEY:  # an anchored key
                    frame.key = text
                    frame.key_at = (line, column)
                else:
                    self.add(frame, value, 1, line, column, False)

            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                is_map = kind is MappingStartEvent
                if stack:
                    parent = stack[-1]
                    if parent.is_map and parent.key is _NO_KEY:
                        raise self.fail(
                            "a mapping key must be a scalar, not a " + ("mapping" if is_map else "sequence"),
                            line,
                            column,
                        )
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(f"the document nests more than {MAX_DEPTH} levels deep", line, column)
                container: Any = {} if is_map else []
                anchor = event.anchor
                if anchor is not None:
                    anchors[anchor] = _BUILDING
                stack.append(_Frame(container, is_map, line, column, not event.flow_style, anchor))

            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                value = frame.container
                self.containers[id(value)] = (value, frame.where)
                if frame.anchor is not None:
                    anchors[frame.anchor] = (value, frame.size, None)
                if stack:
                    self.add(stack[-1], value, frame.size, frame.line, frame.column, frame.block)
                    continue
                root, root_at = value, (frame.line, frame.column)

            elif kind is AliasEvent:
                target = anchors.get(event.anchor)
                if target is None:
                    raise self.fail(f"YAML: alias '*{event.anchor}' refers to no anchor", line, column)
                if target is _BUILDING:
                    raise self.fail(
                        f"YAML: alias '*{event.anchor}' refers to a collection that contains it (recursive"
                        " data cannot be a spec)",
                        line,
                        column,
                    )
                value, size, text = target
                if stack:
                    frame = stack[-1]
                    if frame.is_map and frame.key is _NO_KEY:
                        if text is None:
                            raise self.fail(
                                "a mapping key must be a scalar, not an aliased collection", line, column
                            )
                        frame.key = text
                        frame.key_at = (line, column)
                        continue
                    self.add(frame, value, size, line, column, False)
                    continue
                root, root_at = value, (line, column)

            elif kind is DocumentEndEvent:
                return root, root_at

    def add(self, frame: _Frame, value: Any, size: int, line: int, column: int, block: bool) -> None:
        """Put a finished value into the mapping or sequence being built."""
        frame.size += size
        if frame.size > MAX_NODES:
            raise self.too_big(frame)
        if not frame.is_map:
            frame.container.append(value)
            frame.where.append((line, column))
            return
        key = frame.key
        frame.key = _NO_KEY
        if key is _MERGE:
            self.merge(frame, value, line, column)
            return
        first = frame.explicit.get(key)
        if first is not None:
            raise self.fail(f"duplicate key '{key}' (first on line {first})", *frame.key_at)
        frame.explicit[key] = frame.key_at[0]
        frame.container[key] = value
        # a block mapping or sequence is shown by its key: `get:` rather than the first line inside it
        frame.where[key] = frame.key_at if block else (line, column)

    def merge(self, frame: _Frame, value: Any, line: int, column: int) -> None:
        """YAML 1.1 merge keys (`<<: *base`, `<<: [*a, *b]`), still common in real specs: keys written out
        win, then the first mapping merged."""
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                raise self.fail("a merge key (<<) must merge mappings", line, column)
            entry = self.containers.get(id(source))
            source_where = entry[1] if entry is not None else {}
            for k, v in source.items():
                if k not in frame.container:
                    frame.container[k] = v
                    frame.where[k] = source_where.get(k, (line, column))


# ---------------------------------------------------------------------------------------------------------
# JSON


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _DuplicateKey
    return out


_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.DOTALL)


def _json_index(text: str, path: str, data: Any) -> _Index:
    """Positions for JSON text already parsed into `data`: one pass over its tokens, walking `data` alongside.

    Also finds the first duplicate key (json's own parser keeps the last silently), raised as a SpecError."""
    newlines = [m.start() for m in re.finditer("\n", text)]

    def at(offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(newlines, offset)
        return line + 1, offset - (newlines[line - 1] + 1 if line else 0) + 1

    containers: dict[int, tuple[Any, Any]] = {}
    # frames: [container, positions, is_map, key (or index), expecting a key, keys seen: key -> offset]
    stack: list[list[Any]] = []
    root_at = (1, 1)
    tokens = _JSON_TOKEN.finditer(text)
    for match in tokens:
        token = match.group()
        first = token[0]
        if first == "," or first == ":":
            continue
        if first == "}" or first == "]":
            stack.pop()
            continue
        frame = stack[-1] if stack else None
        if frame is not None and frame[2] and frame[4]:  # a key
            key = token[1:-1] if "\\" not in token else json.loads(token)
            seen = frame[5]
            if key in seen:
                first_line = at(seen[key])[0]
                raise _error(path, f"duplicate key '{key}' (first on line {first_line})", *at(match.start()))
            seen[key] = match.start()
            frame[3] = key
            frame[4] = False
            continue
        # a value: where it stands, and which container of `data` it is when it opens one
        position = at(match.start())
        if frame is None:
            node = data
            root_at = position
        elif frame[2]:
            node = frame[0].get(frame[3]) if isinstance(frame[0], dict) else None
            frame[1][frame[3]] = position
            frame[4] = True
        else:
            index = frame[3]
            node = frame[0][index] if isinstance(frame[0], list) and index < len(frame[0]) else None
            frame[1].append(position)
            frame[3] = index + 1
        if first == "{" or first == "[":
            is_map = first == "{"
            where: Any = {} if is_map else []
            if node is not None:
                containers[id(node)] = (node, where)
            stack.append([node, where, is_map, 0, True, {}])
    return _Index(containers, root_at)


def _json_depth_ok(data: Any) -> bool:
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return True


_SURROGATE = re.compile(r"\\u([dD][89a-fA-F][0-9a-fA-F]{2})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?")


def _check_surrogates(text: str, path: str, data: Any) -> None:
    """JSON can escape half a UTF-16 pair (`"\\ud800"`), which is no character and cannot be written out."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        for match in _SURROGATE.finditer(text):
            high, low = match.group(1), match.group(2)
            if int(high, 16) >= 0xDC00 or low is None:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                message = f"invalid Unicode: the escape \\u{high} is half a UTF-16 surrogate pair"
                raise _error(path, message, line, column) from None
        raise _error(path, "invalid Unicode: the document holds a lone UTF-16 surrogate") from None


def _load_json(text: str, path: str) -> Document:
    data = json.loads(text, object_pairs_hook=_no_duplicates)
    if not _json_depth_ok(data):
        raise _error(path, f"the document nests more than {MAX_DEPTH} levels deep")
    if "\\u" in text and _SURROGATE.search(text):
        _check_surrogates(text, path, data)
    _check_top(data, path, (1, 1))
    return Document(path, data, text, None, lambda: _json_index(text, path, data))


# ---------------------------------------------------------------------------------------------------------
# entry points


def _check_top(data: Any, path: str, at: tuple[int, int]) -> None:
    if isinstance(data, dict):
        return
    kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}" if data is not None else "empty"
    raise _error(
        path, f"the document is {kind}, not an OpenAPI mapping (expected 'openapi: 3.x' at the top)", *at
    )


def loads(text: str, path: str = "<string>") -> Document:
    """Load spec text (YAML or JSON); `path` is only used in diagnostics."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise _error(path, "the file is empty: expected an OpenAPI document")
    if text.lstrip().startswith("{"):
        # most likely JSON, which `json` reads far faster; YAML flow style also starts with `{`
        try:
            return _load_json(text, path)
        except _DuplicateKey:
            _json_index(text, path, None)  # raises the located duplicate
            raise _error(path, "duplicate key") from None  # pragma: no cover - found by the index
        except RecursionError:
            raise _error(path, f"the document nests more than {MAX_DEPTH} levels deep") from None
        except json.JSONDecodeError as exc:
            json_error = _error(path, f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno)
            if path.lower().endswith(".json"):
                raise json_error from None
        try:
            data, index = _YamlBuilder(text, path).build()
        except SpecError:
            if path.lower().endswith((".yaml", ".yml")):
                raise
            raise json_error from None
    else:
        data, index = _YamlBuilder(text, path).build()
    _check_top(data, path, index.root)
    return Document(path, data, text, index)


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Document:
    """Load a spec file. Every problem is a SpecError with one diagnostic that says where."""
    shown = os.fspath(path)
    file = Path(shown)
    try:
        if file.is_dir():
            raise _error(shown, "is a folder, not a spec file")
        with file.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            raw = stream.read(max_bytes + 1)
        size = max(size, len(raw))
    except FileNotFoundError:
        raise _error(shown, "no such file") from None
    except PermissionError:
        raise _error(shown, "permission denied") from None
    except OSError as exc:
        raise _error(shown, f"cannot be read: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise _error(
            shown,
            f"the file is {size:,} bytes, more than the limit of {max_bytes:,} (raise it with --max-bytes)",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        hint = ""
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = " (the file looks like UTF-16: save it as UTF-8)"
        raise _error(
            shown, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at offset {exc.start}{hint}", line, column
        ) from None
    return loads(text, shown)
