"""kill -9 during a regeneration of the full OpenAI SDK leaves the previous output whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

OPENAI = SHARED / "corpus" / "openai.yaml"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def unchanged(folder: Path, before: dict[str, bytes]) -> bool:
    """Whether `folder` holds exactly `before` (a plain bool: pytest's diff of 2,000 files would take
    many minutes)."""
    return tree(folder) == before


def start(spec: Path, out: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            str(spec),
            "--out",
            str(out),
            "--package-name",
            "oai",
            "-q",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_kill_9_midway_leaves_the_previous_output_whole(tmp_path: Path) -> None:
    if not OPENAI.exists():
        pytest.skip(f"the corpus is not beside the project ({OPENAI})")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # black's cache is shared with the other full-spec tests
    out = tmp_path / "sdk"
    first = start(OPENAI, out, env)
    assert first.wait(timeout=600) == 0, first.stderr.read() if first.stderr else ""
    (out / "NOTES.md").write_text("mine\n")
    before = tree(out)
    assert len(before) > 2000

    changed = tmp_path / "openai.yaml"
    changed.write_text(OPENAI.read_text().replace("The Unix timestamp", "The UNIX time"))

    # 1. killed while generating (before anything is written)
    proc = start(changed, out, env)
    time.sleep(0.5)  # reading the spec still: the whole run writes from about 2 s on, on this machine
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert unchanged(out, before), "the previous output changed"

    # 2. killed while the new output is being built beside the old one
    proc = start(changed, out, env)
    aside = tmp_path / ".sdk.sdkgen-new"
    deadline = time.monotonic() + 300
    while not aside.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert unchanged(out, before), "the previous output changed"

    # 3. the next run tidies up and finishes the job
    done = start(changed, out, env)
    assert done.wait(timeout=600) == 0
    after = tree(out)
    assert after["NOTES.md"] == b"mine\n"
    assert any(b"The UNIX time" in data for data in after.values())
    assert not aside.exists() and not (tmp_path / ".sdk.sdkgen-old").exists()
