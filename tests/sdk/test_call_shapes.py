"""Call shapes and names of the generated Python SDK, as users of the official OpenAI SDK know them.

tests/sdk/shapes/spec.yaml is generated into a package; a user's program (a snippet file) calls it: the
last path parameter positional (`client.pets.retrieve("p1")`), every other parameter keyword-only
(`pets.toys.retrieve("t1", pet_id="p1")`), fields and parameters by their wire names in snake_case (`.type`,
`.bytes`, `.id`, `label_selector=`). The snippet passes mypy --strict, the wrong shapes are type errors,
and run against a real HTTP server on 127.0.0.1 it sends the paths and queries the spec says.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.support.loopback import Loopback, Recorded, Reply

ROOT = Path(__file__).resolve().parents[2]

PET = {
    "id": "p1",
    "object": "pet",
    "type": "dog",
    "bytes": 2048,
    "str": "a string",
    "class": "c",
    "ownerId": "camel",
    "owner_id": "snake",
    "labelSelector": "a=b",
    "metadata": {"k": 1},
}
TOY = {"id": "t1", "pet_id": "p1", "list": ["ball"], "dict": {"a": 1}, "format": "short"}

SNIPPET = """\
from __future__ import annotations

import asyncio
import json
import sys
from typing import Dict, List, Literal, Optional

from typing_extensions import assert_type

from shapes_sdk import AsyncShapes, Shapes
from shapes_sdk.pagination import SyncPage
from shapes_sdk.types import Deleted, Pet, Toy


def run(base_url: str) -> Dict[str, object]:
    client = Shapes(api_key="k", base_url=base_url)
    pet = client.pets.retrieve("p1", include="owner")
    assert_type(pet, Pet)
    assert_type(pet.id, str)
    assert_type(pet.object, Literal["pet"])
    assert_type(pet.type, Literal["dog", "cat"])
    assert_type(pet.bytes, int)
    assert_type(pet.str, Optional[str])
    assert_type(pet.metadata, Optional[Dict[str, object]])
    toy = client.pets.toys.retrieve("t1", pet_id="p1", format="short")
    assert_type(toy.list, List[str])
    assert_type(toy.dict, Optional[Dict[str, int]])
    created = client.pets.create(name="Rex", type="cat", bytes=10, class_="c", owner_id="o")
    deleted = client.pets.delete("p1")
    assert_type(deleted, Deleted)
    pets = client.pets.list(label_selector="tier=1", type="cat", limit=2)
    assert_type(pets, SyncPage[Pet])  # a whole list in one answer: iterable, one page
    raw = client.pets.with_raw_response.retrieve("p2")
    assert_type(raw.parse(), Pet)
    try:
        client.pets.toys.retrieve("t1", "p1")  # type: ignore[call-arg]
        keyword_only = False
    except TypeError:
        keyword_only = True
    return {
        "id": pet.id,
        "object": pet.object,
        "type": pet.type,
        "bytes": pet.bytes,
        "str": pet.str,
        "class": pet.class_,
        "owner_ids": [pet.owner_id, pet.owner_id_2],
        "label_selector": pet.label_selector,
        "toy": [toy.id, toy.pet_id, toy.list, toy.dict, toy.format],
        "created": created.type,
        "deleted": deleted.deleted,
        "listed": [p.id for p in pets.data],
        "raw": raw.parse().id,
        "keyword_only": keyword_only,
    }


async def run_async(base_url: str) -> List[str]:
    async with AsyncShapes(api_key="k", base_url=base_url) as client:
        pet = await client.pets.retrieve("p3")
        toy = await client.pets.toys.retrieve("t2", pet_id="p3")
        raw = await client.pets.with_raw_response.delete("p4")
        deleted = await raw.parse()
        assert_type(deleted, Deleted)
        return [pet.id, toy.id, deleted.id]


if __name__ == "__main__":
    out = run(sys.argv[1])
    out["async"] = asyncio.run(run_async(sys.argv[1]))
    print(json.dumps(out))
"""

# Shapes users must not get away with: each line one error for mypy --strict.
WRONG = """\
from shapes_sdk import Shapes

