"""Operations into a tree of resources, and method names, as users of the official SDKs know them.

Resources come from the path's nouns, as the path spells them, nested where the path nests
(`/fine_tuning/jobs/{id}/checkpoints` -> `fine_tuning.jobs.checkpoints`). Methods are named by REST
shape: `list` and `create` on a collection, `retrieve`, `update` and `delete` on an item (or on a
singleton such as `/organization/data_retention`, whose GET returns one object), and an action
sub-path's own verb (`/batches/{id}/cancel` -> `batches.cancel`, `/files/{id}/content` ->
`files.content`).

What paths cannot say, operationIds and tags hint at:
- a single call on a sub-path of a collection, or of a group of single calls
  (`/images/variations`, `createImageVariation`), is a method of the parent named by the
  operationId without the resource's nouns (`images.create_variation`), or by the sub-path when
  that is no plural noun (`/responses/compact` -> `responses.compact`);
- flat RPC-style paths (`/getUser`, `/users.list`) take the tag or the dotted prefix as resource.
Two methods that would share a name keep their operationIds' words instead.

The job's `names` table decides what only the API's owner can: `"/assistants" = "beta.assistants"`
moves every operation under a path prefix to a resource, `createImage = "images.generate"` (or
`"POST /images/generations" = "images.generate"`) places one operation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from ..naming import singular, split_words
from .model import Name, Operation, Resource

__all__ = ["NamesError", "OperationKeys", "Placed", "arrange", "place"]

_PARAM = re.compile(r"\{[^}]*\}")
_EXTENSION = re.compile(r"\.(json|xml|ya?ml|csv|txt|html)$", re.IGNORECASE)
_VERSION = re.compile(r"v\d+(?:(?:alpha|beta)\d*)?|\d{4}-\d{2}-\d{2}", re.IGNORECASE)
# first words that make a one-segment path a call rather than a noun (`/getUser`, `/sendMessage`)
_VERBS = frozenset(
    "get list create update delete remove add set put post patch send find search fetch query "
    "upload download run start stop cancel check validate login logout register reset verify".split()
)
# verbs of an operationId that add a member to a sub-collection (`addUploadPart` -> `parts.create`)
_CREATE_VERBS = frozenset({"create", "add", "new", "insert", "append", "upload", "post"})


class NamesError(ValueError):
    """A `names` entry that cannot be applied: an unknown key or a malformed target."""


@dataclass(frozen=True)
class Placed:
    """An operation and where it goes: the resources it sits in and its method's words."""

    op: Operation
    trail: tuple[str, ...]  # the resources' names as the path (or the names table) spells them
    method: tuple[str, ...]  # the method's words
    fixed: bool = False  # placed by the names table: the method name is final
    rest: bool = False  # named by REST shape (`list`, `retrieve`, ...), not by the operationId


@dataclass
class _Trie:
    """Paths as a tree of segments; `{}` stands for every parameter segment."""

    ops: list[Operation] = field(default_factory=list)
    children: dict[str, _Trie] = field(default_factory=dict)

    def child(self, segment: str) -> _Trie:
        node = self.children.get(segment)
        if node is None:
            node = self.children[segment] = _Trie()
        return node

    def has_param_child(self) -> bool:
        return "{}" in self.children

    def calls(self) -> int:
        """How many different calls the path takes (`/a` and `/a?beta=true` are one path)."""
        return len({op.method for op in self.ops})

    def is_single_leaf(self) -> bool:
        return self.calls() == 1 and not self.children


def segments(path: str) -> list[str]:
    """A path's segments without its query, parameters as `{}` and a format suffix dropped.

    `/a/{id}/Calls.json?x=1` -> ["a", "{}", "Calls"].
    """
    out: list[str] = []
    for s in path.split("?", 1)[0].split("/"):
        if not s:
            continue
        out.append("{}" if _PARAM.search(s) else _EXTENSION.sub("", s) or s)
    return out


def _plural(segment: str) -> bool:
    words = split_words(segment)
    return bool(words) and singular(words[-1]) != words[-1]


