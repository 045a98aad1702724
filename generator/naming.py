"""Words from spec names, and the case styles targets render them in.

Language-neutral: reserved words and identifier rules live in each target.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .ir.model import Name

__all__ = [
    "camel",
    "kebab",
    "name",
    "pascal",
    "screaming",
    "singular",
    "snake",
    "split_words",
]

_CHUNK = re.compile(r"[A-Za-z0-9]+")
_WORD = re.compile(r"[A-Z]+(?![a-z])\d*|[A-Z]?[a-z]+\d*|\d+[a-z]*")


@functools.lru_cache(maxsize=16384)  # the same names recur all over a spec (a field name, in every schema)
def split_words(text: str) -> tuple[str, ...]:
    """`createImageVariation` -> ("create", "image", "variation"); `HTTPServer2` -> ("http", "server2")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    for chunk in _CHUNK.findall(ascii_text):
        words.extend(w.lower() for w in _WORD.findall(chunk))
    return tuple(words)


def name(text: str) -> Name:
    from .ir.model import Name  # not at the top: the IR's builder imports this module

    return Name(words=split_words(text), original=text)


def snake(words: tuple[str, ...]) -> str:
    return "_".join(words)


def kebab(words: tuple[str, ...]) -> str:
    return "-".join(words)


def screaming(words: tuple[str, ...]) -> str:
    return "_".join(words).upper()


def pascal(words: tuple[str, ...]) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words)


def camel(words: tuple[str, ...]) -> str:
    if not words:
        return ""
    return words[0] + pascal(words[1:])


_IRREGULAR = {"people": "person", "children": "child", "data": "data", "news": "news", "status": "status"}


def singular(word: str) -> str:
    """A plain English singular, good enough to drop a resource's noun from a method name."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