client = Shapes(api_key="k")
client.pets.toys.retrieve("t1", "p1")
client.pets.retrieve()
client.pets.list("tier=1")
client.pets.create("Rex", type="cat")
client.pets.retrieve("p1").type_
client.pets.retrieve("p1").bytes_
client.pets.list(labelSelector="tier=1")
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder that holds the generated `shapes_sdk`."""
    where = tmp_path_factory.mktemp("shapes")
    job = Job(spec="tests/sdk/shapes/spec.yaml", target="python", out="x", package_name="shapes_sdk",
              root=str(ROOT))  # fmt: skip
    write(where, generate(job).files)
    return where


def mypy(package: Path, *snippets: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         "--no-error-summary", "--hide-error-context", "--show-error-codes", *map(str, snippets)],
        capture_output=True, text=True, env={**os.environ, "MYPYPATH": str(package)}, timeout=300,
    )  # fmt: skip
    lines = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if ": " in line]
    return [line for line in lines if not line.startswith("note: ")]


def test_the_snippet_type_checks(package: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(SNIPPET)
    assert mypy(package, snippet) == []


def test_the_wrong_shapes_are_type_errors(package: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "wrong.py"
    snippet.write_text(WRONG)
    errors = mypy(package, snippet)
    assert len(errors) == 7, errors
    expected = [
        'Too many positional arguments for "retrieve"',
        'Missing positional argument "pet_id" in call to "retrieve"',
        'Too many positional arguments for "list"',
        'Too many positional arguments for "create"',
        'has no attribute "type_"',
        'has no attribute "bytes_"',
        'Unexpected keyword argument "labelSelector"',
    ]
    for error, text in zip(errors, expected, strict=True):
        assert text in error, errors


def respond(request: Recorded) -> Reply:
    path = request.path.removeprefix("/v1")
    if path == "/pets":
        if request.method == "POST":
            return Reply(200, {**PET, "type": request.json()["type"]})
        return Reply(200, {"object": "list", "data": [PET, {**PET, "id": "p9"}]})
    if path.count("/") == 2:
        pet_id = path.rsplit("/", 1)[1]
        if request.method == "DELETE":
            return Reply(200, {"id": pet_id, "object": "pet.deleted", "deleted": True})
        return Reply(200, {**PET, "id": pet_id})
    _, _, pet_id, _, toy_id = path.split("/")
    return Reply(200, {**TOY, "id": toy_id, "pet_id": pet_id})


def test_the_snippet_on_the_wire(package: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(SNIPPET)
    with Loopback() as server:
        server.responder = respond
        result = subprocess.run(
            [sys.executable, str(snippet), server.url + "/v1"], capture_output=True, text=True,
            env={**os.environ, "PYTHONPATH": str(package)}, timeout=120,
        )  # fmt: skip
        requests = list(server.requests)
    assert result.returncode == 0, result.stderr
    out: dict[str, Any] = json.loads(result.stdout)
    assert out == {
        "id": "p1",
        "object": "pet",
        "type": "dog",
        "bytes": 2048,
        "str": "a string",
        "class": "c",
        "owner_ids": ["snake", "camel"],
        "label_selector": "a=b",
        "toy": ["t1", "p1", ["ball"], {"a": 1}, "short"],
        "created": "cat",
        "deleted": True,
        "listed": ["p1", "p9"],
        "raw": "p2",
        "keyword_only": True,
        "async": ["p3", "t2", "p4"],
    }
    sent = [(r.method, r.path, r.query) for r in requests]
    assert sent == [
        ("GET", "/v1/pets/p1", [("include", "owner")]),
        ("GET", "/v1/pets/p1/toys/t1", [("format", "short")]),
        ("POST", "/v1/pets", []),
        ("DELETE", "/v1/pets/p1", []),
        ("GET", "/v1/pets", [("labelSelector", "tier=1"), ("type", "cat"), ("limit", "2")]),
        ("GET", "/v1/pets/p2", []),
        ("GET", "/v1/pets/p3", []),
        ("GET", "/v1/pets/p3/toys/t2", []),
        ("DELETE", "/v1/pets/p4", []),
    ]
    # the body goes by wire names, whatever the Python names
    assert requests[2].json() == {"name": "Rex", "type": "cat", "bytes": 10, "class": "c", "ownerId": "o"}


def test_the_generated_cli_calls_the_positional_parameter(package: Path) -> None:
    """The command line passes every flag by name: the positional parameter takes its name too."""
    with Loopback() as server:
        server.responder = respond
        result = subprocess.run(
            [sys.executable, "-m", "shapes_sdk", "--api-key", "k", "--base-url", server.url + "/v1",
             "pets", "toys", "retrieve", "--toy-id", "t7", "--pet-id", "p7", "--query-format", "long"],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(package)}, timeout=120,
        )  # fmt: skip
        requests = list(server.requests)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "t7"
    assert [(r.method, r.path, r.query) for r in requests] == [
        ("GET", "/v1/pets/p7/toys/t7", [("format", "long")])
    ]


def test_the_docs_show_the_call_shape_and_their_python_examples_run(package: Path, tmp_path: Path) -> None:
    """Each operation page's Python example passes the last path parameter positionally, type checks and
    sends the request its page names."""
    job = Job(spec="tests/sdk/shapes/spec.yaml", target="docs", out="x", package_name="shapes_sdk",
              root=str(ROOT))  # fmt: skip
    pages = {
        path: text
        for path, text in generate(job).files.items()
        if path.endswith(".md") and "/" in path and not path.startswith("schemas/")
    }
    assert len(pages) == 5, sorted(pages)
    examples = []
    for i, text in enumerate(pages.values()):
        found = re.search(r"^\*\*(\w+)\*\* `([^`]+)`", text, re.M)
        code = re.search(r"### Python\n\n```python\n(.*?)\n```", text, re.S)
        assert found and code, text
        file = tmp_path / f"example_{i}.py"
        file.write_text(code.group(1) + "\n")
        # the spec's example values are the parameters' names: `{pet_id}` is sent as `pet_id`
        examples.append((found.group(1).upper(), "/v1" + re.sub(r"{(\w+)}", r"\1", found.group(2)), file))
    toy = next(f.read_text() for _, sent, f in examples if sent == "/v1/pets/pet_id/toys/toy_id")
    assert '(\n    "toy_id",\n    pet_id="pet_id",\n' in toy  # positional first, the rest by keyword
    assert mypy(package, *(file for _, _, file in examples)) == []
    with Loopback() as server:
        server.responder = respond
        env = {
            **os.environ,
            "PYTHONPATH": str(package),
            "SHAPES_API_KEY": "k",
            "SHAPES_BASE_URL": server.url + "/v1",
        }
        for method, path, file in examples:
            result = subprocess.run([sys.executable, str(file)], capture_output=True, text=True, env=env,
                                    timeout=120)  # fmt: skip
            assert result.returncode == 0, result.stderr
            assert (server.requests[-1].method, server.requests[-1].path) == (method, path)
