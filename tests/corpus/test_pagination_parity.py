"""The full OpenAI spec's lists page as the official `openai` package's do, on the wire.

The Python SDK of ../shared/corpus/openai.yaml is generated with examples/openai's names table (so its
resources are named as the official ones); for each list the official package pages (cursor lists,
and `models.list`, one page), both SDKs iterate every item against the same loopback server, which
answers three pages (has_more, last_id, next, next_page all saying where the next page starts). The
requests (method, path and query, byte for byte) and the ids yielded must be the same. Sync, and
async for a few.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import sys
from collections.abc import Iterator
from dataclasses import replace
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import openai
import pytest

from generator.config import load_jobs
from generator.pipeline import generate
from tests.conftest import ROOT, SHARED
from tests.support.loopback import Loopback, Recorded, Reply

SPEC = SHARED / "corpus" / "openai.yaml"
EXAMPLE = ROOT / "examples" / "openai" / "pyproject.toml"
PACKAGE = "openai_sdk"

# (the official dotted method, its positional arguments): every list the official package pages
LISTS: list[tuple[str, tuple[str, ...]]] = [
    ("files.list", ()),
    ("models.list", ()),
    ("batches.list", ()),
    ("fine_tuning.jobs.list", ()),
    ("fine_tuning.jobs.list_events", ("ftjob-1",)),
    ("fine_tuning.jobs.checkpoints.list", ("ftjob-1",)),
    ("fine_tuning.checkpoints.permissions.list", ("ft:gpt-4o:org:x:1",)),
    ("vector_stores.list", ()),
    ("vector_stores.files.list", ("vs_1",)),
    ("vector_stores.file_batches.list_files", ("vsfb_1",)),
    ("beta.assistants.list", ()),
    ("beta.threads.messages.list", ("thread_1",)),
    ("beta.threads.runs.list", ("thread_1",)),
    ("beta.threads.runs.steps.list", ("run_1",)),
    ("beta.chatkit.threads.list", ()),
    ("beta.chatkit.threads.list_items", ("cthr_1",)),
    ("chat.completions.list", ()),
    ("chat.completions.messages.list", ("chatcmpl-1",)),
    ("containers.list", ()),
    ("containers.files.list", ("cntr_1",)),
    ("evals.list", ()),
    ("evals.runs.list", ("eval_1",)),
    ("evals.runs.output_items.list", ("evalrun_1",)),
    ("responses.input_items.list", ("resp_1",)),
    ("conversations.items.list", ("conv_1",)),
    ("videos.list", ()),
    ("skills.list", ()),
    ("skills.versions.list", ("skill_1",)),
]
# the path parameters the official methods take as keywords beside the positional one
KEYWORDS: dict[str, dict[str, str]] = {
    "vector_stores.file_batches.list_files": {"vector_store_id": "vs_1"},
    "beta.threads.runs.steps.list": {"thread_id": "thread_1"},
    "containers.files.list": {},
    "evals.runs.output_items.list": {"eval_id": "eval_1"},
}
MUST_HAVE = {
    "files.list",
    "fine_tuning.jobs.list",
    "batches.list",
    "vector_stores.list",
    "vector_stores.files.list",
    "fine_tuning.jobs.checkpoints.list",
    "models.list",
    "beta.assistants.list",
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    if not SPEC.is_file():
        pytest.skip(f"the corpus is not beside the project ({SPEC})")
    out = tmp_path_factory.mktemp("openai-paging")
    job = next(j for j in load_jobs(EXAMPLE) if j.target == "python")
    for path, text in generate(replace(job, out=str(out))).files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))


def answer(request: Recorded) -> Reply:
    """Three pages of two items; a cursor `<name>-<page>-<item>` says which page comes next."""
    path = request.path.split("?", 1)[0].rstrip("/")
    name = path.rsplit("/", 1)[-1]
    if path.endswith("/models"):
        return Reply(200, {"object": "list", "data": [item("gpt-a"), item("gpt-b")]})
    query = dict(parse_qsl(request.query_string))
    cursor = query.get("after") or query.get("page") or ""
    page = int(cursor.split("-")[-2]) + 1 if cursor else 0
    ids = [f"{name}-{page}-{k}" for k in range(2)] if page < 3 else []
    more = page < 2
    return Reply(
        200,
        {
            "object": "list",
            "data": [item(i) for i in ids],
            "first_id": ids[0] if ids else None,
            "last_id": ids[-1] if ids else None,
            "has_more": more,
            "next": ids[-1] if more else None,
            "next_page": ids[-1] if more else None,
        },
    )


def item(identifier: str) -> dict[str, Any]:
    return {"id": identifier, "object": "thing", "created_at": 1, "created": 1}


def resolve(client: Any, dotted: str) -> Any:
    target = client
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


def call_kwargs(official: Any, dotted: str) -> dict[str, Any]:
    method = resolve(official, dotted)
    kwargs: dict[str, Any] = dict(KEYWORDS.get(dotted, {}))
    if "limit" in inspect.signature(method).parameters:
        kwargs["limit"] = 2
    return kwargs


def ident(value: Any) -> str:
    """An item's id (an item of a union none of whose variants it fits stays the dict it was)."""
    return str(value["id"] if isinstance(value, dict) else value.id)


