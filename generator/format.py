"""Format rendered texts: black for Python, in process; other files pass through.

black is the slowest stage by far (most of a minute on the full OpenAI SDK), so it runs only where we cannot
prove its result ourselves. Our templates lay code out as black does; what is left is lines too long, and
`prelayout` splits those exactly as black would (a model of black's line splitting, for the Python our
templates make; anything it does not model goes to black). Its results and black's are cached on disk by
content, in one file per black version and version of this module, read once and written once per run. A
cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

from .validate import cache_dir

__all__ = ["LINE_LENGTH", "Formatter", "Learnt", "black_stable", "format_files", "prelayout"]

LINE_LENGTH = 100
_TARGET = "py39"


def _black_version() -> str:
    return version("black")


def _format_with_black(path: str, text: str) -> str:
    import black
    from black.mode import Mode, TargetVersion
    from black.parsing import InvalidInput

    mode = Mode(line_length=LINE_LENGTH, target_versions={TargetVersion[_TARGET.upper()]})
    try:
        return black.format_str(text, mode=mode)
    except InvalidInput as exc:  # a template bug, never the user's spec
        raise RuntimeError(f"generated {path} is not valid Python: {exc}") from exc


def _too_wide(line: str) -> bool:
    """Whether black may find `line` too long; an upper bound on its width for non-ASCII text."""
    if line.isascii():
        return len(line) > LINE_LENGTH
    return len(line) + sum(1 for ch in line if not ch.isascii()) > LINE_LENGTH  # wide characters count 2


# Lines black cannot shorten: one name (or `name as alias`) and its comma inside exploded brackets, one
# string (or a dict entry of a string and a constant) inside brackets, the head of an import already split,
# a comment: black does not split strings, names or comments.
_STRING = r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
_UNSPLITTABLE = re.compile(
    r" *[A-Za-z_]\w*(?: as [A-Za-z_]\w*)?,"
    rf"| +(?:{_STRING}),?"
    rf"| +(?:{_STRING}): (?:{_STRING}|True|False|None|-?\d+),?"
    r"| *from \.[\w.]* import \("
    r"| *# .*\S"
)
_PAIRS = {"(": ")", "[": "]", "{": "}"}


def black_stable(text: str) -> bool:
    """Whether black would leave `text` as it is, as far as our templates go: no code line is too long.

    Our templates lay code out as black does (exploded calls with trailing commas, double quotes, two blank
    lines between top-level definitions); what is left is lines too long, and brackets left empty across two
    lines (black joins `[` and `]`). Docstring lines may be long: black leaves their text alone.
    tests/test_format.py checks this against black on real outputs.
    """
    in_docstring = False
    previous = ""
    for line in text.split("\n"):
        if in_docstring:  # (our templates open a docstring at the start of its line, and close it at an end)
            in_docstring = '"""' not in line
            previous = ""
            continue
        if '"""' in line or "'''" in line:
            if "'''" in line or not line.lstrip().startswith('"""'):
                return False  # a string with three quotes in code: beyond what we check
            in_docstring = '"""' not in line.lstrip()[3:]
            previous = ""
            continue
        if _too_wide(line) and not _UNSPLITTABLE.fullmatch(line):
            return False
        if previous[-1:] in _PAIRS and line.lstrip()[:1] == _PAIRS[previous[-1]]:
            return False
        previous = line
    return True


def prelayout(path: str, text: str) -> str | None:
    """What black makes of `text` where that is proven without black: its long lines split as black splits
    them; None where a line is beyond what `_layout` models (black must format that file)."""
    if not path.endswith(".py") or black_stable(text):
        return text
    return _layout(text)


# -- black's line splitting, modelled ------------------------------------------------------------------
#
# black reads a statement as one logical line and, when it is too long, splits it (linegen.py,
# `transform_line`): a function definition at its first bracket pair ("left hand split"); a line inside
# brackets at its delimiters of the highest priority (commas, else `|`, adding a trailing comma after commas,
# "delimiter split"); any other line at its last bracket pair ("right hand split": head, body one level
# deeper, tail), where the last pair may be the invisible parentheses black puts around a returned value, the
# right hand side of an assignment or an annotation, which it omits when the line reads better without them.
# Each resulting line is split again the same way. The code below follows black's functions of the same
# names (black 24 to 26, stable style) for the subset of Python our templates write: names, strings, numbers,
# calls, subscripts, tuple/list/dict displays, keyword arguments, annotations, `|`, `->`, `return`, `def` and
# `from ... import`. Anything else (operators, comments, lambdas, comprehensions, slices, a magic trailing
# comma, non-ASCII text near the limit, black trying other trailers) raises `_Cannot`, and the file goes to
# black. tests/test_format.py checks the model against black itself.

_COMMA_PRIORITY = 18
_VBAR_PRIORITY = 9
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
_KEYWORDS = frozenset(
    "False None True and as assert async await break class continue def del elif else except finally for "
    "from global if import in is lambda nonlocal not or pass raise return try while with yield".split()
)
_ALLOWED_KEYWORDS = frozenset("False None True as async class def from import return".split())
_REFUSED_KEYWORDS = _KEYWORDS - _ALLOWED_KEYWORDS
_LEAF = re.compile(
    r"( *)(?:"
    r"(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"  # a plain string
    r"|(\d+(?:\.\d+)?)(?![\w.])"  # a decimal number
    r"|([A-Za-z_][A-Za-z0-9_]*)"  # a name
    r"|(->|[()\[\]{},.:=|-])"  # an operator or a bracket
    r"|(.))"  # anything else
)
_UNICODE_ESCAPE = re.compile(
    r"(\\+)(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|N\{[a-zA-Z0-9 \-]{2,}\})"
)


class _Cannot(Exception):
    """black would lay this line out in a way this model does not follow."""


class _CannotSplit(Exception):
    """black's CannotSplit: this way of splitting does not apply; black tries the next one."""


class _Leaf:
    __slots__ = (
        "bracket",
        "in_annotation",
        "kind",
        "opening",
        "optional",
        "prefix",
        "role",
        "synthetic",
        "unsure",
        "value",
        "whitespace",
        "wide",
    )

    def __init__(self, kind: str, value: str, prefix: str = "", synthetic: bool = False) -> None:
        self.kind = kind  # "name", "string", "number", or the operator or bracket itself
        self.bracket = 1 if kind in _OPENING else -1 if kind in _CLOSING else 0
        self.value = value  # "" for an invisible parenthesis
        self.prefix = prefix  # the whitespace before it
        self.whitespace = prefix  # before it in the statement (`prefix` is "" where a line starts with it)
        self.synthetic = synthetic  # a comma black adds (a leaf with no parent in its tree)
        self.optional = False  # one of the invisible parentheses black adds
        self.opening: _Leaf | None = None  # a closing bracket's opening bracket
        self.role = ""  # a bracket's: "call", "subscript", "params", "atom", "list", "dict" or "import"
        self.in_annotation = False  # inside a parameter's annotation
        self.wide = self.unsure = 0  # wide characters in its value (black counts them 2), maybe wide ones
        if not value.isascii():
            low, high = _width_bounds(value)
            self.wide, self.unsure = low - len(value), high - low


