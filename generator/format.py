"""Format rendered texts: black for Python, in process; other files pass through."""

from __future__ import annotations

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

__all__ = ["LINE_LENGTH", "format_files"]

LINE_LENGTH = 100
_MODE = Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY39})


def format_files(files: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for path, text in files.items():
        if path.endswith(".py"):
            try:
                text = black.format_str(text, mode=_MODE)
            except InvalidInput as exc:  # a template bug, never the user's spec
                raise RuntimeError(f"generated {path} is not valid Python: {exc}") from exc
        out[path] = text
    return out
