"""Put a generated file map on disk, or compare it with what is there (`check`).

- Only files whose bytes change are written; unchanged files keep their bytes and mtime.
- A manifest (`.sdkgen-manifest.json`) lists the files sdkgen wrote, so files it no longer produces are
  removed and files it did not write (a user's notes) are never touched.
- The new output is built complete beside the old one (unchanged and user files hard-linked) and swapped in
  with two renames, so an interrupted run leaves the previous output whole.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MANIFEST", "CheckResult", "OutputError", "WriteResult", "check", "current_text", "write"]

MANIFEST = ".sdkgen-manifest.json"


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


def _safe_parts(relative: str) -> list[str]:
    """The names along a relative `/` path, which must stay inside the output folder and be written as
    it would be normalised (no empty, `.` or `..` part: not absolute, no `a//b`, no trailing `/`)."""
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise OutputError(f"refusing to write '{relative}': the path leaves the output folder")
    return parts


def _safe_path(out: Path, relative: str) -> Path:
    return out.joinpath(*_safe_parts(relative))


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


def _aside(out: Path, kind: str) -> Path:
    return out.parent / f".{out.name}.sdkgen-{kind}"


def recover(out: Path) -> None:
    """Undo what an interrupted run left behind (idempotent).

    Killed between the two renames of the swap, the previous output is still whole under its `-old` name:
    put it back. A half-built `-new` folder is thrown away.
    """
    old, new = _aside(out, "old"), _aside(out, "new")
    if old.is_dir():
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)  # the swap had finished
        else:
            os.rename(old, out)  # interrupted mid-swap: the previous output comes back whole
    if new.exists():
        shutil.rmtree(new, ignore_errors=True)


def current_text(out: str | os.PathLike[str], relative: str) -> str | None:
    """A file of the output folder as it stands (the previous output, while a swap is interrupted)."""
    data = _current(_safe_path(_live(Path(out)), relative))
    return data.decode("utf-8", errors="replace") if data is not None else None


def _live(out: Path) -> Path:
    """The folder holding the current output, even while a swap is interrupted (read-only callers)."""
    old = _aside(out, "old")
    return old if not out.exists() and old.is_dir() else out


def _mirror(src: Path, dst: Path, skip: set[str]) -> None:
    """Recreate `src` in `dst` with hard links (same bytes, same mtime, no copying), minus `skip`."""
    for folder, dirs, names in os.walk(src):
        here = Path(folder)
        rel = here.relative_to(src)
        (dst / rel).mkdir(parents=True, exist_ok=True)
        shutil.copystat(here, dst / rel, follow_symlinks=False)
        for name in names + [d for d in dirs if (here / d).is_symlink()]:
            relative = (rel / name).as_posix()
            if relative in skip:
                continue
            source, target = here / name, dst / rel / name
            if source.is_symlink():
                os.symlink(os.readlink(source), target)
            else:
                try:
                    os.link(source, target)
                except OSError:  # a file system without hard links
                    shutil.copy2(source, target)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _create(target: str, data: bytes) -> None:
    """Write a new file as `open(target, "wb")` would (the same mode under the umask), in three system
    calls where `open` makes six (it also asks for the file's size, whether it is a terminal, where it is)."""
    fd = os.open(target, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


#: outputs with more files than this are written by two threads
_THREADED_WRITE = 64


def _write_files(items: list[tuple[str, bytes]]) -> None:
    """Create the files (their folders first, each once). Many are written by two threads, each half of
    them: creating a file is mostly the kernel's work, which on some file systems is slow (ext4 soon after
    many deletions: about 1 ms a file, all of it CPU), and the threads then share it over two cores."""
    for folder in sorted({os.path.dirname(target) for target, _ in items}):
        os.makedirs(folder, exist_ok=True)

    def some(part: list[tuple[str, bytes]]) -> None:
        for target, data in part:
            _create(target, data)

    if len(items) <= _THREADED_WRITE or (os.cpu_count() or 1) < 2:
        some(items)
        return
    from concurrent.futures import ThreadPoolExecutor

    half = len(items) // 2  # in path order: the threads mostly create files in different folders
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in pool.map(some, [items[:half], items[half:]]):  # re-raises the first error
            pass


def write(out: str | os.PathLike[str], files: dict[str, str], *, force: bool = False) -> WriteResult:
    """Make `out` hold exactly `files` (plus any files sdkgen did not write).

    The new output is built complete beside the old one and swapped in with two renames, so an interrupted
    run (Ctrl-C, kill -9, a full disk) leaves the previous output whole; the next run tidies up.
    """
    root = Path(out).absolute()
    recover(root)
    previous = set(_read_manifest(root))
    result = WriteResult()
    changed: dict[str, bytes] = {}
    there = root.is_dir()  # a first run looks for no file: on a busy file system each look costs
    for relative in sorted(files):
        parts = _safe_parts(relative)
        data = files[relative].encode("utf-8")
        current = _current(root.joinpath(*parts)) if there else None
        if current == data:
            result.unchanged.append(relative)
            continue
        if current is not None and relative not in previous and not force:
            raise OutputError(
                f"refusing to overwrite {root.joinpath(*parts)}: sdkgen did not write it (move it away or"
                " pass --force)"
            )
        changed[relative] = data
    stale = sorted(p for p in previous if p not in files and _current(_safe_path(root, p)) is not None)
    manifest = _manifest_text(list(files)).encode("utf-8")
    if not changed and not stale and _current(root / MANIFEST) == manifest:
        return result

    new, old = _aside(root, "new"), _aside(root, "old")
    try:
        if root.is_dir():
            _mirror(root, new, set(changed) | set(stale) | {MANIFEST})
        _write_files([(os.path.join(new, *relative.split("/")), data) for relative, data in changed.items()])
        new.mkdir(parents=True, exist_ok=True)
        (new / MANIFEST).write_bytes(manifest)
        for relative in stale:  # folders the stale files leave empty go too
            parent = _safe_path(new, relative).parent
            while parent != new and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    if root.exists():
        os.rename(root, old)
        os.rename(new, root)
        shutil.rmtree(old, ignore_errors=True)
    else:
        root.parent.mkdir(parents=True, exist_ok=True)
        os.rename(new, root)
    result.written = sorted(changed)
    result.removed = stale
    return result


def check(out: str | os.PathLike[str], files: dict[str, str], *, label: str = "") -> CheckResult:
    """Compare `files` with the folder; writes nothing."""
    root = _live(Path(out))
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