# Code points black's width table (wcwidth's East Asian Wide and Fullwidth) counts 2: CJK ideographs, Hangul
# syllables, fullwidth forms. It counts none below U+1100 nor from U+1160 to U+2319; the rest we do not know.
_WIDE = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFAFF),
    (0xFF01, 0xFF60),
    (0xFFE0, 0xFFE6),
)


def _width_bounds(text: str) -> tuple[int, int]:
    """Bounds on black's width of `text` (its `str_width`: 2 for wide characters, 1 for the others)."""
    if text.isascii():
        return len(text), len(text)
    wide = unsure = 0
    for ch in text:
        code = ord(ch)
        if code < 0x1100 or 0x1160 <= code < 0x231A:
            continue
        if any(low <= code <= high for low, high in _WIDE):
            wide += 1
        else:
            unsure += 1
    return len(text) + wide, len(text) + wide + unsure


class _Line:
    """black's `Line`: leaves at a depth, with the delimiters of the leaves black tracks on it."""

    __slots__ = ("_tracked", "depth", "inside", "leaves", "opening", "track")

    def __init__(self, depth: int, leaves: list[_Leaf], *, inside: bool = False, track: str = "all") -> None:
        self.depth = depth
        self.leaves = leaves
        self.inside = inside  # inside brackets: delimiter split applies
        self.track = track  # the leaves black's BracketTracker marks: "all", "matched" (a head) or "none"
        self.opening: _Leaf | None = None  # a body's opening bracket (for should_split_rhs)
        self._tracked: tuple[dict[int, int], list[tuple[_Leaf, int]]] | None = None

    @property
    def delimiters(self) -> dict[int, int]:
        """Index of a leaf -> the priority of a split after it."""
        return self._track()[0]

    @property
    def invisible(self) -> list[tuple[_Leaf, int]]:
        """The invisible parentheses black tracks on this line, and their depth."""
        return self._track()[1]

    @property
    def split_rhs(self) -> bool:
        """black's should_split_rhs: a body that explodes even when it fits."""
        return self.opening is not None and _should_split_line(self, self.opening)

    def _track(self) -> tuple[dict[int, int], list[tuple[_Leaf, int]]]:
        """black's BracketTracker.mark, for our leaves."""
        if self._tracked is not None:
            return self._tracked
        delimiters: dict[int, int] = {}
        invisible: list[tuple[_Leaf, int]] = []
        self._tracked = delimiters, invisible
        if self.track == "none":
            return self._tracked
        leaves = self.leaves
        marked = None if self.track == "all" else _inside_matching(leaves)
        depth = 0
        previous = -1
        for i, leaf in enumerate(leaves):
            if marked is not None and id(leaf) not in marked:
                continue
            bracket = leaf.bracket
            if bracket > 0:
                if not leaf.value:
                    invisible.append((leaf, depth))
                depth += 1
            elif bracket:
                if not depth:
                    continue
                depth -= 1
                if previous >= 0 and leaves[previous].kind == ",":
                    raise _Cannot("a magic trailing comma")
                if not leaf.value:
                    invisible.append((leaf, depth))
            elif not depth:
                if leaf.kind == ",":
                    delimiters[i] = _COMMA_PRIORITY
                elif leaf.kind == "|" and previous >= 0:
                    delimiters[previous] = _VBAR_PRIORITY
            previous = i
        return self._tracked

    def fits(self, limit: int = LINE_LENGTH) -> bool:
        """black's is_line_short_enough, without rendering the line (which may be very long)."""
        width = 4 * self.depth
        unsure = 0
        for leaf in self.leaves:
            width += len(leaf.prefix) + len(leaf.value) + leaf.wide
            if width > limit:
                return False
            unsure += leaf.unsure
        if width + unsure > limit:
            raise _Cannot("the width of non-ASCII text")
        return True

    def __str__(self) -> str:
        if not self.leaves:
            return ""
        first = self.leaves[0]
        rest = "".join([leaf.prefix + leaf.value for leaf in self.leaves[1:]])
        return f"{first.prefix}{'    ' * self.depth}{first.value}{rest}"

    @property
    def is_def(self) -> bool:
        first = self.leaves[0] if self.leaves else None
        return first is not None and first.kind == "name" and first.value in ("def", "async")

    @property
    def is_import(self) -> bool:
        return bool(self.leaves) and self.leaves[0].kind == "name" and self.leaves[0].value == "from"

    @property
    def is_chained_assignment(self) -> bool:
        return sum(1 for leaf in self.leaves if leaf.kind == "=") > 1

    def max_priority(self, exclude_last: bool = False) -> int:
        last = len(self.leaves) - 1 if exclude_last else -1
        priorities = [p for i, p in self.delimiters.items() if i != last]
        if not priorities:
            raise _CannotSplit("no delimiters")
        return max(priorities)


def _inside_matching(leaves: list[_Leaf]) -> set[int]:
    """black's get_leaves_inside_matching_brackets."""
    ids: set[int] = set()
    stack: list[list[int]] = []
    started = False
    for leaf in leaves:
        if leaf.kind in _OPENING:
            started = True
            stack.append([id(leaf)])
        elif not started:
            continue
        elif leaf.kind in _CLOSING:
            if not stack:
                break
            level = stack.pop()
            level.append(id(leaf))
            ids.update(level)
        elif stack:
            stack[-1].append(id(leaf))
    return ids


def _transform(line: _Line, force: bool = False) -> list[_Line]:
    """black's transform_line; `force`: its FORCE_OPTIONAL_PARENTHESES (a second opinion's)."""
    if line.fits() and not line.split_rhs:
        return [line]
    line_str = str(line)
    transforms: list[Callable[[_Line, bool], list[_Line]]]
    if line.is_def:  # should_split_funcdef_with_rhs: we refuse what would make it true
        transforms = [_left_hand_split]
    elif line.inside:
        transforms = [_delimiter_split, _rhs]
    else:
        transforms = [_rhs]
    for transform in transforms:
        try:
            return _run(line, transform, line_str, force)
        except _CannotSplit:
            continue
    return [line]


