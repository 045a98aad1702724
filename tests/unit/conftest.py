"""Unit tests: one stage at a time, fast. Tests on the full corpus specs are marked `slow`."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than a few seconds (e.g. the full OpenAI spec)")
