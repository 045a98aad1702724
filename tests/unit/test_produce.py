"""generator/produce.py: large plans are rendered and formatted by this process and a forked worker, which
take chunks of files from one queue; each plan is handed over as soon as it is complete.

Whatever the worker does (its share done, failed, killed, garbled, or no worker at all), the files, their
order, the progress shown and the format cache written are those of a run in one process.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from generator import produce as produce_module
from generator.format import Formatter
from generator.ir import build
from generator.load import load
from generator.produce import PARALLEL_FILES, produce, produce_each
from generator.render import environment
from generator.targets.base import Job, PlannedFile
from generator.targets.python import PythonTarget

pytestmark = pytest.mark.usefixtures("main_thread_only")  # the worker is forked

MODELS = 250  # with their resources, runtime and package files: well over PARALLEL_FILES


def _spec(tmp: Path) -> Path:
    """A spec whose Python SDK has a few hundred files, many with lines too long to leave as rendered."""
    schemas: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for i in range(MODELS):
        name = f"Model{i:03d}"
        schemas[name] = {
            "type": "object",
            "description": f"Model number {i}, described at some length so that docstrings wrap. " * 3,
            "required": ["identifier_of_this_particular_model_instance"],
            "properties": {
                "identifier_of_this_particular_model_instance": {"type": "string"},
                "a_rather_long_status_field_name_that_forces_a_split": {
                    "type": "string",
                    "enum": [f"state_number_{n}_of_the_lifecycle" for n in range(6)],
                },
                "neighbour": {"$ref": f"#/components/schemas/Model{(i + 1) % MODELS:03d}"},
                "values_by_a_fairly_long_key_name": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "integer"}},
                },
            },
        }
        paths[f"/group{i % 40}/items{i}"] = {
            "get": {
                "operationId": f"getItem{i}",
                "tags": [f"group{i % 40}"],
                "parameters": [
                    {"name": "a_long_query_parameter_name_for_filtering", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                    }
                },
            }
        }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Many files", "version": "1"},
        "servers": [{"url": "https://example.test"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    path = tmp / "many.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[PlannedFile], PythonTarget]:
    spec = _spec(tmp_path_factory.mktemp("spec"))
    api, _ = build(load(str(spec)))
    target = PythonTarget(api, Job(spec="many.json", target="python", out="unused", package_name="many"))
    plan = target.plan()
    assert len(plan) >= PARALLEL_FILES + 100
    return plan, target


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(folder))
    monkeypatch.delenv("SDKGEN_NO_FORK", raising=False)
    monkeypatch.delenv("SDKGEN_NO_CACHE", raising=False)
    return folder


def _run(planned: tuple[list[PlannedFile], PythonTarget], **kwargs: Any) -> dict[str, str]:
    plan, target = planned
    return produce(plan, environment("python", target.filters), **kwargs)


def _one_process(planned: tuple[list[PlannedFile], PythonTarget], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    with monkeypatch.context() as m:
        m.setenv("SDKGEN_NO_FORK", "1")
        return _run(planned, cache=False)


def _cache_entries(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[bytes, str]:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(folder))
    store = Formatter(cache=True).store
    assert store is not None
    return dict(store.load())


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the workers started from now on (the real ones: the count is only recorded)."""
    started: list[int] = []
    original = produce_module._Share.start

    def start(*args: Any, **kwargs: Any) -> Any:
        worker = original(*args, **kwargs)
        if worker is not None:
            started.append(worker.pid)
        return worker

    monkeypatch.setattr(produce_module._Share, "start", start)
    return started


def test_the_worker_changes_nothing(planned: Any, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _one_process(planned, monkeypatch)
    started = _forks(monkeypatch)
    shared = _run(planned)
    assert started, "a plan this large is shared with a worker"
    assert list(shared) == list(alone) == sorted(alone)
    assert shared == alone
    laid = [p for p, text in alone.items() if p.endswith(".py") and any(len(line) > 100 for line in text)]
    assert not laid  # every long line was laid out, by one process or the other
    # the cache holds the layouts both processes made: a second run finds every one of them
    entries = _cache_entries(cache, monkeypatch)
    other = cache.parent / "serial-cache"
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(other))
    monkeypatch.setenv("SDKGEN_NO_FORK", "1")
    _run(planned)
    assert entries == _cache_entries(other, monkeypatch)
    assert len(entries) > MODELS