def _run(
    line: _Line, transform: Callable[[_Line, bool], list[_Line]], line_str: str, force: bool
) -> list[_Line]:
    """black's run_transformer."""
    result: list[_Line] = []
    for piece in transform(line, force):
        # (a piece with fewer leaves lacks a visible one: it cannot read the same)
        if len(piece.leaves) >= len(line.leaves) and str(piece) == line_str:
            raise _CannotSplit("the line is unchanged")
        result.extend(_transform(piece, force))
    if (
        force
        or transform is not _rhs
        or result[0].fits()
        or not line.invisible
        or any(leaf.value for leaf, depth in line.invisible if depth == 0)
        or any(leaf.synthetic for leaf in line.leaves)
    ):
        return result
    # black's second opinion: the same split, on a copy of the line, never omitting optional parentheses
    copies: dict[int, _Leaf] = {}
    for leaf in line.leaves:
        copy = copies[id(leaf)] = _Leaf(leaf.kind, leaf.value, leaf.whitespace)
        copy.whitespace, copy.role, copy.in_annotation = leaf.whitespace, leaf.role, leaf.in_annotation
        copy.opening = copies.get(id(leaf.opening), leaf.opening) if leaf.opening is not None else None
    copied = _Line(line.depth, list(copies.values()), inside=line.inside)
    copied.opening = line.opening  # (its should_split_rhs)
    second = _run(copied, transform, line_str, True)
    return second if all(piece.fits() for piece in second) else result


def _delimiter_split(line: _Line, force: bool = False) -> list[_Line]:
    """black's delimiter_split: one line per delimiter of the highest priority."""
    if not line.leaves:
        raise _CannotSplit("an empty line")
    priority = line.max_priority(exclude_last=True)
    leaves = line.leaves
    pieces: list[list[_Leaf]] = []
    start = 0
    for i, p in sorted(line.delimiters.items()):
        if p == priority:
            pieces.append(leaves[start : i + 1])
            start = i + 1
    if start < len(leaves):
        pieces.append(leaves[start:])
        if priority == _COMMA_PRIORITY and leaves[-1].kind != ",":
            pieces[-1].append(_Leaf(",", ",", synthetic=True))
    for piece in pieces:
        piece[0].prefix = ""
    return [_Line(line.depth, piece, inside=line.inside) for piece in pieces]


def _rhs(line: _Line, force: bool = False) -> list[_Line]:
    """black's right_hand_split_with_omits: split at the last bracket pair whose head fits, omitting
    trailers (bracket pairs at the end, joined to the tail) as long as they fit."""
    first_lines: list[_Line] | None = None
    for omit in _trailers_to_omit(line):
        if omit:
            target = next(
                (leaf.opening for leaf in reversed(line.leaves) if leaf.bracket < 0 and id(leaf) not in omit),
                None,
            )
            if target is not None and target.value:
                before = 4 * line.depth
                for leaf in line.leaves:
                    if leaf is target:
                        break
                    before += len(leaf.prefix) + len(leaf.value)
                if before > LINE_LENGTH:  # the head cannot fit
                    continue
        lines = _right_hand_split(line, omit, force)
        if first_lines is None and not omit:
            first_lines = lines
        if lines[0].fits():
            return lines
    lines = first_lines if first_lines is not None else _right_hand_split(line, frozenset(), force)
    if len(_transform(lines[0], force)) > 1:  # its commas would be magic in black's second pass
        raise _Cannot("a head too long that black splits again")
    return lines


def _trailers_to_omit(line: _Line) -> Iterator[frozenset[int]]:
    """black's generate_trailers_to_omit: growing sets of closing brackets at the end of the line."""
    omit: set[int] = set()
    yield frozenset(omit)
    length = 4 * line.depth
    opening: _Leaf | None = None
    closing: _Leaf | None = None
    inner: set[int] = set()
    leaves = line.leaves
    for index in range(len(leaves) - 1, -1, -1):
        leaf = leaves[index]
        length += len(leaf.prefix) + len(leaf.value)
        if length > LINE_LENGTH:
            break
        prev = leaves[index - 1] if index > 0 else None
        if opening is not None:
            if leaf is opening:
                opening = None
            elif leaf.bracket < 0:
                if prev is not None and prev.kind == ",":
                    raise _Cannot("a magic trailing comma")
                inner.add(id(leaf))
        elif leaf.bracket < 0:
            if prev is not None and prev.bracket > 0:
                inner.add(id(leaf))  # empty brackets
                continue
            if closing is not None:
                omit.add(id(closing))
                omit.update(inner)
                inner.clear()
                yield frozenset(omit)
            if prev is not None and prev.kind == ",":
                raise _Cannot("a magic trailing comma")
            if leaf.value:
                opening, closing = leaf.opening, leaf


class _RHS(NamedTuple):
    head: _Line
    body: _Line
    tail: _Line
    opening: _Leaf
    closing: _Leaf


def _right_hand_split(line: _Line, omit: frozenset[int], force: bool) -> list[_Line]:
    return _maybe_split_omitting_optional_parens(_first_right_hand_split(line, omit), line, omit, force)


def _first_right_hand_split(line: _Line, omit: frozenset[int]) -> _RHS:
    leaves = line.leaves
    j = len(leaves) - 1
    while j >= 0:
        closing = leaves[j]
        if closing.kind in _CLOSING and id(closing) not in omit:
            opening = closing.opening
            m = j - 1
            while m >= 0 and leaves[m] is not opening:
                m -= 1
            if m < 0 or opening is None:
                break  # its opening bracket is on a line before: no head
            if m < j - 1:
                result = _RHS(
                    _build(leaves[: m + 1], line, opening, "head"),
                    _build(leaves[m + 1 : j], line, opening, "body"),
                    _build(leaves[j:], line, opening, "tail"),
                    opening,
                    closing,
                )
                _split_succeeded_or_raise(result.body, result.tail)
                return result
            j = m  # empty brackets stay in the tail
        j -= 1
    raise _CannotSplit("no brackets found")


def _maybe_split_omitting_optional_parens(
    rhs: _RHS, line: _Line, omit: frozenset[int], force: bool
) -> list[_Line]:
    if (
        not force
        and rhs.opening.kind == "("
        and not rhs.opening.value
        and rhs.closing.kind == ")"
        and not rhs.closing.value
        and not line.is_import
        and _can_omit_invisible_parens(rhs)
    ):
        omit = omit | {id(rhs.closing)}
        try:
            rhs_oop = _first_right_hand_split(line, omit)
            if _prefer_split_rhs_oop_over_rhs(rhs_oop, rhs):
                return _maybe_split_omitting_optional_parens(rhs_oop, line, omit, force)
        except _CannotSplit as exc:
            if line.is_chained_assignment:
                pass
            elif not _can_be_split(rhs.body) and not rhs.body.fits():
                raise _CannotSplit("the body is still too long and cannot be split") from exc
    for bracket in (rhs.opening, rhs.closing):  # ensure_visible
        if bracket.kind in "()":
            bracket.value = bracket.kind
    return [part for part in (rhs.head, rhs.body, rhs.tail) if part.leaves]


