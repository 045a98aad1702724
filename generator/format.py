"""Format rendered texts: black for Python, in process; other files pass through.

black is the slowest stage by far (most of a minute on the full OpenAI SDK), so its results are cached on
disk by content: the cache key is the text before formatting plus black's version and options, the value the
formatted text. A warm run does not even import black. A cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from .validate import cache_dir

__all__ = ["LINE_LENGTH", "black_stable", "format_files", "prelayout"]

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
# string (or a dict entry of a string and a constant) inside brackets, the head of an import already split:
# black does not split strings or names.
_STRING = r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
_UNSPLITTABLE = re.compile(
    r" *[A-Za-z_]\w*(?: as [A-Za-z_]\w*)?,"
    rf"| +(?:{_STRING}),?"
    rf"| +(?:{_STRING}): (?:{_STRING}|True|False|None|-?\d+),?"
    r"| *from \.[\w.]* import \("
)


def black_stable(text: str) -> bool:
    """Whether black would leave `text` as it is, as far as our templates go: no code line is too long.

    Our templates lay code out as black does (exploded calls with trailing commas, double quotes, two blank
    lines between top-level definitions) and `prelayout` splits the long lines of types modules as black
    would; what is left is lines too long. Docstring lines may be long: black leaves their text alone.
    tests/test_format.py checks this against black on real outputs.
    """
    in_docstring = False
    for line in text.splitlines():
        quotes = line.count('"""')
        if in_docstring or quotes:
            if quotes % 2:
                in_docstring = not in_docstring
            continue
        if _too_wide(line) and not _UNSPLITTABLE.fullmatch(line):
            return False
    return True


def prelayout(path: str, text: str) -> str:
    """`text` with its long lines split as black splits them, where `_layout_line` knows how."""
    if not path.endswith(".py"):
        return text
    lines = text.split("\n")
    out: list[str] = []
    in_docstring = False
    changed = False
    for line in lines:
        quotes = line.count('"""')
        if in_docstring or quotes:
            if quotes % 2:
                in_docstring = not in_docstring
            out.append(line)
            continue
        laid = _layout_line(line) if len(line) > LINE_LENGTH else None
        if laid is None:
            out.append(line)
        else:
            out.extend(laid)
            changed = True
    return "\n".join(out) if changed else text


# -- laying out long lines as black does -------------------------------------------------------------
#
# black splits a line that is too long at its last bracket pair ("right hand split"): the text up to the
# opening bracket stays, the contents go one level deeper, the closing bracket and what follows on a line of
# their own; contents that are still too long are split at their commas, one element a line with a trailing
# comma added, and each element is laid out the same way. A literal tuple, list or dict that is split is
# always split at every comma. `_layout_line` does this for the few kinds of lines the types modules hold
# (entries of `__sdk_fields__`, field annotations, type aliases, imports, `__all__`) and gives up (returns
# None) on anything else, or when black would do something subtler (a head that does not fit, non-ASCII
# text, operators): such a line stays long, so its file goes through black. tests/test_format.py checks the
# result against black itself on real specs.

_TOKEN = re.compile(r'(\s*)("(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|[()\[\]{},]|[^\s()\[\]{},"\']+)')
_OPENING = {"(": ")", "[": "]", "{": "}"}
_OPERATORS = frozenset(
    "| & ^ + - * / // % @ ** ~ < > <= >= == != and or not in is if else lambda for async await := ->".split()
)
_Token = tuple[str, str]  # (the whitespace before it, its text)


class _Cannot(Exception):
    """black would lay this line out in a way `_layout_line` does not model."""


def _tokens(code: str) -> list[_Token]:
    out: list[_Token] = []
    at = 0
    for match in _TOKEN.finditer(code):
        if match.start() != at:
            raise _Cannot("untokenizable text")
        at = match.end()
        if match.group(2) in _OPERATORS or match.group(2).startswith("#"):
            raise _Cannot("an operator or a comment")
        out.append((match.group(1), match.group(2)))
    if at != len(code) or not out:
        raise _Cannot("untokenizable text")
    for (_, value), (_, after) in itertools.pairwise(out):
        if value == "," and after in ")]}":
            raise _Cannot("a trailing comma black may keep as magic")
    return out


def _text(tokens: list[_Token], depth: int) -> str:
    return "    " * depth + "".join(p + v for p, v in tokens).lstrip()


