"""Diagnostics: what is wrong with a spec, and exactly where (file:line:column and JSON pointer)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["Diagnostic", "Location", "SpecError", "pointer_join"]


@dataclass(frozen=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    severity: Literal["error", "warning"]
    message: str
    pointer: str = ""
    location: Location | None = None

    def format(self, file: str = "") -> str:
        where = str(self.location) if self.location else (file or "<spec>")
        suffix = f" [{self.pointer}]" if self.pointer else ""
        return f"{where}: {self.severity}: {self.message}{suffix}"


class SpecError(Exception):
    """The spec cannot be used; `diagnostics` says why and where."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("; ".join(d.format() for d in self.diagnostics))


def pointer_join(pointer: str, *parts: str | int) -> str:
    """Append reference tokens to a JSON pointer, escaping `~` and `/` (RFC 6901)."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "/".join([pointer, *escaped]) if parts else pointer
