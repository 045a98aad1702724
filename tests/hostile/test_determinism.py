"""The same input gives identical bytes across runs, processes and PYTHONHASHSEED values: the full OpenAI spec."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

OPENAI = SHARED / "corpus" / "openai.yaml"


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_full_openai_spec_is_byte_identical_under_three_hash_seeds(tmp_path: Path) -> None:
    if not OPENAI.exists():
        pytest.skip(f"the corpus is not beside the project ({OPENAI})")
    trees = []
    for seed in ("0", "1", "987654"):
        out = tmp_path / f"seed-{seed}"
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "PYTHONPATH": str(ROOT),
        }
        for target in ("python", "docs"):
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "generator",
                    "generate",
                    str(OPENAI),
                    "--target",
                    target,
                    "--out",
                    str(out / target),
                    "--package-name",
                    "oai",
                    "-q",
                ],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=900,
            )
        trees.append(digest(out))
    assert len(trees[0]) > 3000
    assert trees[0] == trees[1] == trees[2]