def _prefer_split_rhs_oop_over_rhs(rhs_oop: _RHS, rhs: _RHS) -> bool:
    head = rhs.head.leaves
    if not (len(head) >= 2 and head[-2].kind == "="):  # the split is right after `=`
        return True
    if not any(leaf.kind in _OPENING or leaf.kind in _CLOSING for leaf in head[:-1]):
        return True  # the left side of the assignment contains no brackets
    if not rhs.head.fits(LINE_LENGTH - 1):
        return True  # the left side of the assignment is too long
    equals = sum(1 for leaf in head if leaf.kind == "=")
    if equals > 1 and equals > sum(1 for leaf in rhs_oop.head.leaves if leaf.kind == "="):
        return False
    closing_after_assign = False
    for leaf in reversed(rhs_oop.head.leaves):
        if leaf.kind == "=":
            break
        if leaf.kind in _CLOSING:
            closing_after_assign = True
            break
    return closing_after_assign or (
        any(leaf.kind == "=" for leaf in rhs_oop.head.leaves) and rhs_oop.head.fits()
    )


def _can_omit_invisible_parens(rhs: _RHS) -> bool:
    line = rhs.body
    delimiters = line.delimiters
    if not delimiters:
        return True  # without delimiters the optional parentheses are useless
    priority = max(delimiters.values())
    if sum(1 for p in delimiters.values() if p == priority) > 1:
        return False
    first, second = line.leaves[0], line.leaves[1]
    if first.kind in _OPENING and second.kind not in _CLOSING and _can_omit_opening_paren(line, first):
        return True
    penultimate, last = line.leaves[-2], line.leaves[-1]
    if last.kind in (")", "}") or (last.kind == "]" and last.role != "subscript"):
        if penultimate.kind in _OPENING:
            return False
        if _can_omit_closing_paren(line, last):
            return True
    return False


def _can_omit_opening_paren(line: _Line, first: _Leaf) -> bool:
    remainder = False
    length = 4 * line.depth
    for leaf in line.leaves:
        if leaf.kind in _CLOSING and leaf.opening is first:
            remainder = True
        if remainder:
            length += len(leaf.prefix) + len(leaf.value)
            if length > LINE_LENGTH:
                return False
            if leaf.kind in _OPENING:
                remainder = False
    return True  # (black also requires its scan to reach the last leaf: no multiline strings here)


def _can_omit_closing_paren(line: _Line, last: _Leaf) -> bool:
    length = 4 * line.depth
    seen_other_brackets = False
    for leaf in line.leaves:
        length += len(leaf.prefix) + len(leaf.value)
        if leaf is last.opening:
            if seen_other_brackets or length <= LINE_LENGTH:
                return True
        elif leaf.kind in _OPENING:
            seen_other_brackets = True
    return False


def _can_be_split(line: _Line) -> bool:
    return len(line.leaves) >= 2  # (a string followed by a dot is refused by `_leaves`)


def _build(leaves: list[_Leaf], original: _Line, opening: _Leaf, component: str) -> _Line:
    """black's bracket_split_build_line."""
    if component == "head":
        return _Line(original.depth, leaves, track="matched")
    if component == "tail":
        return _Line(original.depth, leaves, track="none")
    if leaves and (original.is_import or (original.is_def and _params_want_comma(leaves, opening))):
        if leaves[-1].kind != ",":
            leaves.append(_Leaf(",", ",", synthetic=True))
    result = _Line(original.depth + 1, leaves, inside=True)
    result.opening = opening
    return result


def _params_want_comma(leaves: list[_Leaf], opening: _Leaf) -> bool:
    """black's _ensure_trailing_comma for a function definition: its parameters get a trailing comma."""
    return opening.role == "params" and not any(
        leaf.kind == "," and not leaf.in_annotation for leaf in leaves
    )


def _should_split_line(line: _Line, opening: _Leaf) -> bool:
    """black's should_split_line: a body of a display or an import with commas explodes."""
    if not line.leaves:
        return False
    trailing_comma = line.leaves[-1].kind == ","
    if not trailing_comma and opening.role not in ("atom", "list", "dict", "import"):
        return False
    try:
        priority = line.max_priority(exclude_last=trailing_comma)
    except _CannotSplit:
        return False
    exploding = trailing_comma or opening.role in ("atom", "list", "dict", "import")
    return priority == _COMMA_PRIORITY and exploding


def _split_succeeded_or_raise(body: _Line, tail: _Line) -> None:
    if not body.leaves:
        tail_len = len(str(tail).strip())
        if tail_len < 3:
            raise _CannotSplit("splitting brackets on an empty body is not worth it")


def _left_hand_split(line: _Line, force: bool = False) -> list[_Line]:
    """black's left_hand_split, for a function definition: split at its first bracket pair."""
    if len(line.leaves) > 2 and line.leaves[2].kind == "[":
        raise _Cannot("type parameters")
    for kind in "([":
        head: list[_Leaf] = []
        body: list[_Leaf] = []
        tail: list[_Leaf] = []
        current = head
        matching: _Leaf | None = None
        for leaf in line.leaves:
            if (
                current is body
                and matching is not None
                and leaf.kind in _CLOSING
                and leaf.opening is matching
            ):
                for bracket in (leaf, matching):  # ensure_visible
                    if bracket.kind in "()":
                        bracket.value = bracket.kind
                current = tail if body else head
            current.append(leaf)
            if current is head and leaf.kind == kind:
                matching = leaf
                current = body
        if matching is not None and tail:
            parts = [_build(part, line, matching, name) for part, name in ((head, "head"), (body, "body"))]
            parts.append(_build(tail, line, matching, "tail"))
            _split_succeeded_or_raise(parts[1], parts[2])
            return [part for part in parts if part.leaves]
    raise _CannotSplit("no brackets found")


# -- reading a line into leaves ------------------------------------------------------------------------


def _normal_string(string: str) -> bool:
    """Whether black leaves this string literal as it is (its quotes and escapes are black's)."""
    if "\\" not in string:
        return string[0] == '"' or '"' in string
    for match in _UNICODE_ESCAPE.finditer(string):
        if len(match.group(1)) % 2:
            body = match.group(2)
            if body[0] == "N":
                if body != body.upper():
                    return False
            elif body[1:] != body[1:].lower():
                return False
    quote = string[0]
    new = "'" if quote == '"' else '"'
    body = string[1:-1]

    def sub_twice(pattern: str, replacement: str, text: str) -> str:
        return re.sub(pattern, replacement, re.sub(pattern, replacement, text))

    if sub_twice(rf"([^\\]|^)\\((?:\\\\)*){new}", rf"\1\2{new}", body) != body:
        return False  # black removes an escape of the other quote
    new_body = sub_twice(rf"([^\\]|^)\\((?:\\\\)*){quote}", rf"\1\2{quote}", body)
    new_body = sub_twice(rf"(([^\\]|^)(\\\\)*){new}", rf"\1\\{new}", new_body)
    escapes, new_escapes = body.count("\\"), new_body.count("\\")
    return new_escapes > escapes or (new_escapes == escapes and quote == '"')


