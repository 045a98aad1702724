"""Diagnostics: what is wrong with a spec, and exactly where (file:line:column and JSON pointer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["Diagnostic", "Location", "SpecError", "in_order", "pointer_join", "pointer_split"]


@dataclass(frozen=True)
class Location:
    """A place in a spec file: the path as the user gave it, 1-based line and column (in characters)."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One finding: how bad, what, and where (a JSON pointer into the document and a file location)."""

    severity: Literal["error", "warning"]
    message: str
    pointer: str = ""
    location: Location | None = None

    def format(self, file: str = "") -> str:
        """`specs/x.yaml:12:5: error: <message> [#/pointer]`; with no location, `file` (or `<spec>`) leads."""
        where = str(self.location) if self.location else (file or "<spec>")
        suffix = f" [{self.pointer}]" if self.pointer else ""
        return f"{where}: {self.severity}: {self.message}{suffix}"


def in_order(diagnostics: list[Diagnostic], default_file: str = "") -> list[Diagnostic]:
    """Without repeats, by file, line, column and message (`default_file` for those without a location)."""
    unique = list({(d.severity, d.message, d.pointer): d for d in diagnostics}.values())
    return sorted(
        unique,
        key=lambda d: (
            d.location.file if d.location else default_file,
            d.location.line if d.location else 0,
            d.location.column if d.location else 0,
            d.message,
        ),
    )


class SpecError(Exception):
    """The spec cannot be used; `diagnostics` says why and where."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("; ".join(d.format() for d in self.diagnostics))


def pointer_join(pointer: str, *parts: str | int) -> str:
    """Append reference tokens to a JSON pointer, escaping `~` and `/` (RFC 6901)."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "/".join([pointer, *escaped]) if parts else pointer


def pointer_split(pointer: str) -> list[str]:
    """The unescaped reference tokens of a pointer (`#/a/b~1c` or `/a/b~1c` -> `["a", "b/c"]`)."""
    body = pointer[1:] if pointer.startswith("#") else pointer
    if not body:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in body.split("/")[1:]]