def _matching(tokens: list[_Token]) -> dict[int, int]:
    """Closing bracket index -> its opening bracket's index."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for i, (_, value) in enumerate(tokens):
        if value in _OPENING:
            stack.append(i)
        elif value in ")]}":
            if not stack or _OPENING[tokens[stack[-1]][1]] != value:
                raise _Cannot("unbalanced brackets")
            pairs[i] = stack.pop()
    if stack:
        raise _Cannot("unbalanced brackets")
    return pairs


def _top_commas(tokens: list[_Token]) -> list[int]:
    depth = 0
    out = []
    for i, (_, value) in enumerate(tokens):
        if value in _OPENING:
            depth += 1
        elif value in ")]}":
            depth -= 1
        elif value == "," and depth == 0:
            out.append(i)
    return out


def _is_literal(tokens: list[_Token], opening: int) -> bool:
    """Whether the bracket at `opening` opens a tuple, list or dict display (not a call or subscript)."""
    if tokens[opening][1] == "{":
        return True
    if opening == 0:
        return True
    before = tokens[opening - 1][1]
    return before in _OPENING or before == "," or before.endswith(("=", ":"))


def _fits(text: str) -> bool:
    return len(text) <= LINE_LENGTH


def _lay(tokens: list[_Token], depth: int, inside: bool, explode: bool = False) -> list[str]:
    """Lines for one logical line inside brackets (or a plain expression statement), as black makes them."""
    text = _text(tokens, depth)
    if _fits(text) and not explode:
        return [text]
    if inside:
        commas = _top_commas(tokens)
        if commas and not (len(commas) == 1 and commas[0] == len(tokens) - 1):
            lines: list[str] = []
            start = 0
            for c in commas:
                lines.extend(_lay(tokens[start : c + 1], depth, True))
                start = c + 1
            if start < len(tokens):
                lines.extend(_lay(tokens[start:] + [("", ",")], depth, True))
            return lines
    if _UNSPLITTABLE.fullmatch(text):
        return [text]
    return _right_hand_split(tokens, depth)


def _right_hand_split(tokens: list[_Token], depth: int, head_room: int = LINE_LENGTH) -> list[str]:
    pairs = _matching(tokens)
    closing = max((i for i in pairs), default=-1)
    if closing < 0:
        raise _Cannot("no brackets to split at")
    opening = pairs[closing]
    head, body, tail = tokens[: opening + 1], tokens[opening + 1 : closing], tokens[closing:]
    if not body:
        raise _Cannot("an empty body")
    head_text = _text(head, depth)
    if len(head_text) > head_room:
        raise _Cannot("the head does not fit: black tries other splits")
    body_commas = _top_commas(body)
    explode = _is_literal(tokens, opening) and bool([c for c in body_commas if c != len(body) - 1])
    return [head_text, *_lay(body, depth + 1, True, explode), *_lay(tail, depth, False)]


def _layout_line(line: str) -> list[str] | None:
    """black's lines for one too-long line of a types module, or None where this does not model black."""
    if not line.isascii():
        return None
    code = line.lstrip(" ")
    indent = len(line) - len(code)
    if indent % 4:
        return None
    depth = indent // 4
    try:
        if code.startswith("FieldInfo(") and code.endswith("),") and depth == 2:
            return _lay(_tokens(code), depth, True)
        match = re.fullmatch(r"from (\.[\w.]*) import ([\w, ]+)", code)
        if match:
            names = [n.strip() for n in match.group(2).split(",") if n.strip()]
            body = ["    " * (depth + 1) + name + "," for name in names]
            head = f"{' ' * indent}from {match.group(1)} import ("
            # a name (or `name as alias`) too long even alone is left so by black
            if not all(_fits(line) or _UNSPLITTABLE.fullmatch(line) for line in (head, *body)):
                return None
            return [head, *body, f"{' ' * indent})"]
        match = re.fullmatch(r"(__all__ = \[)(\"\w+\")\]", code)
        if match and depth == 0:
            return [match.group(1), "    " + match.group(2), "]"] if len(match.group(2)) <= 96 else None
        match = re.fullmatch(r"(\w+: TypeAlias = )(.+)", code)
        if match and depth == 0:
            value = match.group(2)
            if re.fullmatch(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', value):  # one string
                return [match.group(1) + "(", "    " + value, ")"]
            return _annotation(_tokens(code), 0, default=False)
        match = re.fullmatch(r"\w+: (.+?)( = None)?", code)
        if match and depth == 1:
            return _annotation(_tokens(code), depth, default=bool(match.group(2)))
        match = re.fullmatch(r"(\w+): (.+) \| Omit = omit,", code)
        if match and depth >= 2:  # a method's optional parameter: black parenthesizes the annotation
            inner = "    " * (depth + 1)
            if _fits(inner + match.group(2) + " | Omit"):
                body = [inner + match.group(2) + " | Omit"]
            else:  # split at the `|`, then the annotation itself if it still does not fit
                annotation = [inner + match.group(2)]
                if not _fits(annotation[0]):
                    annotation = _annotation(_tokens(match.group(2)), depth + 1, default=False) or []
                if not annotation:
                    return None
                body = [*annotation, inner + "| Omit"]
            return [f"{' ' * indent}{match.group(1)}: (", *body, f"{' ' * indent}) = omit,"]
        match = re.fullmatch(r"(\w+)=(\{.*\}),", code)
        if match and depth >= 3:  # a keyword argument that is a dict: one entry a line
            return _lay(_tokens(code), depth, True)
        if code.startswith("COMMANDS: List[Dict[str, Any]] = [") and depth == 0:  # the CLI's table
            return _lay(_tokens(code), depth, False)
        if re.fullmatch(r"\w+: \w+\[.*\],", code) and depth == 2:  # a required parameter
            return _lay(_tokens(code), depth, True)
        if re.fullmatch(r"self\.\w+ = \w+\(resource\.\w+\)", code) and depth == 2:  # raw-response wrappers
            return _lay(_tokens(code), depth, False)
    except _Cannot:
        return None
    return None


def _annotation(tokens: list[_Token], depth: int, default: bool) -> list[str] | None:
    """`name: Ann` or `name: Ann = None` (or an alias `Name: TypeAlias = Ann`) where Ann is `X[...]`."""
    if default:
        if tokens[-2:] != [(" ", "="), (" ", "None")]:
            raise _Cannot("not `= None`")
        head = _text(tokens[:-1], depth) + " ("
        if _fits(head):  # black wraps the default in (optional) parentheses instead
            return [head, "    " * (depth + 1) + "None", "    " * depth + ")"]
        annotation = tokens[:-2]
    else:
        annotation = tokens
    if annotation[-1][1] != "]":
        raise _Cannot("the annotation does not end with a subscript")
    pairs = _matching(annotation)
    opening = pairs[len(annotation) - 1]
    # the subscript must be the whole annotation (`name: X[...]`), after the last `:` or `=`
    if opening < 1 or not annotation[opening - 1][1][:1].isalpha():
        raise _Cannot("not a plain subscript")
    before = [v for _, v in annotation[: opening - 1]]
    if any(v in "()[]{}," for v in before):
        raise _Cannot("brackets before the annotation")
    lines = _right_hand_split(annotation, depth)
    if default:
        lines[-1] += " = None"
        if not _fits(lines[-1]):
            raise _Cannot("the tail does not fit")
    return lines


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


def format_files(
    files: dict[str, str], *, cache: bool = True, progress: Callable[[int, int], None] | None = None
) -> dict[str, str]:
    folder = cache_dir() / "black" if cache and not os.environ.get("SDKGEN_NO_CACHE") else None
    # keyed by the rendered text, black's version and this module (prelayout changes with it)
    salt = f"black {_black_version()} {LINE_LENGTH} {_TARGET} {_module_digest()}\0" if folder else ""
    out: dict[str, str] = {}
    todo: dict[str, str] = {}
    entries: dict[str, Path] = {}
    for done, (path, text) in enumerate(files.items(), 1):
        if progress is not None:
            progress(done, len(files))
        if not path.endswith(".py") or black_stable(text):  # no line too long: as black would leave it
            out[path] = text
            continue
        if folder is not None:  # by the text as rendered: a hit costs neither prelayout nor black
            key = hashlib.sha256((salt + text).encode()).hexdigest()
            entries[path] = folder / key[:2] / key
            try:
                out[path] = entries[path].read_text(encoding="utf-8")
                continue
            except (OSError, UnicodeDecodeError):
                pass
        laid = prelayout(path, text)
        if black_stable(laid):
            out[path] = laid
            _store(entries.get(path), laid)
            continue
        todo[path] = laid
    for path, formatted in _black_all(todo).items():
        out[path] = formatted
        _store(entries.get(path), formatted)
    return {path: out[path] for path in files}


@functools.lru_cache(maxsize=1)
def _module_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _store(entry: Path | None, formatted: str) -> None:
    """Remember the formatted text in the cache (a cache we cannot write only costs time)."""
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        tmp.write_text(formatted, encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        pass