def _leaves(code: str, base: str) -> list[_Leaf]:
    """The leaves of one line of code whose brackets balance, checked to be spaced as black spaces them.

    `base` is what the line is in: "stmt" (a statement), or the role of the bracket it is an element of.
    Brackets get their roles and pairs; leaves in a parameter's annotation are marked.
    """
    leaves: list[_Leaf] = []
    stack: list[_Leaf] = []
    annotated = [False]  # per bracket level: the current parameter has an annotation
    in_annotation = [False]  # per bracket level: we are in that annotation
    annotations = 0  # how many levels are in an annotation
    role = base
    prev: _Leaf | None = None
    for space, string, number, name, operator, bad in _LEAF.findall(code):
        if bad or len(space) > 1:
            raise _Cannot("untokenizable text or extra whitespace")
        if string:
            if ("\\" in string or (string[0] == "'" and '"' not in string)) and not _normal_string(string):
                raise _Cannot("a string black would requote")
            leaf = _Leaf("string", string, space)
        elif number:
            leaf = _Leaf("number", number, space)
        elif name:
            if name in _REFUSED_KEYWORDS:
                raise _Cannot(f"`{name}`")
            leaf = _Leaf("name", name, space)
        else:
            leaf = _Leaf(operator, operator, space)
        kind = leaf.kind
        if kind in _OPENING:
            if kind == "{":
                leaf.role = "dict"
            else:
                trailer = prev is not None and (
                    prev.kind in _CLOSING or (prev.kind == "name" and prev.value not in _KEYWORDS)
                )
                if kind == "[":
                    leaf.role = "subscript" if trailer else "list"
                elif base == "stmt" and (len(leaves), leaves[0].value) in ((2, "def"), (3, "async")):
                    leaf.role = "params"
                else:
                    leaf.role = "call" if trailer else "atom"
        elif kind in _CLOSING:
            if not stack or _PAIRS[stack[-1].kind] != kind:
                raise _Cannot("unbalanced brackets")
            leaf.opening = stack[-1]
            leaf.role = stack[-1].role
            if prev is not None and prev.kind == ",":
                raise _Cannot("a magic trailing comma")
        elif role == "params":  # a parameter: its annotation, and its `=` spaced when it has one
            if kind == ":":
                annotated[-1] = True
                if not in_annotation[-1]:
                    in_annotation[-1] = True
                    annotations += 1
            elif kind in ",=":
                if kind == ",":
                    annotated[-1] = False
                if in_annotation[-1]:
                    in_annotation[-1] = False
                    annotations -= 1
        if annotations:
            leaf.in_annotation = True
        if prev is None:
            if space:
                raise _Cannot("leading whitespace")
        elif kind in _CLOSING or kind == "," or prev.bracket > 0:
            if space:
                raise _Cannot("whitespace black would change")
        elif space != _space(prev, leaf, role, annotated[-1], leaves):
            raise _Cannot("whitespace black would change")
        if kind in _OPENING:
            stack.append(leaf)
            annotated.append(False)
            in_annotation.append(False)
            role = leaf.role
        elif kind in _CLOSING:
            stack.pop()
            annotated.pop()
            if in_annotation.pop():
                annotations -= 1
            role = stack[-1].role if stack else base
        leaves.append(leaf)
        prev = leaf
    if stack or not leaves:
        raise _Cannot("unbalanced brackets or an empty line")
    return leaves


def _space(prev: _Leaf, leaf: _Leaf, role: str, annotated: bool, leaves: list[_Leaf]) -> str:
    """The whitespace black puts between `prev` and `leaf` (black's `whitespace`), for our subset."""
    kind, before = leaf.kind, prev.kind
    if kind in _CLOSING or kind == ",":
        return ""
    if before in _OPENING:
        return ""
    if kind == "=" or before == "=":
        if role in ("call", "params"):
            return " " if role == "params" and annotated else ""
        if role == "stmt":
            return " "
        raise _Cannot("`=` here")
    if kind == ":":
        if role in ("dict", "stmt", "params"):
            return ""
        raise _Cannot("a slice or a lambda")
    if before == ",":
        return " "
    if kind == ".":
        if before == "name" and prev.value not in _KEYWORDS:
            return ""  # an attribute
        if before == "." or (before == "name" and prev.value == "from"):
            return "" if before == "." else " "  # a relative import
        if before == ":":
            return " "  # `: ...`
        raise _Cannot("a dot black may split at")
    if before == ".":
        if kind == "name" and leaf.value == "import":
            return " "
        if kind in ("name", ".") and (kind == "." or leaf.value not in _KEYWORDS):
            return ""
        raise _Cannot("a dot before a keyword")
    if before == "-":  # a unary minus: after a bracket, a comma, `:` or `=` (the leaf before `prev`)
        if kind != "number" or (len(leaves) >= 2 and leaves[-2].kind not in _OPENING | {",", ":", "="}):
            raise _Cannot("a binary minus")
        return ""
    if kind in ("(", "["):
        if before in _CLOSING or (before == "name" and prev.value not in _KEYWORDS):
            return ""  # a call or a subscript
        if before in ("string", "number"):
            raise _Cannot("a subscript of a literal")
    if kind == "string" and before == "string":
        raise _Cannot("implicit concatenation")
    if before in ("string", "number") and kind in ("name", "string", "number", "-"):
        raise _Cannot("adjacent atoms")
    return " "


def _wrap(leaves: list[_Leaf], start: int, end: int, role: str = "atom") -> None:
    """Put invisible parentheses around leaves[start:end], as black's normalize_invisible_parens does."""
    if start >= end:
        raise _Cannot("nothing to wrap")
    if leaves[start].kind == "(" and leaves[end - 1].kind == ")" and leaves[end - 1].opening is leaves[start]:
        if end - start == 2 or _top(leaves[: end - 1], ",", start + 1):
            return  # a tuple keeps its parentheses, and gets no invisible ones
        raise _Cannot("redundant parentheses black would make invisible")
    opening = _Leaf("(", "", leaves[start].prefix)
    opening.role = role
    opening.optional = True
    leaves[start].prefix = leaves[start].whitespace = ""
    closing = _Leaf(")", "")
    closing.opening = opening
    closing.role = role
    leaves.insert(end, closing)
    leaves.insert(start, opening)


def _top(leaves: list[_Leaf], kind: str, start: int = 0) -> list[int]:
    """Indexes of the leaves of this kind outside brackets."""
    depth = 0
    found = []
    for i in range(start, len(leaves)):
        leaf = leaves[i]
        if leaf.kind in _OPENING:
            depth += 1
        elif leaf.kind in _CLOSING:
            depth -= 1
        elif depth == 0 and leaf.kind == kind:
            found.append(i)
    return found


