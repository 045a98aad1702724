"""Broken specs: one clear message naming the problem and where it is, exit 1, no traceback, bounded time,
and the output folder exactly as it was.

Each folder here holds a spec (`spec.*`), optional extra arguments (`args`) and the expected stderr
(`expected.txt`, a golden file). Refresh the goldens with `SDKGEN_UPDATE_GOLDEN=1 python -m pytest tests/bad`
and review the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CASES = sorted(p for p in HERE.iterdir() if p.is_dir() and not p.name.startswith("__"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_spec(case: Path, tmp_path: Path) -> None:
    (spec,) = case.glob("spec.*")
    args = (case / "args").read_text().split() if (case / "args").exists() else []
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("the previous output\n")
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    start = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec.relative_to(ROOT)),
            "--out",
            str(out),
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    elapsed = time.monotonic() - start
    expected = case / "expected.txt"
    if os.environ.get("SDKGEN_UPDATE_GOLDEN"):
        expected.write_text(result.stderr)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == expected.read_text()
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()} == before
    assert elapsed < 20
