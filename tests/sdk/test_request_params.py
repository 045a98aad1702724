"""Request parameters take plain dicts and lists, and type-check (issue 16).

tests/sdk/params/spec.yaml is generated into a package. Its request objects are TypedDicts
(`types/*_param.py`): a user's program passes dict literals for a list of a union of message objects, content
that is a string or a list of parts, a nested object, an optional nullable object, a recursive filter, keys
that are no identifiers, and an object in the query; mypy --strict accepts them, rejects a missing required
key, a wrong value type, an unknown key, a read-only key and a response model where a request object goes,
and run against a real HTTP server on 127.0.0.1 the calls send exactly the JSON and query they were given.
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
SPEC = "tests/sdk/params/spec.yaml"

MESSAGES: list[dict[str, Any]] = [
    {"role": "system", "content": "Be brief.", "name": "rules"},
    {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}},
        ],
    },
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "c1", "function": {"name": "look", "arguments": "{}"}}],
    },
    {"role": "user", "content": "hi"},
]
RESPONSE_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "answer", "strict": None, "schema": {"a": [1]}},
}
LABELS = {"x-tag": "t", "class": "c", "type": "k"}
FILTER = {"op": "and", "filters": [{"op": "eq", "key": "a", "value": "1"}, {"op": "or", "filters": []}]}

SNIPPET = f"""\
from __future__ import annotations

import asyncio
import sys
from typing import List

from typing_extensions import assert_type

from params_sdk import AsyncParams, Params
from params_sdk.types import ChatMessageParam, Completion, FilterParam, LabelsParam

MESSAGES: List[ChatMessageParam] = {MESSAGES!r}


def run(base_url: str) -> None:
    client = Params(api_key="k", base_url=base_url)
    completion = client.chat.completions.create(
        model="m",
        messages=[{{"role": "system", "content": "Be brief.", "name": "rules"}},
                  {{"role": "user", "content": {MESSAGES[1]["content"]!r}}},
                  {{"role": "assistant", "content": None,
                    "tool_calls": [{{"id": "c1", "function": {{"name": "look", "arguments": "{{}}"}}}}]}},
                  {{"role": "user", "content": "hi"}}],
        response_format={RESPONSE_FORMAT!r},
        user_location=None,
        metadata={{"k": "v"}},
        labels={LABELS!r},
    )
    assert_type(completion, Completion)
    client.chat.completions.create(model="m", messages=MESSAGES, user_location={{"city": "Oslo"}})
    labels: LabelsParam = {{"x-tag": "only"}}
    client.chat.completions.create(model="m", messages=[{{"role": "user", "content": "hi"}}], labels=labels)
    nested: FilterParam = {FILTER!r}
    client.search.create(filter=nested, page={{"size": 2, "after": "x"}})


async def run_async(base_url: str) -> None:
    async with AsyncParams(api_key="k", base_url=base_url) as client:
        await client.chat.completions.create(model="m", messages=[{{"role": "user", "content": "hi"}}])


if __name__ == "__main__":
    run(sys.argv[1])
    asyncio.run(run_async(sys.argv[1]))
"""

# Wrong dicts, and what mypy --strict says of them: (line, words in the error). A dict given where a Param is
# the whole type (a required parameter, an annotated variable) is checked key by key; where the parameter can
# also be omitted (`| Omit`) or is a union of Params, mypy reports the whole argument or list item.
WRONG = """\
from params_sdk import Params
from params_sdk.types import LabelsParam, LocationParam, ResponseFormatParam

client = Params(api_key="k")
client.search.create(filter={"op": "and", "filters": [{"key": "a"}]})
client.search.create(filter={"op": "and", "filters": [{"op": 1}]})
client.search.create(filter={"op": "and", "bogus": 1})
response_format: ResponseFormatParam = {"json_schema": {"name": "x", "strict": "yes"}}
location: LocationParam = {"id": "l1", "city": "Oslo"}
labels: LabelsParam = {"class": "c"}
client.chat.completions.create(model="m", messages=[], response_format={"type": "text", "bogus": 1})
client.chat.completions.create(model="m", messages=[{"role": "user"}])
client.chat.completions.create(model="m", messages=[{"role": "user", "content": 3}])
client.search.create(filter={"op": "eq"}, page={"size": "2"})
reply = client.chat.completions.create(model="m", messages=[])
client.chat.completions.create(model="m", messages=[reply.choices[0].message] if reply.choices else [])
"""
EXPECTED_ERRORS = [
    (5, 'Missing key "op" for TypedDict "FilterParam"'),
    (6, 'Incompatible types (expression has type "Literal[1]", TypedDict item "op" has type'),
    (7, 'Extra key "bogus" for TypedDict "FilterParam"'),
    (8, 'Missing key "type" for TypedDict "ResponseFormatParam"'),
    (8, 'TypedDict item "json_schema" has type "ResponseFormatJsonSchemaParam | None"'),
    (9, 'Extra key "id" for TypedDict "LocationParam"'),  # read-only: responses only
    (10, 'Missing key "x-tag" for TypedDict "LabelsParam"'),
    (
        11,
        'Argument "response_format" to "create" of "ChatCompletions" has incompatible type "dict[str, object]"',
    ),
    (12, 'TypedDict item "role" has type "Literal[\'assistant\']"'),  # "content" missing: not a user message
    (
        13,
        'Type of TypedDict is ambiguous, none of ("SystemMessageParam", "UserMessageParam", "AssistantMessageParam")',
    ),
    (13, 'List item 0 has incompatible type "dict[str, object]"'),
    (14, 'Argument "page" to "create" of "Search" has incompatible type "dict[str, str]"'),
    (16, 'List item 0 has incompatible type "AssistantMessage"'),  # a response model is no request dict
]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder that holds the generated `params_sdk`."""
    where = tmp_path_factory.mktemp("params")
    job = Job(spec=SPEC, target="python", out="x", package_name="params_sdk", root=str(ROOT))
    write(where, generate(job).files)
    return where