def _wrap_tnames(leaves: list[_Leaf], start: int, end: int) -> None:
    """black's visit_tname: a parameter's annotation that is a `|` union gets invisible parentheses."""
    params: list[tuple[int, int]] = []
    begin = start
    for comma in [*_top(leaves[:end], ",", start), end]:
        params.append((begin, comma))
        begin = comma + 1
    for begin, stop in reversed(params):
        colon = [i for i in _top(leaves[:stop], ":", begin)]
        if not colon:
            continue
        equals = _top(leaves[:stop], "=", colon[0])
        ann_end = equals[0] if equals else stop
        ann_start = colon[0] + 1
        if _top(leaves[:ann_end], "|", ann_start):
            _wrap(leaves, ann_start, ann_end)
        elif leaves[ann_start].kind in "([{":
            raise _Cannot("an annotation in brackets")


def _statement(code: str, depth: int) -> _Line:
    """A statement as black's logical line: its leaves, with black's invisible parentheses."""
    leaves = _leaves(code, "stmt")
    first = leaves[0]
    if first.kind == "name" and first.value in ("def", "async"):
        return _definition(leaves, depth)
    if first.kind == "name" and first.value == "class":  # `class Name(bases):`: no invisible parentheses
        kinds = [leaf.kind for leaf in leaves]
        if kinds[1:2] != ["name"] or kinds[-1] != ":" or _top(leaves, ":") != [len(leaves) - 1]:
            raise _Cannot("a class black would not split this way")
        if len(leaves) != 3 and (kinds[2] != "(" or leaves[-2].opening is not leaves[2] or kinds[3] == ")"):
            raise _Cannot("a class black would not split this way")
        if any(
            leaf.kind == "name" and leaf.value in _KEYWORDS - {"None", "True", "False"} for leaf in leaves[1:]
        ):
            raise _Cannot("a keyword in a class statement")
        return _Line(depth, leaves)
    for i, leaf in enumerate(leaves):
        if leaf.kind == "name" and leaf.value in ("def", "async", "as", "import", "from", "return") and i:
            if not (first.value == "from" and leaf.value in ("import", "as")):
                raise _Cannot(f"`{leaf.value}` here")
        if leaf.kind == "->":
            raise _Cannot("`->` here")
    if first.value == "return" and first.kind == "name":
        if len(leaves) > 1:
            _wrap(leaves, 1, len(leaves))
    elif first.value == "from" and first.kind == "name":
        imports = [i for i, leaf in enumerate(leaves) if leaf.kind == "name" and leaf.value == "import"]
        if len(imports) != 1 or any(leaf.kind in _OPENING for leaf in leaves):
            raise _Cannot("an import black would not split this way")
        _wrap(leaves, imports[0] + 1, len(leaves), role="import")
    elif first.kind == "name" and first.value not in _KEYWORDS:
        equals = _top(leaves, "=")
        colons = _top(leaves, ":")
        if len(equals) > 1 or len(colons) > 1:
            raise _Cannot("a chained assignment")
        if colons:  # an annotated assignment: `name: annotation [= value]`
            if colons[0] != 1 or (equals and equals[0] < colons[0]):
                raise _Cannot("an annotation black would not split this way")
            if equals:
                _wrap(leaves, equals[0] + 1, len(leaves))
            _wrap(leaves, 2, equals[0] if equals else len(leaves))
        elif equals:  # an assignment to a name or an attribute
            if any(leaf.kind not in ("name", ".") for leaf in leaves[: equals[0]]):
                raise _Cannot("an assignment black would not split this way")
            _wrap(leaves, equals[0] + 1, len(leaves))
    else:
        raise _Cannot("a statement black would not split this way")
    return _Line(depth, leaves)


def _definition(leaves: list[_Leaf], depth: int) -> _Line:
    """`def name(params) -> annotation:` (or `async def`), optionally with ` ...` as its body."""
    start = 3 if leaves[0].value == "async" else 2
    if leaves[0].value == "async" and (len(leaves) < 2 or leaves[1].value != "def"):
        raise _Cannot("an async statement")
    if len(leaves) <= start or leaves[start].kind != "(" or leaves[start - 1].kind != "name":
        raise _Cannot("a definition black would not split this way")
    end = next(i for i in range(start + 1, len(leaves)) if leaves[i].opening is leaves[start])
    rest = [leaf.kind for leaf in leaves[end + 1 :]]
    stub = rest[-4:] == [":", ".", ".", "."]
    if stub:
        rest = rest[:-3]
    if rest[-1:] != [":"] or (len(rest) > 1 and rest[0] != "->") or len(rest) == 2:
        raise _Cannot("a definition black would not split this way")
    colon = len(leaves) - (4 if stub else 1)
    if len(rest) > 1:
        if leaves[end + 2].kind == "string":
            raise _Cannot("a string return annotation")
        _wrap(leaves, end + 2, colon)
    _wrap_tnames(leaves, start + 1, end)
    return _Line(depth, leaves)


def _element(code: str, depth: int, role: str) -> _Line:
    """One line inside brackets of this role, as black's line (delimiter split or a body) sees it."""
    leaves = _leaves(code, role)
    if any(leaf.kind == "name" and leaf.value in _KEYWORDS - {"None", "True", "False"} for leaf in leaves):
        raise _Cannot("a keyword inside brackets")
    if any(leaf.kind == "->" for leaf in leaves):
        raise _Cannot("`->` here")
    if role == "params":
        _wrap_tnames(leaves, 0, len(leaves))
    return _Line(depth, leaves, inside=True)


def _definition_tail(code: str, depth: int) -> _Line:
    """`) -> annotation:` closing a definition's parameters: the tail of black's left hand split."""
    if code[1:2] != " ":
        raise _Cannot("a definition's tail black would not split this way")
    leaves = _leaves(code[2:], "stmt")
    leaves[0].prefix = leaves[0].whitespace = " "
    closing = _Leaf(")", ")")
    closing.opening = _Leaf("(", "(")  # on a line before
    closing.opening.role = closing.role = "params"
    kinds = [leaf.kind for leaf in leaves]
    stub = kinds[-4:] == [":", ".", ".", "."]
    colon = len(leaves) - (4 if stub else 1)
    if colon < 2 or kinds[0] != "->" or kinds[colon] != ":" or _top(leaves, ":") != [colon]:
        raise _Cannot("a definition's tail black would not split this way")
    if any(leaf.kind == "name" and leaf.value in _KEYWORDS - {"None", "True", "False"} for leaf in leaves):
        raise _Cannot("a keyword in an annotation")
    if leaves[1].kind == "string":
        raise _Cannot("a string return annotation")
    _wrap(leaves, 1, colon)
    return _Line(depth, [closing, *leaves], track="none")


# -- where a line is -----------------------------------------------------------------------------------


