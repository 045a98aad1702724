"""Format rendered texts: black for Python, in process; other files pass through.

black is the slowest stage by far (most of a minute on the full OpenAI SDK), so its results are cached on
disk by content: the cache key is the text before formatting plus black's version and options, the value the
formatted text. A warm run does not even import black. A cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from .validate import cache_dir

__all__ = ["LINE_LENGTH", "format_files"]

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


def black_stable(text: str) -> bool:
    """Whether black would leave `text` as it is, as far as our templates go: no code line is too long.

    Our templates lay code out as black does (exploded calls with trailing commas, double quotes, two blank
    lines between top-level definitions); what they cannot do is split a long line. Docstring lines may be
    long: black leaves their text alone. tests/test_format.py checks this against black on real outputs.
    """
    in_docstring = False
    for line in text.splitlines():
        quotes = line.count('"""')
        if in_docstring or quotes:
            if quotes % 2:
                in_docstring = not in_docstring
            continue
        if len(line) > LINE_LENGTH:
            return False
    return True


def format_files(
    files: dict[str, str], *, cache: bool = True, progress: Callable[[int, int], None] | None = None
) -> dict[str, str]:
    folder = cache_dir() / "black" if cache and not os.environ.get("SDKGEN_NO_CACHE") else None
    salt = f"black {_black_version()} {LINE_LENGTH} {_TARGET}\0" if folder else ""
    out: dict[str, str] = {}
    for done, (path, text) in enumerate(files.items(), 1):
        if progress is not None:
            progress(done, len(files))
        if not path.endswith(".py") or black_stable(text):
            out[path] = text
            continue
        entry: Path | None = None
        if folder is not None:
            key = hashlib.sha256((salt + text).encode()).hexdigest()
            entry = folder / key[:2] / key
            try:
                out[path] = entry.read_text(encoding="utf-8")
                continue
            except (OSError, UnicodeDecodeError):
                pass
        formatted = _format_with_black(path, text)
        out[path] = formatted
        if entry is not None:
            try:
                entry.parent.mkdir(parents=True, exist_ok=True)
                tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
                tmp.write_text(formatted, encoding="utf-8")
                os.replace(tmp, entry)
            except OSError:
                pass
    return out