def test_progress_counts_both_processes(planned: Any, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _forks(monkeypatch)
    seen: list[tuple[int, int]] = []
    _run(planned, progress=lambda done, total: seen.append((done, total)))
    assert started
    total = len(planned[0])
    assert {t for _, t in seen} == {total}
    assert seen[-1] == (total, total)
    counts = [d for d, _ in seen]
    assert counts == sorted(counts)
    # the worker's ticks arrive while this process works: the count passes its own share before the end
    assert any(d > (total + 1) // 2 for d in counts[:-1])


def _failing_share(how: str) -> Any:
    """A worker that hands back three chunks, takes a fourth, and then fails as `how` says."""

    def serve(ordered: Any, chunks: Any, formatter: Any, take: Any, send: Any) -> None:
        for _ in range(3):
            c = take()
            _, first, end = chunks[c]
            texts: dict[str, str] = {}
            for item in ordered[first:end]:
                produce_module._one(item, formatter, texts)
            todo, formatter.todo = formatter.todo, {}
            send(c, (texts, todo))
        c = take()
        if how == "raise":
            raise RuntimeError("the worker fails")
        if how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if how == "exit":
            os._exit(0)  # nothing more sent, status 0
        if how == "garbled":
            send(c, "not a chunk's texts")
            time.sleep(60)  # stopped by this process, which does the rest

    return serve


@pytest.mark.parametrize("how", ["raise", "kill", "exit", "garbled"])
def test_a_failed_worker_is_made_up_for(
    planned: Any, cache: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    alone = _one_process(planned, monkeypatch)
    started = _forks(monkeypatch)
    monkeypatch.setattr(produce_module, "_serve", _failing_share(how))
    seen: list[int] = []
    assert _run(planned, progress=lambda done, total: seen.append(done)) == alone
    assert started and seen[-1] == len(alone)
    assert seen == sorted(seen)
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0], os.WNOHANG)  # reaped


def _two_plans(planned: Any) -> list[tuple[list[PlannedFile], Any]]:
    """The plan and a copy of it under another folder: two targets' files, as one run makes them."""
    plan, target = planned
    env = environment("python", target.filters)
    other = [PlannedFile("other/" + p.path, p.template, p.context) for p in plan]
    return [(plan, env), (other, env)]


@pytest.mark.parametrize("no_fork", ["1", ""], ids=["one process", "shared with a worker"])
def test_several_plans_come_one_by_one(
    planned: Any, cache: Path, monkeypatch: pytest.MonkeyPatch, no_fork: str
) -> None:
    alone = _one_process(planned, monkeypatch)
    monkeypatch.setenv("SDKGEN_NO_FORK", no_fork)
    started = _forks(monkeypatch)
    seen: list[int] = []
    outputs = produce_each(_two_plans(planned), progress=lambda done, total: seen.append(done))
    first = next(outputs)
    count_at_first = seen[-1]
    second = next(outputs)
    assert next(outputs, None) is None
    assert bool(started) == (not no_fork)
    assert first == alone
    assert second == {"other/" + path: text for path, text in alone.items()}
    assert seen[-1] == 2 * len(alone)
    if no_fork:  # the second plan's files are made once the first is handed over
        assert count_at_first == len(alone)


def test_closing_early_stops_the_worker(planned: Any, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _forks(monkeypatch)
    outputs = produce_each(_two_plans(planned))
    assert next(outputs)
    outputs.close()
    assert started
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0], os.WNOHANG)  # stopped and reaped


def test_an_error_in_a_template_is_raised_here(
    planned: Any, cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A broken template of the user's fails the same way with the worker as without it."""
    plan, target = planned
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "type.py.jinja").write_text("{{ no_such_variable }}\n", encoding="utf-8")
    env = environment("python", target.filters, str(overlay))
    messages = []
    for no_fork in ("1", ""):
        monkeypatch.setenv("SDKGEN_NO_FORK", no_fork)
        started = _forks(monkeypatch)
        with pytest.raises(Exception) as raised:
            produce(plan, env)
        messages.append((type(raised.value), str(raised.value)))
        assert bool(started) == (not no_fork)
        for pid in started:
            with pytest.raises(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
    assert messages[0] == messages[1]
    assert "no_such_variable" in messages[0][1]


def test_no_worker_beside_other_threads(planned: Any, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork copies only the calling thread: with others running, all is done in this process."""
    alone = _one_process(planned, monkeypatch)
    started = _forks(monkeypatch)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _run(planned) == alone
    finally:
        stop.set()
        other.join()
    assert not started


def test_small_plans_are_done_here(planned: Any, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan, target = planned
    started = _forks(monkeypatch)
    few = plan[: PARALLEL_FILES - 1]
    out = produce(few, environment("python", target.filters))
    assert list(out) == sorted(p.path for p in few)
    assert not started
