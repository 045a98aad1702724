"""Put a generated file map on disk, or compare it with what is there (`check`).

- Only files whose bytes change are written; unchanged files keep their bytes and mtime.
- A manifest (`.sdkgen-manifest.json`) lists the files sdkgen wrote, so files it no longer produces are
  removed and files it did not write (a user's notes) are never touched.
- New contents are first written to a staging folder beside their targets and then moved into place;
  a journal lets the next run finish an interrupted move, so the output is never left half-written.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

__all__ = ["MANIFEST", "CheckResult", "OutputError", "WriteResult", "check", "write"]

MANIFEST = ".sdkgen-manifest.json"
_STAGING = ".sdkgen-staging"
_JOURNAL = ".sdkgen-journal.json"


class OutputError(Exception):
    """The output folder cannot be written as asked (a user's file is in the way, a path escapes...)."""


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class CheckResult:
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    diff: str = ""

    @property
    def fresh(self) -> bool:
        return not (self.changed or self.added or self.removed)


def _safe_path(out: Path, relative: str) -> Path:
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or relative != pure.as_posix():
        raise OutputError(f"refusing to write '{relative}': the path leaves the output folder")
    return out.joinpath(*pure.parts)


def _read_manifest(out: Path) -> list[str]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    return [f for f in files if isinstance(f, str)] if isinstance(files, list) else []


def _manifest_text(paths: list[str]) -> str:
    return json.dumps({"generator": "sdkgen", "files": sorted(paths)}, indent=2) + "\n"


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def recover(out: Path) -> None:
    """Finish a move that an interrupted run left behind (idempotent)."""
    journal = out / _JOURNAL
    if not journal.exists():
        shutil.rmtree(out / _STAGING, ignore_errors=True)
        return
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        plan = {}
    staging = out / _STAGING
    for relative in plan.get("write", []):
        staged = _safe_path(staging, relative)
        if staged.exists():
            target = _safe_path(out, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
    for relative in plan.get("remove", []):
        _remove(out, relative)
    if "manifest" in plan:
        _atomic_write(out / MANIFEST, plan["manifest"].encode("utf-8"))
    shutil.rmtree(staging, ignore_errors=True)
    journal.unlink(missing_ok=True)


def _remove(out: Path, relative: str) -> None:
    target = _safe_path(out, relative)
    target.unlink(missing_ok=True)
    parent = target.parent
    while parent != out and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".sdkgen-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write(out: str | os.PathLike[str], files: dict[str, str], *, force: bool = False) -> WriteResult:
    """Make `out` hold exactly `files` (plus any files sdkgen did not write)."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    recover(root)
    previous = set(_read_manifest(root))
    result = WriteResult()
    changed: dict[str, bytes] = {}
    for relative in sorted(files):
        target = _safe_path(root, relative)
        data = files[relative].encode("utf-8")
        current = _current(target)
        if current == data:
            result.unchanged.append(relative)
            continue
        if current is not None and relative not in previous and not force:
            raise OutputError(
                f"refusing to overwrite {target}: sdkgen did not write it (move it away or pass --force)"
            )
        changed[relative] = data
    stale = sorted(p for p in previous if p not in files and _current(_safe_path(root, p)) is not None)
    manifest = _manifest_text(list(files))
    if not changed and not stale and _current(root / MANIFEST) == manifest.encode("utf-8"):
        return result

    staging = root / _STAGING
    shutil.rmtree(staging, ignore_errors=True)
    for relative, data in changed.items():
        staged = _safe_path(staging, relative)
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
    journal = {"write": sorted(changed), "remove": stale, "manifest": manifest}
    _atomic_write(root / _JOURNAL, json.dumps(journal).encode("utf-8"))
    recover(root)
    result.written = sorted(changed)
    result.removed = stale
    return result


def check(out: str | os.PathLike[str], files: dict[str, str], *, label: str = "") -> CheckResult:
    """Compare `files` with the folder; writes nothing."""
    root = Path(out)
    previous = _read_manifest(root)
    result = CheckResult()
    diffs: list[str] = []
    prefix = (label or str(root)).rstrip("/")
    for relative in sorted(files):
        target = _safe_path(root, relative)
        current = _current(target)
        new = files[relative]
        if current is None:
            result.added.append(relative)
            old_lines: list[str] = []
        elif current == new.encode("utf-8"):
            continue
        else:
            result.changed.append(relative)
            old_lines = current.decode("utf-8", errors="replace").splitlines(keepends=True)
        diffs.extend(
            difflib.unified_diff(
                old_lines,
                new.splitlines(keepends=True),
                fromfile=f"a/{prefix}/{relative}" if current is not None else "/dev/null",
                tofile=f"b/{prefix}/{relative}",
            )
        )
    for relative in sorted(set(previous) - set(files)):
        target = _safe_path(root, relative)
        current = _current(target)
        if current is None:
            continue
        result.removed.append(relative)
        diffs.extend(
            difflib.unified_diff(
                current.decode("utf-8", errors="replace").splitlines(keepends=True),
                [],
                fromfile=f"a/{prefix}/{relative}",
                tofile="/dev/null",
            )
        )
    result.diff = "".join(line if line.endswith("\n") else line + "\n" for line in diffs)
    return result
