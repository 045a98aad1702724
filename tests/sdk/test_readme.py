"""The generated Python package's README: its examples name the spec's own calls and type-check.

Two SDKs, of tests/sdk/responses/spec.yaml (a binary download, `files.content`) and of
tests/typescript/pagination/spec.yaml (lists that page, `files.list`). Each README's Python blocks become
the bodies of async functions in one module (the client of the first block global), checked by
`mypy --strict` against the generated package.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write

SPECS = {
    "responses": ("tests/sdk/responses/spec.yaml", ["## Downloads", 'client.files.content("file_id")']),
    "pagination": ("tests/typescript/pagination/spec.yaml", ["## Lists", "async for item in client.files.list()"]),
}


def blocks(readme: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", readme, flags=re.S)


@pytest.mark.parametrize("name", SPECS)
def test_the_readme_shows_the_specs_calls_and_type_checks(name: str, tmp_path: Path) -> None:
    spec, expected = SPECS[name]
    job = Job(spec=spec, target="python", out=str(tmp_path), package_name="readme_sdk")
    write(tmp_path, generate(job).files)
    readme = (tmp_path / "README.md").read_text()
    for text in [*expected, "## Raw and streamed responses", "## Options", "## Errors"]:
        assert text in readme
    assert "client.with_raw_response.files." in readme and "with_options(timeout=20.0" in readme
    found = blocks(readme)
    assert len(found) >= 6
    client = re.search(r"^from readme_sdk import (\w+)$", found[0], flags=re.M)
    assert client is not None
    module = f"from readme_sdk import {client[1]}\n\nclient = {client[1]}(api_key='k')\n"
    for n, block in enumerate(found):
        module += f"\n\nasync def block_{n}() -> None:\n" + textwrap.indent(block, "    ")
    (tmp_path / "readme_blocks.py").write_text(module)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "readme_blocks.py"],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "MYPYPATH": str(tmp_path)}, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + module