def _nouns(names: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for n in names:
        for w in split_words(n):
            out.update((w, singular(w)))
    return out


def _trim(words: tuple[str, ...], nouns: set[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in nouns and singular(w) not in nouns)


class _Rules:
    """The naming rules over one spec's paths."""

    def __init__(self, ops: list[tuple[Operation, str]], shape: Callable[[Operation], str]) -> None:
        self.shape = shape
        self.root = _Trie()
        paths = [segments(op.path) for op, _ in ops]
        self.common = _common_prefix(paths)
        for (op, _), segs in zip(ops, paths, strict=True):
            node = self.root
            for s in segs[self.start(segs) :]:
                node = node.child(s)
            node.ops.append(op)

    def start(self, segs: list[str]) -> int:
        """How many leading segments name no resource: the prefix all paths share, then versions."""
        n = self.common
        while n < len(segs) - 1 and _VERSION.fullmatch(segs[n]):
            n += 1
        return n

    def node(self, segs: list[str]) -> _Trie:
        node = self.root
        for s in segs:
            node = node.children[s]
        return node

    def singleton(self, node: _Trie) -> bool:
        """A collection path with no items below whose GET returns one object (`/data_retention`)."""
        if node.has_param_child():
            return False
        gets = [op for op in node.ops if op.method == "get"]
        return bool(gets) and all(self.shape(op) == "object" for op in gets)

    def collection_verb(self, op: Operation, node: _Trie) -> tuple[str, ...]:
        if self.singleton(node):
            return _ITEM_VERBS.get(op.method, (op.method,))
        if op.method == "get":
            return ("list",)
        if op.method == "post":
            return ("create",)
        return _ITEM_VERBS.get(op.method, (op.method,))

    def place(self, op: Operation, tag: str) -> tuple[list[tuple[str, int]], tuple[str, ...], bool]:
        """The resources (with the index of the segment each comes from), method words, by REST shape."""
        segs = segments(op.path)
        segs = segs[self.start(segs) :]
        literal = [i for i, s in enumerate(segs) if s != "{}"]
        op_words = op.name.words
        if not literal:  # `/` or `/{id}`: nothing to name a resource by but the tag
            trail = [(tag or "default", -1)]
            return trail, _trim(op_words, _nouns([tag])) or op_words, False
        last = literal[-1]
        word = segs[last]
        if "." in word and last == len(segs) - 1 and len(literal) == 1:  # `/users.list`: RPC style
            head, _, tail = word.rpartition(".")
            trail = [(h, last) for h in head.split(".") if split_words(h)]
            return trail or [(tag or head, last)], split_words(tail) or op_words, False
        trail = [(segs[i], i) for i in literal[:-1]]
        node = self.node(segs[: last + 1])
        if last < len(segs) - 1:  # `/pets/{id}`: an item of `pets`
            return [*trail, (word, last)], _ITEM_VERBS.get(op.method, (op.method,)), True
        if node.has_param_child() or node.calls() > 1 or node.children:
            return [*trail, (word, last)], self.collection_verb(op, node), True
        # one call alone on its path
        parent = segs[last - 1] if last > 0 else None
        if parent is None:
            words = split_words(word)
            if words and words[0] in _VERBS and (len(words) > 1 or not _plural(word)):
                # `/getUser`, `/search`: a call, whose tag names the resource when it says something else
                if tag and split_words(tag) != words:
                    return [(tag, -1)], _trim(op_words, _nouns([tag])) or op_words, False
                if len(words) > 1:  # `/sendMessage` with no tag: `message.send`
                    return [("_".join(words[1:]), last)], words[:1], False
                return [(word, last)], _trim(op_words, _nouns([word])) or _one_verb(op), False
            if _plural(word):
                return [(word, last)], self.collection_verb(op, node), True
            # `/readme`, `/me`: one thing
            return [(word, last)], _one_verb(op), True
        if parent == "{}":  # a sub-path of an item: a sub-collection, or an action on the item
            first = op_words[0] if op_words else ""
            if op.method == "get" and _plural(word):
                return [*trail, (word, last)], ("list",), True
            if op.method == "post" and _plural(word) and first in _CREATE_VERBS:
                return [*trail, (word, last)], ("create",), True
            if op.method in ("post", "get"):  # `/batches/{id}/cancel`, `/files/{id}/content`
                return trail, split_words(word), True
            # PUT, PATCH, DELETE: the thing at that path (`/pets/{id}/photo` -> `pets.photo.update`)
            return [*trail, (word, last)], _ITEM_VERBS.get(op.method, (op.method,)), True
        parent_node = self.node(segs[:last])
        group = all(c.is_single_leaf() for c in parent_node.children.values())
        if op.method != "get" and _plural(word) and not parent_node.ops:
            # `/images/variations` (a kind of image made): a method of the collection `images`;
            # `/chat/completions`, `/audio/transcriptions` (below a namespace): a resource
            if not _plural(parent):
                return [*trail, (word, last)], self.collection_verb(op, node), True
            return trail, _trim(op_words, _nouns(name for name, _ in trail)) or split_words(word), False
        if parent_node.ops or group:
            # a call beside a collection's own (`/responses/compact`), or among a group of calls
            # (`/organization/usage/completions`): named by its sub-path
            if op.method == "get" or not _plural(word):
                return trail, split_words(word), True
            return trail, _trim(op_words, _nouns(name for name, _ in trail)) or split_words(word), False
        return [*trail, (word, last)], self.collection_verb(op, node), True


_ITEM_VERBS = {
    "get": ("retrieve",),
    "post": ("update",),
    "put": ("update",),
    "patch": ("update",),
    "delete": ("delete",),
}


def _one_verb(op: Operation) -> tuple[str, ...]:
    """The method of a path that is one thing: `create` for a POST, else the item's verb."""
    return ("create",) if op.method == "post" else _ITEM_VERBS.get(op.method, (op.method,))


def _common_prefix(paths: list[list[str]]) -> int:
    """How many leading literal segments every path shares (`/api/v1/...`), when all go on past them."""
    if len(paths) < 2:
        return 0
    n = 0
    for column in zip(*paths, strict=False):
        if column[0] == "{}" or any(s != column[0] for s in column):
            break
        n += 1
    while n and any(len(p) <= n or all(s == "{}" for s in p[n:]) for p in paths):
        n -= 1
    return n


def _parse_target(key: str, target: object, parts_min: int) -> tuple[str, ...]:
    parts = target.split(".") if isinstance(target, str) else []
    if len(parts) < parts_min or not all(split_words(p) for p in parts):
        shape = "'resource'" if parts_min == 1 else "'resource.method' or 'resource.sub.method'"
        raise NamesError(f"names: '{key}' = {target!r} must be {shape}")
    return tuple(parts)


def place(
    items: list[tuple[Operation, str]],
    names: Mapping[str, str],
    shape: Callable[[Operation], str],
) -> list[Placed]:
    """Where each operation goes (`items`: each operation with its first tag, or "")."""
    rules = _Rules(items, shape)
    keys = OperationKeys(op for op, _ in items)
    fixed: dict[int, tuple[str, ...]] = {}
    prefixes: list[tuple[list[str], str | None, tuple[str, ...]]] = []
    for key, target in names.items():
        if key.startswith("/"):
            prefix, query = segments(key), _query(key)
            if not any(_matches(op.path, prefix, query) for op, _ in items):
                raise NamesError(f"names: no path starts with '{key}'")
            prefixes.append((prefix, query, _parse_target(key, target, 1)))
            continue
        op = keys.find(key)
        if op is None:
            known = ", ".join(sorted(keys.by_id)[:5])
            raise NamesError(f"names: no operation has operationId '{key}' (some that do: {known})")
        fixed[id(op)] = _parse_target(key, target, 2)
    prefixes.sort(key=lambda p: (p[1] is None, -len(p[0])))  # a prefix with a query first, then the longest
    out: list[Placed] = []
    for op, tag in items:
        if id(op) in fixed:
            parts = fixed[id(op)]
            out.append(Placed(op, parts[:-1], split_words(parts[-1]), fixed=True))
            continue
        trail, method, rest = rules.place(op, tag)
        segs = segments(op.path)
        for prefix, query, resource in prefixes:
            if not _matches(op.path, prefix, query):
                continue
            covered = len(prefix) - rules.start(segs)
            kept = [(n, i) for n, i in trail if i >= covered]
            if not rest and not kept and len(segs) == len(prefix):
                # the table made a resource of a call's own path: it is that resource's REST call
                method, rest = rules.collection_verb(op, rules.node(segs[rules.start(segs) :])), True
            trail = [(n, len(segs)) for n in resource] + kept
            break
        out.append(Placed(op, tuple(n for n, _ in trail), method, rest=rest))
    return out


def _query(path: str) -> str | None:
    return path.split("?", 1)[1] if "?" in path else None


def _matches(path: str, prefix: list[str], query: str | None) -> bool:
    """`path` starts with `prefix` (and carries exactly `query`, when one is given)."""
    return segments(path)[: len(prefix)] == prefix and (query is None or _query(path) == query)


class OperationKeys:
    """The operations as a job's tables name them: by operationId, or by "METHOD /path"."""

    def __init__(self, ops: Iterable[Operation]) -> None:
        self.by_id: dict[str, Operation] = {}
        self.by_route: dict[str, Operation] = {}
        for op in ops:
            self.by_id.setdefault(op.id, op)
            self.by_route.setdefault(f"{op.method.upper()} {op.path}", op)

    def find(self, key: str) -> Operation | None:
        method, _, path = key.partition(" ")  # "post /a" finds the operation keyed "POST /a"
        route = f"{method.upper()} {path.strip()}" if path else key
        return self.by_id.get(key) or self.by_route.get(route)


@dataclass
class _Node:
    name: Name
    docs: str = ""
    ops: list[Placed] = field(default_factory=list)
    children: dict[tuple[str, ...], _Node] = field(default_factory=dict)

    def all(self) -> list[Placed]:
        return self.ops + [p for c in self.children.values() for p in c.all()]


def _key(text: str) -> tuple[str, ...]:
    return split_words(text) or (text,)


def arrange(placed: list[Placed], docs: Mapping[str, str]) -> tuple[Resource, ...]:
    """The resource tree of `placed`, in the order operations first reach each resource.

    `docs` are the tags' descriptions: a resource takes the one of the tag that names it.
    """
    root = _Node(Name((), ""))
    for item in placed:
        node = root
        for segment in item.trail:
            child = node.children.get(_key(segment))
            if child is None:
                child = node.children[_key(segment)] = _Node(Name(split_words(segment), segment))
            node = child
        node.ops.append(item)
    tag_docs = {tuple(singular(w) for w in _key(t)): d for t, d in docs.items() if d}
    positions = {id(p): i for i, p in enumerate(placed)}
    return tuple(_resource(c, tag_docs, positions, top=True) for c in root.children.values())


def _resource(
    node: _Node, tag_docs: Mapping[tuple[str, ...], str], order: dict[int, int], *, top: bool = False
) -> Resource:
    node.ops.sort(key=lambda p: order[id(p)])
    names = _unique_names(node)
    ops = tuple(
        replace(item.op, name=Name(n, item.op.name.original)) for item, n in zip(node.ops, names, strict=True)
    )
    docs = tag_docs.get(tuple(singular(w) for w in node.name.words), "")
    if not docs and top:  # a top resource whose calls all carry one tag: that tag's (`/threads`, Assistants)
        tags = {p.op.tags[0] for p in node.all() if p.op.tags}
        if len(tags) == 1:
            docs = tag_docs.get(tuple(singular(w) for w in _key(next(iter(tags)))), "")
    children = tuple(_resource(c, tag_docs, order) for c in node.children.values())
    return Resource(name=node.name, docs=docs, operations=ops, children=children)


def _unique_names(node: _Node) -> list[tuple[str, ...]]:
    """The methods' words, no two alike and none a child resource's name.

    Where names meet, the call on the plain path (no query in it) keeps a REST name and the others
    take their operationId's words without the resources' nouns, then the whole operationId.
    """
    nouns = _nouns(n for p in node.ops for n in p.trail)
    children = set(node.children)
    names = [p.method for p in node.ops]
    for attempt in ("trimmed", "whole"):
        counts: dict[tuple[str, ...], list[int]] = {}
        for i, n in enumerate(names):
            counts.setdefault(n, []).append(i)
        clashing: set[int] = set()
        for n, idx in counts.items():
            if n in children:
                clashing.update(i for i in idx if not node.ops[i].fixed)
            elif len(idx) > 1:
                keep = min(idx, key=lambda i: ("?" in node.ops[i].op.path, not node.ops[i].rest, i))
                clashing.update(i for i in idx if i != keep and not node.ops[i].fixed)
        if not clashing:
            break
        for i in clashing:
            words = node.ops[i].op.name.words
            trimmed = _trim(words, nouns) or words
            names[i] = trimmed if attempt == "trimmed" and trimmed != names[i] else words
    return names
