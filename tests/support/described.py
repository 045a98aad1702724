"""What a spec documents: every parameter and object property that has a description, found where specs
write it: beside the schema, inside the one non-null member of a nullable `anyOf`/`oneOf`, or in an
`allOf` wrapper (beside it, or inside its one member, `$ref` or not). Descriptions of referenced
components are the component's, not the property's, and are not counted here.

Also the words a description reads as in any target, so that a target's output can be searched for it
whatever markup it keeps or converts (Markdown, POD codes, HTML, docstrings, JSDoc).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Described", "described", "described_items", "signature", "words"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Described:
    """A documented parameter (`owner` is the operation's pointer, `location` its `in`) or property
    (`owner` is the pointer of the object schema that declares it, `location` is "property")."""

    owner: str
    location: str
    name: str
    docs: str


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _null(node: Any) -> bool:
    return isinstance(node, Mapping) and node.get("type") == "null" and len(node) == 1


def described(node: Any) -> str:
    """The description a schema (or parameter) writes for itself, wherever specs put it."""
    if not isinstance(node, Mapping):
        return ""
    text = node.get("description")
    if isinstance(text, str) and text.strip():
        return text
    for key in ("anyOf", "oneOf", "allOf"):
        members = node.get(key)
        if not isinstance(members, list):
            continue
        others = [m for m in members if not _null(m)]
        if len(others) == 1 and (key == "allOf" or len(members) == 2):
            inner = others[0]
            text = inner.get("description") if isinstance(inner, Mapping) else None
            if isinstance(text, str) and text.strip():
                return text
    return ""


def _deref(doc: Mapping[str, Any], node: Any) -> Any:
    seen = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        target: Any = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, Mapping) else None
        node = target
    return node


def _schemas(node: Any, pointer: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every schema node under `node` (not following `$ref`), with its pointer."""
    if not isinstance(node, Mapping):
        return
    yield pointer, node
    props = node.get("properties")
    if isinstance(props, Mapping):
        for key, value in props.items():
            yield from _schemas(value, f"{pointer}/properties/{_escape(str(key))}")
    for key in ("items", "additionalProperties", "not"):
        yield from _schemas(node.get(key), f"{pointer}/{key}")
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        members = node.get(key)
        if isinstance(members, list):
            for i, member in enumerate(members):
                yield from _schemas(member, f"{pointer}/{key}/{i}")


def described_items(doc: Mapping[str, Any]) -> Iterator[Described]:
    """Every parameter and property of `doc` (an OpenAPI 3 document) that has a description."""
    roots: list[tuple[str, Any]] = []
    for name, schema in (doc.get("components", {}).get("schemas") or {}).items():
        roots.append((f"#/components/schemas/{_escape(name)}", schema))
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        shared = {
            (p.get("in"), p.get("name")): p
            for p in (_deref(doc, raw) for raw in item.get("parameters") or [])
            if isinstance(p, Mapping)
        }
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping):
                continue
            where = f"#/paths/{_escape(path)}/{method}"
            params = dict(shared)
            for raw in op.get("parameters") or []:
                p = _deref(doc, raw)
                if isinstance(p, Mapping):
                    params[(p.get("in"), p.get("name"))] = p
            for (location, name), p in params.items():
                text = described(p) or described(p.get("schema"))
                if text and location in ("path", "query", "header", "cookie"):
                    yield Described(where, str(location), str(name), text)
            body = _deref(doc, op.get("requestBody"))
            for media, content in ((body or {}).get("content") or {}).items():
                pointer = f"{where}/requestBody/content/{_escape(media)}/schema"
                roots.append((pointer, content.get("schema") if isinstance(content, Mapping) else None))
            for status, response in (op.get("responses") or {}).items():
                if isinstance(response, Mapping) and "$ref" in response:
                    continue  # a component response: the same schemas wherever it is used
                for media, content in ((response or {}).get("content") or {}).items():
                    pointer = f"{where}/responses/{_escape(str(status))}/content/{_escape(media)}/schema"
                    roots.append((pointer, content.get("schema") if isinstance(content, Mapping) else None))
    for root_pointer, root in roots:
        for pointer, node in _schemas(root, root_pointer):
            props = node.get("properties")
            if not isinstance(props, Mapping):
                continue
            for name, prop in props.items():
                text = described(prop)
                if text:
                    yield Described(pointer, "property", str(name), text)


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # a Markdown link: its text is what reads
_POD_LINK = re.compile(r"L<([^|>]*)\|[^>]*>")  # POD's L<text|url>
_POD_CODE = re.compile(r"(?<![A-Za-z])[BCFIL]<+ ?")  # POD's formatting codes open so
_POD_ESCAPE = {"E<lt>": "<", "E<gt>": ">", "E<verbar>": "|", "E<sol>": "/"}
_URL = re.compile(r"(?:https?|mailto):[^\s)>\]\"'<]*")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")  # an HTML tag (not `<|endoftext|>`)
_WORD = re.compile(r"[0-9A-Za-z]+")


def words(text: str, *, kind: str = "text") -> str:
    """`text` as its words, lower case, one space apart: links read as their text, URLs and HTML tags
    dropped. `kind` says what a target's output is beside text: "html" (tags and entities, the spec's own
    HTML escaped), "pod" (formatting codes and `E<>` escapes)."""
    if kind == "html":
        text = html.unescape(_TAG.sub(" ", text))
    elif kind == "pod":
        text = _POD_LINK.sub(r"\1", text)
        for code, char in _POD_ESCAPE.items():
            text = text.replace(code, char)
        text = _POD_CODE.sub(" ", text)
    text = _URL.sub(" ", _LINK.sub(r" \1 ", _TAG.sub(" ", text)))
    return " ".join(w.lower() for w in _WORD.findall(text))


def signature(docs: str, length: int = 8) -> str:
    """The first words of a description's first paragraph: what any target that shows it must show (a
    command line's help shows the first paragraph)."""
    first = re.split(r"\n[ \t]*\n", docs.strip(), maxsplit=1)[0]
    return " ".join(words(first).split()[:length])