_DEF_HEAD = re.compile(r"(?:async )?def \w+\(")
_DEF_HEAD_LINE = re.compile(r"(?:    )*(?:async )?def [A-Za-z_]\w*\(")
_COMMENT = re.compile(r" *# .*\S")


def _context(lines: list[str], skip: list[bool], i: int) -> str:
    """What line i is in, from the lines before it as black lays them out: "stmt", "def-tail" (closing a
    definition's parameters) or the role of the bracket it is an element of ("call", "params", ...)."""
    line = lines[i]
    code = line.lstrip(" ")
    indent = len(line) - len(code)
    closing = code[:1] in _CLOSING
    if indent % 4:
        raise _Cannot("odd indentation")
    if indent == 0 and not closing:
        return "stmt"
    for j in range(i - 1, -1, -1):
        prev = lines[j]
        prev_code = prev.lstrip(" ")
        if skip[j] or not prev_code or prev_code.startswith("#"):
            continue
        prev_indent = len(prev) - len(prev_code)
        if prev.endswith("\\"):
            raise _Cannot("a continued line")
        if closing:
            if prev_indent > indent:
                continue
            if prev_indent == indent and code[0] == ")" and _DEF_HEAD.fullmatch(prev_code):
                return "def-tail"
            raise _Cannot("a closing bracket black would not split this way")
        if prev_indent >= indent:
            continue
        if prev_indent != indent - 4:
            raise _Cannot("odd indentation")
        if prev.endswith(":"):
            return "stmt"
        last = prev[-1]
        if last not in _OPENING:
            raise _Cannot("not in brackets nor in a block")
        if last == "{":
            return "dict"
        if _DEF_HEAD.fullmatch(prev_code):
            return "params"
        before = prev[-2:-1]
        if before in ("'", '"'):
            raise _Cannot("a subscript of a literal")
        trailer = before.isalnum() or before in ("_", ")", "]")
        if last == "(":
            return "call" if trailer else "atom"
        return "subscript" if trailer else "list"
    raise _Cannot("no enclosing line")


_SPLIT: dict[tuple[str, str], tuple[str, ...] | None] = {}  # (where, line) -> its lines, None: not modelled


def _check_stable(logical: _Line, pieces: list[_Line]) -> None:
    """Refuse what black's second pass would lay out otherwise.

    black formats its own output again when it changed anything: the optional parentheses it made visible
    are then made invisible again where they are redundant, and the trailing commas it added are magic.
    Parentheses made visible by a split it did not take (both on one line) may lead to other splits; magic
    commas in a definition's return annotation make black split the definition at its last bracket rather
    than its first (should_split_funcdef_with_rhs): the same lines only if the parameters end with a comma.
    """
    if len(pieces) < 3:
        return
    for piece in pieces:  # optional parentheses made visible by a split black then did not take
        for leaf in piece.leaves:
            if leaf.optional and leaf.value and any(other.opening is leaf for other in piece.leaves):
                raise _Cannot("black's second pass would make these parentheses invisible again")
    if not logical.is_def:
        return
    flat = [leaf for piece in pieces for leaf in piece.leaves]
    arrow = next((i for i, leaf in enumerate(flat) if leaf.kind == "->"), len(flat))
    if any(leaf.synthetic for leaf in flat[arrow:]):
        params_end = next(i for i, leaf in enumerate(flat) if leaf.kind == ")" and leaf.role == "params")
        if flat[params_end - 1].kind != ",":
            raise _Cannot("black's second pass would split this definition at its return annotation")


def _split_line(lines: list[str], skip: list[bool], i: int, line: str) -> tuple[str, ...]:
    """`line` (at index i, or lines i and i + 1 joined) split as black splits it."""
    where = _context(lines, skip, i)
    key = (where, line)
    if key in _SPLIT:  # the same long lines recur across the modules of an SDK
        found = _SPLIT[key]
        if found is None:
            raise _Cannot("as before")
        return found
    if len(_SPLIT) > 20_000:
        _SPLIT.clear()
    code = line.lstrip(" ")
    depth = (len(line) - len(code)) // 4
    try:
        if where == "stmt":
            logical = _statement(code, depth)
        elif where == "def-tail":
            logical = _definition_tail(code, depth)
        else:
            logical = _element(code, depth, where)
        pieces = _transform(logical)
        _check_stable(logical, pieces)
        _SPLIT[key] = tuple(str(piece) for piece in pieces)
    except _Cannot:
        _SPLIT[key] = None
        raise
    return _SPLIT[key] or ()


def _layout(text: str) -> str | None:
    """`text` with its long lines split as black splits them, or None where that is beyond the model."""
    lines = text.split("\n")
    out: list[str] = []
    skip: list[bool] = []
    in_docstring = False
    changed = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if in_docstring or '"""' in line or "'''" in line:  # as in black_stable
            if in_docstring:
                in_docstring = '"""' not in line
            elif "'''" in line or not line.lstrip().startswith('"""'):
                return None
            else:
                in_docstring = '"""' not in line.lstrip()[3:]
            skip.append(True)
            out.append(line)
            i += 1
            continue
        skip.append(False)
        joined = line
        if line[-1:] in _PAIRS and i + 1 < len(lines) and lines[i + 1].lstrip()[:1] == _PAIRS[line[-1]]:
            # brackets left empty across two lines: black joins them
            closer = lines[i + 1].strip()
            if closer not in (_PAIRS[line[-1]], _PAIRS[line[-1]] + ",") or line.lstrip()[:1] in _CLOSING:
                return None
            joined = line + closer
        try:
            if len(joined) <= LINE_LENGTH // 2 or not _too_wide(joined):
                laid = [joined]
            elif (
                _COMMENT.fullmatch(joined)
                or _DEF_HEAD_LINE.fullmatch(joined)
                or _UNSPLITTABLE.fullmatch(joined)
            ):
                laid = [joined]  # black splits neither comments nor `def name(` (its left hand split's head),
                # nor a name, a string or an import's head already split
            else:
                laid = list(_split_line(lines, skip, i, joined))
        except _Cannot:
            return None
        if joined != line:
            skip.append(False)
            i += 1
        if laid != [line]:
            changed = True
        out.extend(laid)
        i += 1
    return "\n".join(out) if changed else text


# -- black itself, for what the model does not cover ---------------------------------------------------


def _black_many(items: list[tuple[str, str]]) -> list[str]:
    return [_format_with_black(path, text) for path, text in items]


