"""Static checks: ruff and mypy on the generator, mypy --strict on the generated SDK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_ruff_on_generator() -> None:
    result = run("ruff", "check", "generator")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_on_generator() -> None:
    result = run("mypy", "generator")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_python_passes_mypy_strict() -> None:
    result = run("mypy", "--strict", "--no-incremental", "openai_images", cwd=ROOT / "generated" / "python")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_python_is_ruff_clean() -> None:
    result = run(
        "ruff",
        "check",
        "--no-cache",
        "--isolated",
        "--select",
        "E,F,W,I",
        "--line-length",
        "100",
        "--ignore",
        "E501",  # black's line length; long string literals and docstrings are left as they are
        "generated/python",
    )
    assert result.returncode == 0, result.stdout + result.stderr
