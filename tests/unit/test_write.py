"""generator/write.py with many files: written by two threads, byte for byte; a failure leaves the
previous output whole and nothing beside it."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from generator import write as write_module
from generator.write import MANIFEST, write


def _files(n: int, tag: str) -> dict[str, str]:
    return {f"pkg/sub{i % 7}/deeper{i % 3}/m{i:04d}.py": f"# {tag} {i}\n" + "x = 1\n" * (i % 50) for i in range(n)}


def _on_disk(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in out.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }


def test_many_files_are_written_exactly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _files(300, "one")
    assert len(first) > write_module._THREADED_WRITE
    done = write(out, first)
    assert sorted(done.written) == sorted(first)
    assert _on_disk(out) == first
    assert json.loads((out / MANIFEST).read_text())["files"] == sorted(first)
    second = {**_files(250, "two"), "pkg/new/only.py": "y = 2\n"}
    done = write(out, second)
    assert _on_disk(out) == second
    assert sorted(done.removed) == sorted(set(first) - set(second))
    assert not list(tmp_path.glob(".out.sdkgen-*"))


def test_a_file_that_cannot_be_written_leaves_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _files(200, "one")
    write(out, first)
    # a name longer than any file system takes: its creation fails (ENAMETOOLONG), midway through the files
    second = {**_files(200, "two"), "pkg/sub3/" + "n" * 300 + ".py": "z = 3\n"}
    with pytest.raises(OSError) as failed:
        write(out, second)
    assert failed.value.errno == errno.ENAMETOOLONG
    assert _on_disk(out) == first
    assert not list(tmp_path.glob(".out.sdkgen-*"))
