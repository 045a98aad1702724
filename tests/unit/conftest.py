"""Unit tests: one stage at a time, fast. Tests on the full corpus specs are marked `slow`."""

from __future__ import annotations

import threading
import time

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than a few seconds (e.g. the full OpenAI spec)")


@pytest.fixture
def main_thread_only() -> None:
    """The generator forks its worker only in a process without other threads (generator/produce.py): the
    tests that count on that fork wait here for threads that earlier tests of this process left behind
    to end, and name those that do not."""
    deadline = time.monotonic() + 10
    while threading.active_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not others, f"threads left running by earlier tests keep the generator from forking: {others}"