def mypy(package: Path, *paths: Path) -> list[tuple[int, str]]:
    """(line, message) of each error mypy --strict finds in `paths` (notes left out)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         "--no-error-summary", "--hide-error-context", "--show-error-codes", *map(str, paths)],
        capture_output=True, text=True, env={**os.environ, "MYPYPATH": str(package)}, timeout=300,
    )  # fmt: skip
    found = []
    for line in result.stdout.splitlines():
        m = re.match(r"[^:]+:(\d+): error: (.*)", line)
        if m:
            found.append((int(m.group(1)), m.group(2)))
    assert found or result.returncode == 0, result.stdout + result.stderr
    return found


def test_the_params_are_typed_dicts_only_where_requests_use_them(package: Path) -> None:
    types = package / "params_sdk" / "types"
    params = sorted(p.stem for p in types.glob("*_param.py"))
    assert params == sorted(
        f"{stem}_param"
        for stem in ("assistant_message", "chat_message", "content_part", "filter", "image_part",
                     "image_part_image_url", "labels", "location", "page", "response_format",
                     "response_format_json_schema", "system_message", "text_part", "tool_call",
                     "tool_call_function", "user_message")
    )  # fmt: skip
    # response-only types (the completion and its choices) have no Param; the body objects neither: their
    # fields are the methods' parameters
    assert not (types / "completion_param.py").exists()
    assert not (types / "create_chat_completion_request_param.py").exists()
    location = (types / "location_param.py").read_text()
    assert "city: Required[str]" in location and "country: str" in location and "id" not in location
    # keys that are no identifiers: the functional syntax, keys as on the wire
    labels = (types / "labels_param.py").read_text()
    assert 'LabelsParam = TypedDict(\n    "LabelsParam",\n' in labels
    assert '"x-tag": "Required[str]"' in labels and '"class": "str"' in labels
    union = (types / "chat_message_param.py").read_text()
    assert (
        'ChatMessageParam: TypeAlias = "Union[SystemMessageParam, UserMessageParam, AssistantMessageParam]"'
        in union
    )
    init = (types / "__init__.py").read_text()
    assert "from .chat_message_param import ChatMessageParam\n" in init and "\"ChatMessageParam\": \".chat_message_param\"," in init
    resource = (package / "params_sdk" / "resources" / "chat_completions.py").read_text()
    assert "messages: Sequence[ChatMessageParam]," in resource
    assert "user_location: Optional[LocationParam] | Omit = omit," in resource


def test_dict_literals_type_check(package: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(SNIPPET)
    assert mypy(package, snippet, package / "params_sdk") == []


def test_wrong_dicts_are_type_errors(package: Path, tmp_path: Path) -> None:
    snippet = tmp_path / "wrong.py"
    snippet.write_text(WRONG)
    errors = mypy(package, snippet)
    assert len(errors) == len(EXPECTED_ERRORS), errors
    for (line, message), (expected_line, text) in zip(errors, EXPECTED_ERRORS, strict=True):
        assert line == expected_line and text in message, errors


def respond(request: Recorded) -> Reply:
    return Reply(200, {"id": "c1", "object": "completion", "choices": []})


def test_the_dicts_go_on_the_wire_as_they_are(package: Path, tmp_path: Path) -> None:
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
    assert [(r.method, r.path, r.query) for r in requests] == [
        ("POST", "/v1/chat/completions", []),
        ("POST", "/v1/chat/completions", []),
        ("POST", "/v1/chat/completions", []),
        ("POST", "/v1/search", [("page[size]", "2"), ("page[after]", "x")]),
        ("POST", "/v1/chat/completions", []),
    ]
    bodies = [r.json() for r in requests]
    assert bodies[0] == {
        "model": "m",
        "messages": MESSAGES,
        "response_format": RESPONSE_FORMAT,
        "user_location": None,
        "metadata": {"k": "v"},
        "labels": LABELS,
    }
    assert bodies[1] == {"model": "m", "messages": MESSAGES, "user_location": {"city": "Oslo"}}
    assert bodies[2] == {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "labels": {"x-tag": "only"},
    }
    assert bodies[3] == {"filter": FILTER}
    assert bodies[4] == {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def test_the_cli_takes_objects_as_json(package: Path) -> None:
    with Loopback() as server:
        server.responder = respond
        result = subprocess.run(
            [sys.executable, "-m", "params_sdk", "--api-key", "k", "--base-url", server.url + "/v1",
             "chat", "completions", "create", "--model", "m", "--messages", json.dumps(MESSAGES),
             "--labels", json.dumps(LABELS)],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(package)}, timeout=120,
        )  # fmt: skip
        requests = list(server.requests)
    assert result.returncode == 0, result.stderr
    assert [r.json() for r in requests] == [{"model": "m", "messages": MESSAGES, "labels": LABELS}]


def test_the_docs_python_examples_type_check(package: Path, tmp_path: Path) -> None:
    """The reference pages' Python examples pass dicts the Param types accept."""
    job = Job(spec=SPEC, target="docs", out="x", package_name="params_sdk", root=str(ROOT))
    files = generate(job).files
    examples = []
    for i, (path, text) in enumerate(sorted(files.items())):
        code = re.search(r"### Python\n\n```python\n(.*?)\n```", text, re.S)
        if path.endswith(".md") and not path.startswith("schemas/") and code:
            examples.append(tmp_path / f"example_{i}.py")
            examples[-1].write_text(code.group(1) + "\n")
    assert len(examples) == 2
    assert mypy(package, *examples) == []