def wire(server: Loopback) -> list[tuple[str, str]]:
    return [(r.method, r.target) for r in server.requests]


def official_lists() -> list[tuple[str, tuple[str, ...]]]:
    probe = openai.OpenAI(api_key="k", base_url="http://127.0.0.1:9")
    present = []
    for dotted, args in LISTS:
        try:
            resolve(probe, dotted)
        except AttributeError:
            assert dotted not in MUST_HAVE, f"the official package has no {dotted}"
            continue
        present.append((dotted, args))
    return present


@pytest.mark.parametrize(("dotted", "args"), official_lists(), ids=lambda v: v if isinstance(v, str) else "")
def test_iterating_pages_sends_what_the_official_sdk_sends(
    ours: ModuleType, loopback: Loopback, dotted: str, args: tuple[str, ...]
) -> None:
    loopback.responder = answer
    options = {"api_key": "sk-test", "base_url": loopback.url + "/v1", "max_retries": 0}
    official = openai.OpenAI(**options)
    kwargs = call_kwargs(official, dotted)
    theirs = [ident(x) for x in resolve(official, dotted)(*args, **kwargs)]
    their_wire = wire(loopback)
    loopback.requests.clear()
    with ours.OpenAI(**options) as client:
        page = resolve(client, dotted)(*args, **kwargs)
        mine = [ident(x) for x in page]
    assert wire(loopback) == their_wire
    assert mine == theirs
    expected = 2 if dotted == "models.list" else 6
    assert len(mine) == expected, mine
    assert len(their_wire) == (1 if dotted == "models.list" else 3)


@pytest.mark.parametrize(
    ("dotted", "args"),
    [("files.list", ()), ("fine_tuning.jobs.checkpoints.list", ("ftjob-1",)), ("models.list", ())],
)
def test_async_iteration_sends_what_the_official_sdk_sends(
    ours: ModuleType, loopback: Loopback, dotted: str, args: tuple[str, ...]
) -> None:
    loopback.responder = answer
    options = {"api_key": "sk-test", "base_url": loopback.url + "/v1", "max_retries": 0}

    async def run(client: Any, kwargs: dict[str, Any]) -> tuple[list[str], list[str]]:
        async with client:
            every = [ident(x) async for x in resolve(client, dotted)(*args, **kwargs)]
            first = await resolve(client, dotted)(*args, **kwargs)
            pages = [[ident(x) for x in p.data] async for p in first.iter_pages()]
        return every, [i for p in pages for i in p]

    kwargs = call_kwargs(openai.OpenAI(**options), dotted)
    theirs = asyncio.run(run(openai.AsyncOpenAI(**options), kwargs))
    their_wire = wire(loopback)
    loopback.requests.clear()
    mine = asyncio.run(run(ours.AsyncOpenAI(**options), kwargs))
    assert wire(loopback) == their_wire
    assert mine == theirs and theirs[0] == theirs[1]
