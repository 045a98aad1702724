"""The job options `query-arrays` and `query-objects` (issue 17), on the wire in every SDK.

tests/sdk/query/spec.yaml (an array, a deepObject object and a form object in the query) is generated
with each format; the Python (sync, and async once), TypeScript (tsc, node) and Perl SDKs make the same
call against the loopback server and must send the query the format says. With `brackets` and
`deepObject` our SDK sends byte for byte the query string the official `openai` package sends.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import openai
import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.support.loopback import Loopback, Reply
from tests.typescript.support import build_package, compile_app, make_app, node, require_node

ROOT = Path(__file__).resolve().parents[2]
SPEC = "tests/sdk/query/spec.yaml"
INCLUDE = ["file_search_call.results", "message.input_image.image_url"]
A, B = INCLUDE

#: (query-arrays, query-objects) -> the query the call below sends, decoded, in order
FORMATS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("", ""): [  # as the spec says: arrays repeat, filter is deepObject, point a form object (spread)
        ("include", A), ("include", B), ("starting_after", "3"),
        ("filter[kind]", "k"), ("filter[tags]", "x"), ("filter[tags]", "y"), ("x", "1"), ("y", "2"),
    ],
    ("brackets", "deepObject"): [  # as the official OpenAI SDKs send it
        ("include[]", A), ("include[]", B), ("starting_after", "3"),
        ("filter[kind]", "k"), ("filter[tags][]", "x"), ("filter[tags][]", "y"), ("point[x]", "1"), ("point[y]", "2"),
    ],
    ("comma", "form"): [
        ("include", f"{A},{B}"), ("starting_after", "3"),
        ("kind", "k"), ("tags", "x,y"), ("x", "1"), ("y", "2"),
    ],
    ("repeat", ""): [  # objects as the spec says, the arrays nested in them repeat too
        ("include", A), ("include", B), ("starting_after", "3"),
        ("filter[kind]", "k"), ("filter[tags]", "x"), ("filter[tags]", "y"), ("x", "1"), ("y", "2"),
    ],
    ("", "deepObject"): [
        ("include", A), ("include", B), ("starting_after", "3"),
        ("filter[kind]", "k"), ("filter[tags]", "x"), ("filter[tags]", "y"), ("point[x]", "1"), ("point[y]", "2"),
    ],
}  # fmt: skip
IDS = [f"{a or 'spec'}-{o or 'spec'}" for a, o in FORMATS]


def job(target: str, arrays: str, objects: str, package: str) -> Job:
    return Job(spec=SPEC, target=target, out="x", package_name=package, query_arrays=arrays,
               query_objects=objects, root=str(ROOT))  # fmt: skip


def package_name(arrays: str, objects: str, sep: str = "_") -> str:
    return sep.join(("q", arrays or "spec", (objects or "spec").lower()))


@pytest.fixture(scope="module")
def python_sdks(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], ModuleType]:
    where = tmp_path_factory.mktemp("query-formats-py")
    out = {}
    for arrays, objects in FORMATS:
        name = package_name(arrays, objects)
        write(where / name, generate(job("python", arrays, objects, name)).files)
        sys.path.insert(0, str(where / name))
        out[arrays, objects] = importlib.import_module(name)
    return out


def respond(loopback: Loopback) -> None:
    loopback.default = Reply(200, {"id": "resp_1"})


@pytest.mark.parametrize(("arrays", "objects"), list(FORMATS), ids=IDS)
def test_python_sends_the_query_format(
    python_sdks: dict[tuple[str, str], ModuleType], loopback: Loopback, arrays: str, objects: str
) -> None:
    respond(loopback)
    client = python_sdks[arrays, objects].OpenAI(api_key="sk-q", base_url=loopback.url + "/v1")
    result = client.responses.retrieve(
        "resp_1", include=INCLUDE, starting_after=3, filter={"kind": "k", "tags": ["x", "y"]},
        point={"x": 1, "y": 2},
    )  # fmt: skip
    assert result.id == "resp_1"
    (request,) = loopback.requests
    assert request.path == "/v1/responses/resp_1"
    assert request.query == FORMATS[arrays, objects]


def test_python_async_sends_brackets_and_extra_query_follows_the_format(
    python_sdks: dict[tuple[str, str], ModuleType], loopback: Loopback
) -> None:
    respond(loopback)
    sdk = python_sdks["brackets", "deepObject"]

    async def main() -> None:
        client = sdk.AsyncOpenAI(api_key="sk-q", base_url=loopback.url + "/v1")
        await client.responses.retrieve(
            "resp_1", include=INCLUDE, extra_query={"labels": ["l"], "meta": {"k": "v"}}
        )

    asyncio.run(main())
    (request,) = loopback.requests
    assert request.query == [("include[]", A), ("include[]", B), ("labels[]", "l"), ("meta[k]", "v")]


def test_brackets_send_what_the_official_sdk_sends(
    python_sdks: dict[tuple[str, str], ModuleType], loopback: Loopback
) -> None:
    respond(loopback)
    ours = python_sdks["brackets", "deepObject"].OpenAI(api_key="sk-q", base_url=loopback.url + "/v1")
    ours.responses.retrieve(
        "resp_1", include=INCLUDE, starting_after=3, filter={"kind": "k", "tags": ["x", "y"]},
        point={"x": 1, "y": 2}, extra_query={"metadata": {"k": "v"}},
    )  # fmt: skip
    official = openai.OpenAI(api_key="sk-q", base_url=loopback.url + "/v1", max_retries=0)
    official.responses.retrieve(
        "resp_1", include=INCLUDE, starting_after=3,  # type: ignore[arg-type]
        extra_query={"filter": {"kind": "k", "tags": ["x", "y"]}, "point": {"x": 1, "y": 2},
                     "metadata": {"k": "v"}},
    )  # fmt: skip
    mine, theirs = loopback.requests
    assert mine.target == theirs.target  # path and query string, byte for byte
    assert "include%5B%5D=" in mine.query_string and "filter%5Btags%5D%5B%5D=x" in mine.query_string
    # and the spec's default styles do not: the official SDK's brackets are what the option adds
    loopback.requests.clear()
    python_sdks["", ""].OpenAI(api_key="sk-q", base_url=loopback.url + "/v1").responses.retrieve(
        "resp_1", include=INCLUDE
    )
    official.responses.retrieve("resp_1", include=INCLUDE)  # type: ignore[arg-type]
    mine, theirs = loopback.requests
    assert mine.query == [("include", A), ("include", B)] and theirs.query == [("include[]", A), ("include[]", B)]


TS_DRIVER = """\
{imports}

