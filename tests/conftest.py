"""Shared fixtures: the loopback server and the generated SDK."""

from __future__ import annotations

import importlib
import os
import sys
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
