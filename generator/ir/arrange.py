"""Operations into a tree of resources, and method names, as users of the official SDKs know them.

The first tag of an operation names its top-level resource (`Chat`); below it the path nests where it
nests: `/chat/completions` and `/chat/completions/{id}` make `chat.completions`, whose methods are
`create`, `retrieve`, ... A sub-path with fewer than two operations does not make a resource of its
own, nor one whose operations are one call made on several parents: `/images/variations`
stays a method of `images` (`create_variation`). Method names are the
operationId without the nouns of the resources it sits in. A `names` table (operationId ->
"resource.sub.method") places an operation where the rules cannot know.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ..naming import singular, split_words
from .model import Name, Operation, Resource

__all__ = ["NamesError", "Placed", "apply_names", "arrange", "collection_segments"]

_PARAM = re.compile(r"^\{[^}]*\}$")


class NamesError(ValueError):
    """A `names` entry that cannot be applied: an unknown operationId or a malformed target."""


@dataclass(frozen=True)
class Placed:
    """An operation and where it goes: its top-level resource and the path below it."""

    op: Operation
    top: str  # the top-level resource, as the spec spells it (a tag, or the path's first segment)
    below: tuple[str, ...]  # the nested resources' names below it, as the path spells them
    fixed: bool = False  # placed by the names table: the method name is final


@dataclass
class _Node:
    name: Name
    docs: str = ""
    ops: list[Placed] = field(default_factory=list)
    children: dict[tuple[str, ...], _Node] = field(default_factory=dict)

    def all(self) -> list[Placed]:
        """The operations of this resource and of every resource below it."""
        return self.ops + [p for c in self.children.values() for p in c.all()]


def collection_segments(path: str) -> list[str]:
    """The literal segments of a path (no parameters, no query): `/a/{id}/b?x=1` -> ["a", "b"]."""
    path = path.split("?", 1)[0]
    return [s for s in path.split("/") if s and not _PARAM.match(s)]


def below_tag(path: str, tag: str) -> tuple[str, ...]:
    """The path's segments after the one the tag names (`Fine-tuning` names `fine_tuning`), or ()."""
    segments = collection_segments(path)
    words = split_words(tag)
    singulars = tuple(singular(w) for w in words)
    for i in range(len(segments) - 1, -1, -1):
        seg_words = split_words(segments[i])
        if seg_words and (seg_words == words or tuple(singular(w) for w in seg_words) == singulars):
            return tuple(segments[i + 1 :])
    return ()


def arrange(placed: list[Placed], docs: Mapping[str, str], order: list[str]) -> tuple[Resource, ...]:
    """The resource tree of `placed`; top-level resources in `order` (then the others, sorted)."""
    by_top: dict[tuple[str, ...], _Node] = {}  # by words: `Chat` and `chat` are one resource
    for item in placed:
        key = split_words(item.top) or (item.top,)
        top = by_top.get(key)
        if top is None:
            top = by_top[key] = _Node(Name(split_words(item.top), item.top), docs.get(item.top, ""))
        node = top
        for segment in item.below:
            seg_key = split_words(segment) or (segment,)
            child = node.children.get(seg_key)
            if child is None:
                child = node.children[seg_key] = _Node(Name(split_words(segment), segment))
            node = child
        node.ops.append(item)
    for top in by_top.values():
        _collapse(top)
    keys = [split_words(t) or (t,) for t in order]
    known = [k for i, k in enumerate(keys) if k in by_top and k not in keys[:i]]
    tops = known + sorted(k for k in by_top if k not in known)
    positions = {id(p): i for i, p in enumerate(placed)}
    return tuple(_resource(by_top[k], (), positions) for k in tops)


def _collapse(node: _Node) -> None:
    """Children that do not hold two different calls (not placed by name) give their operations up.

    Two calls differ by HTTP method or by what follows the child's segment in the path:
    `/graders/run` and `/graders/validate` make a resource `graders`; `/organization/x/activate`
    and `/projects/{id}/x/activate` (the same call on two parents) do not make one `activate`.
    """
    for key, child in list(node.children.items()):
        _collapse(child)
        if any(p.fixed for p in child.all()):
            continue
        if len({_signature(p.op, child.name.original) for p in child.all()}) < 2:
            node.ops.extend(child.all())
            del node.children[key]


def _signature(op: Operation, segment: str) -> tuple[str, tuple[str, ...]]:
    parts = [s for s in op.path.split("?", 1)[0].split("/") if s]
    at = max((i for i, s in enumerate(parts) if s == segment), default=len(parts) - 1)
    return op.method, tuple("{}" if _PARAM.match(s) else s for s in parts[at + 1 :])


def _nouns(names: tuple[Name, ...]) -> set[str]:
    out: set[str] = set()
    for n in names:
        out.update(n.words)
        out.update(singular(w) for w in n.words)
    return out


def _trim(words: tuple[str, ...], nouns: set[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in nouns and singular(w) not in nouns)


def _resource(node: _Node, parents: tuple[Name, ...], order: dict[int, int]) -> Resource:
    node.ops.sort(key=lambda p: order[id(p)])  # the spec's order, wherever collapsing put them
    trail = (*parents, node.name)
    all_nouns, parent_nouns = _nouns(trail), _nouns(parents)
    names: list[tuple[str, ...]] = []
    for item in node.ops:
        words = item.op.name.words
        if item.fixed:
            names.append(words)
            continue
        trimmed = _trim(words, all_nouns) or words
        names.append(trimmed)
    # two methods would share a name: keep this resource's own noun in theirs, else the whole operationId
    for keep_own_noun in (True, False):
        counts: dict[tuple[str, ...], int] = {}
        for n in names:
            counts[n] = counts.get(n, 0) + 1
        if all(c == 1 for c in counts.values()):
            break
        names = [
            (
                (_trim(item.op.name.words, parent_nouns) or item.op.name.words)
                if keep_own_noun
                else item.op.name.words
            )
            if counts[n] > 1 and not item.fixed
            else n
            for item, n in zip(node.ops, names, strict=True)
        ]
    ops = tuple(
        replace(item.op, name=Name(n, item.op.name.original)) for item, n in zip(node.ops, names, strict=True)
    )
    children = tuple(_resource(c, trail, order) for c in node.children.values())
    return Resource(name=node.name, docs=node.docs, operations=ops, children=children)


def apply_names(placed: list[Placed], names: Mapping[str, str]) -> list[Placed]:
    """`placed` with the operations the table names moved to `resource[.sub...].method`."""
    by_id = {p.op.id: i for i, p in enumerate(placed)}
    out = list(placed)
    for op_id, target in names.items():
        if op_id not in by_id:
            known = ", ".join(sorted(by_id)[:5])
            raise NamesError(f"names: no operation has operationId '{op_id}' (some that do: {known})")
        parts = target.split(".") if isinstance(target, str) else []
        if len(parts) < 2 or not all(split_words(p) for p in parts):
            raise NamesError(
                f"names: '{op_id}' = {target!r} must be 'resource.method' or 'resource.sub.method'"
            )
        item = out[by_id[op_id]]
        op = replace(item.op, name=Name(split_words(parts[-1]), item.op.name.original))
        out[by_id[op_id]] = Placed(op=op, top=parts[0], below=tuple(parts[1:-1]), fixed=True)
    return out