const url = process.env['BASE_URL'] ?? '';
for (const Client of [{clients}]) {{
  const client = new Client({{ apiKey: 'sk-q', baseURL: url }});
  const result = await client.responses.retrieve('resp_1', {{
    include: {include},
    starting_after: 3,
    filter: {{ kind: 'k', tags: ['x', 'y'] }},
    point: {{ x: 1, y: 2 }},
  }});
  console.log(JSON.stringify(result));
}}
"""


def test_typescript_sends_each_query_format(loopback: Loopback, tmp_path: Path) -> None:
    require_node()
    packages, imports, clients = {}, [], []
    for i, (arrays, objects) in enumerate(FORMATS):
        name = package_name(arrays, objects, "-").lower()
        write(tmp_path / "src" / name, generate(job("typescript", arrays, objects, name)).files)
        packages[name] = build_package(tmp_path / "src" / name, tmp_path / name)
        imports.append(f"import Client{i} from '{name}';")
        clients.append(f"Client{i}")
    driver = TS_DRIVER.format(imports="\n".join(imports), clients=", ".join(clients), include=json.dumps(INCLUDE))
    app = make_app(tmp_path / "app", packages, {"driver.ts": driver})
    compile_app(app)
    respond(loopback)
    run = node(app, "driver.js", env={"BASE_URL": loopback.url + "/v1"})
    assert run.returncode == 0, run.stderr
    assert [json.loads(line) for line in run.stdout.splitlines()] == [{"id": "resp_1"}] * len(FORMATS)
    assert [r.query for r in loopback.requests] == list(FORMATS.values())
    assert {r.path for r in loopback.requests} == {"/v1/responses/resp_1"}


PERL_CALL = r"""
use strict; use warnings;
use Query::Formats;
my $client = Query::Formats->new(api_key => 'sk-q', base_url => $ENV{BASE_URL});
my $result = $client->get_response({
    response_id => 'resp_1', include => [%s], starting_after => 3,
    filter => { kind => 'k', tags => ['x', 'y'] }, point => { x => 1, y => 2 },
});
print $result->{id}, "\n";
"""


@pytest.mark.parametrize(("arrays", "objects"), list(FORMATS), ids=IDS)
def test_perl_sends_the_query_format(loopback: Loopback, tmp_path: Path, arrays: str, objects: str) -> None:
    if shutil.which("perl") is None:
        pytest.skip("perl is not installed")
    write(tmp_path / "dist", generate(job("perl", arrays, objects, "Query::Formats")).files)
    respond(loopback)
    run = subprocess.run(
        ["perl", f"-I{tmp_path / 'dist' / 'lib'}", "-e", PERL_CALL % ", ".join(f"'{v}'" for v in INCLUDE)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "BASE_URL": loopback.url + "/v1"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout == "resp_1\n"
    (request,) = loopback.requests
    assert request.path == "/v1/responses/resp_1"
    assert request.query == FORMATS[arrays, objects]


@pytest.mark.parametrize(("arrays", "objects"), list(FORMATS), ids=IDS)
def test_the_docs_curl_example_sends_the_query_format(
    loopback: Loopback, tmp_path: Path, arrays: str, objects: str
) -> None:
    """The spec's examples are the values the SDK calls above pass: the docs' curl sends the same query."""
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    page = generate(job("docs", arrays, objects, "q")).files["responses/retrieve.md"]
    script = page.split("```sh\n", 1)[1].split("```", 1)[0]
    assert "[" not in script.split("?", 1)[1].split("'", 1)[0]  # no curl globbing
    respond(loopback)
    run = subprocess.run(
        ["bash", "-c", script.replace("https://api.openai.com/v1", loopback.url + "/v1")],
        capture_output=True, text=True, timeout=60, env={**os.environ, "OPENAI_API_KEY": "sk-q"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (request,) = loopback.requests
    assert request.query == FORMATS[arrays, objects]
    assert request.header("authorization") == "Bearer sk-q"