def _black_all(todo: dict[str, str]) -> dict[str, str]:
    """black over `todo`, on every core when there is enough to do (largest files first, in two piles)."""
    workers = min(os.cpu_count() or 1, 4, len(todo))
    if workers < 2 or sum(len(t) for t in todo.values()) < 200_000 or os.environ.get("SDKGEN_NO_POOL"):
        return {path: _format_with_black(path, text) for path, text in todo.items()}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import black  # noqa: F401 - imported once here, inherited by the forked workers

    piles: list[list[tuple[str, str]]] = [[] for _ in range(workers * 2)]
    sizes = [0] * len(piles)
    for path, text in sorted(todo.items(), key=lambda item: -len(item[1])):
        smallest = sizes.index(min(sizes))
        piles[smallest].append((path, text))
        sizes[smallest] += len(text)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    out: dict[str, str] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        piles = [pile for pile in piles if pile]
        for pile, formatted in zip(piles, pool.map(_black_many, piles), strict=True):
            out.update(zip((path for path, _ in pile), formatted, strict=True))
    return out


# -- the cache: one file, read once and written once per run --------------------------------------------

_CACHE_MAGIC = b"sdkgen format cache 1\n"
_CACHE_BUDGET = 32 * 1024 * 1024  # characters of formatted text kept, this run's entries always
_CACHE_FILES_KEPT = 4  # cache files of other versions (of black or of this module) kept beside ours


class _Cache:
    """`cache_dir()/format.<version digest>.cache`: formatted texts by a digest of the rendered text.

    The file is a marshal of {digest: formatted text}, oldest first, behind a magic line and a SHA-256 of
    the payload (so a damaged file reads as empty). It is read at the first lookup and written (to a
    temporary file, then renamed over it) at the end of a run that added to it: this run's entries, then as
    many of the earlier entries, most recent first, as fit in `_CACHE_BUDGET`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.earlier: dict[bytes, str] | None = None
        self.used: dict[bytes, str] = {}
        self.added = False

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def _read(self) -> dict[bytes, str]:
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        start = len(_CACHE_MAGIC) + 32
        if not data.startswith(_CACHE_MAGIC):
            return {}
        if hashlib.sha256(data[start:]).digest() != data[start - 32 : start]:
            return {}
        try:
            entries = marshal.loads(data[start:])
        except (EOFError, ValueError, TypeError):
            return {}
        return entries if isinstance(entries, dict) else {}

    def load(self) -> dict[bytes, str]:
        if self.earlier is None:
            self.earlier = self._read()
        return self.earlier

    def get(self, text: str) -> str | None:
        key = self.key(text)
        found = self.load().get(key)
        if not isinstance(found, str):
            return None
        self.used[key] = found
        return found

    def put(self, text: str, formatted: str) -> None:
        self.used[self.key(text)] = formatted
        self.added = True

    def save(self) -> None:
        if not self.added:
            return
        earlier = self.load()
        budget = _CACHE_BUDGET - sum(len(value) for value in self.used.values())
        kept: list[tuple[bytes, str]] = []
        for key, value in reversed(earlier.items()):
            if key in self.used or not isinstance(value, str):
                continue
            budget -= len(value)
            if budget < 0:
                break
            kept.append((key, value))
        entries = dict(reversed(kept))
        entries.update(self.used)
        payload = marshal.dumps(entries)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(_CACHE_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, self.path)
        except OSError:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            return
        self._tidy()

    def _tidy(self) -> None:
        """Remove the oldest cache files of other versions beyond `_CACHE_FILES_KEPT`."""
        try:
            others = [p for p in self.path.parent.glob("format.*.cache") if p != self.path]
            if len(others) > _CACHE_FILES_KEPT:
                others.sort(key=lambda p: p.stat().st_mtime)
                for old in others[: len(others) - _CACHE_FILES_KEPT]:
                    old.unlink(missing_ok=True)
        except OSError:
            pass


def _open_cache(cache: bool) -> _Cache | None:
    if not cache or os.environ.get("SDKGEN_NO_CACHE"):
        return None
    # keyed by black's version and options, this module (the model changes with it) and marshal's format
    salt = f"{_black_version()} {LINE_LENGTH} {_TARGET} {_module_digest()} {sys.implementation.cache_tag}"
    digest = hashlib.sha256(salt.encode()).hexdigest()[:16]
    return _Cache(cache_dir() / f"format.{digest}.cache")


#: what a worker's formatter hands back: the cache entries it used or added, whether it added, black's to-do
Learnt = tuple[dict[bytes, str], bool, dict[str, str]]


class Formatter:
    """Formats files one at a time (the cache, else `prelayout`); what needs black itself waits for `finish`.

    A forked worker formats with a copy made before the fork and hands back `handover()`, which the parent
    `absorb`s: only the parent runs black and writes the cache file.
    """

    def __init__(self, cache: bool = True) -> None:
        self.store = _open_cache(cache)
        self.todo: dict[str, str] = {}  # path -> rendered text, for black

    def warm(self) -> None:
        """Read the cache file now (before a fork, so that the worker shares what was read)."""
        if self.store is not None:
            self.store.load()

    def format(self, path: str, text: str) -> str | None:
        """`text` as black lays it out; None when only black can (it is then formatted by `finish`)."""
        if not path.endswith(".py") or black_stable(text):  # no line too long: as black would leave it
            return text
        store = self.store
        if store is not None:  # by the text as rendered: a hit costs neither prelayout nor black
            found = store.get(text)
            if found is not None:
                return found
        laid = _layout(text)
        if laid is None:
            self.todo[path] = text
            return None
        if store is not None:
            store.put(text, laid)
        return laid

    def handover(self) -> Learnt:
        """What a worker learnt (see `Learnt`)."""
        if self.store is None:
            return {}, False, self.todo
        return self.store.used, self.store.added, self.todo

    def absorb(self, learnt: Learnt) -> None:
        used, added, todo = learnt
        if self.store is not None:
            self.store.used.update(used)
            self.store.added = self.store.added or added
        self.todo.update(todo)

    def finish(self, out: dict[str, str]) -> None:
        """black over what `format` left, into `out`; then the cache file is written (once)."""
        self.settle(out)
        self.save()

    def settle(self, out: dict[str, str]) -> None:
        """black over what `format` left so far, into `out`."""
        todo, self.todo = self.todo, {}
        for path, formatted in (_black_all(todo) if todo else {}).items():
            out[path] = formatted
            if self.store is not None:
                self.store.put(todo[path], formatted)

    def save(self) -> None:
        """Write the cache file (once a run, at its end)."""
        if self.store is not None:
            self.store.save()


def format_files(
    files: dict[str, str], *, cache: bool = True, progress: Callable[[int, int], None] | None = None
) -> dict[str, str]:
    """`files` as black formats them: Python laid out by `prelayout` where it can, by black where not."""
    formatter = Formatter(cache)
    out: dict[str, str] = {}
    for done, (path, text) in enumerate(files.items(), 1):
        if progress is not None:
            progress(done, len(files))
        formatted = formatter.format(path, text)
        if formatted is not None:
            out[path] = formatted
    formatter.finish(out)
    return {path: out[path] for path in files}


@functools.lru_cache(maxsize=1)
def _module_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
