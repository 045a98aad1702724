"""Shared fixtures: the loopback server and the generated SDK."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.loopback import Loopback

ROOT = Path(__file__).resolve().parents[1]
SDK_PATH = Path(os.environ.get("SDKGEN_SDK_PATH", ROOT / "generated" / "python"))
SHARED = ROOT.parent / "shared"


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    with Loopback() as server:
        yield server


@pytest.fixture(scope="session")
def sdk() -> ModuleType:
    """The generated Python SDK (generated/python), imported as a user would."""
    if str(SDK_PATH) not in sys.path:
        sys.path.insert(0, str(SDK_PATH))
    return importlib.import_module("openai_images")


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`openai`, the console script of generated/python, pip-installed (not editable) into its own venv."""
    home = tmp_path_factory.mktemp("cli-venv")
    venv.create(home, with_pip=True, system_site_packages=True)  # httpx2 comes from the test environment
    src = home / "src"
    shutil.copytree(SDK_PATH, src)
    subprocess.run(
        [
            str(home / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return home / "bin" / "openai"
