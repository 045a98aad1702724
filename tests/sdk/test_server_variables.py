"""A server URL with variables (`http://{host}:{port}/{ver}...`) and a path parameter the spec forgot to
declare, in every SDK, on the wire.

tests/sdk/servers/spec.yaml's server defaults to port 9, where nothing listens: a request that reaches the
loopback server went to the port the program gave. Its `toyId` is in the path but not declared: every SDK
takes it as a required string. A variable named and described with quotes, backslashes, `$` and `*/` checks
that nothing the spec says becomes code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.support.loopback import Loopback, Recorded, Reply

ROOT = Path(__file__).resolve().parents[2]
SPEC = "tests/sdk/servers/spec.yaml"


def sdk(target: str, where: Path, package: str) -> Path:
    generated = generate(Job(spec=SPEC, target=target, out="x", package_name=package, root=str(ROOT)))
    assert [d.message for d in generated.diagnostics] == [
        "path parameter 'toyId' of /pets/{petId}/toys/{toyId} is not declared; taken as a required string"
    ]
    write(where, generated.files)
    return where


def respond(request: Recorded) -> Reply:
    *_, pet_id, _, toy_id = request.path.split("/")
    return Reply(200, {"id": toy_id, "pet_id": pet_id})


PYTHON = """\
import asyncio, json, sys
from typing import List
from servers_sdk import AsyncServers, Servers

def run(port: str, base_url: str) -> List[str]:
    out = []
    # the variables given, the others at their defaults
    out.append(Servers(api_key="k", port=port, ver="v2").pets.toys.retrieve("t1", pet_id="p1").id)
    # base_url wins over the variables
    out.append(Servers(api_key="k", base_url=base_url, ver="v2").pets.toys.retrieve("t2", pet_id="p2").id)
    return out

async def run_async(port: str) -> str:
    async with AsyncServers(api_key="k", port=port, host="127.0.0.1") as client:
        return (await client.pets.toys.retrieve("t3", pet_id="p3")).id

print(json.dumps(run(sys.argv[1], sys.argv[2]) + [asyncio.run(run_async(sys.argv[1]))]))
"""

WRONG = """\
from servers_sdk import Servers

Servers(api_key="k", ver="v3")
Servers(api_key="k", port=8080)
"""


def test_python(tmp_path: Path) -> None:
    package = sdk("python", tmp_path / "py", "servers_sdk")
    client = (package / "servers_sdk" / "_client.py").read_text()
    assert 'DEFAULT_BASE_URL = "http://127.0.0.1:9/v1"' in client
    assert 'ver: Optional[Literal["v1", "v2"]] = None,' in client
    (tmp_path / "run.py").write_text(PYTHON)
    (tmp_path / "wrong.py").write_text(WRONG)
    env = {**os.environ, "PYTHONPATH": str(package), "MYPYPATH": str(package)}
    env.pop("SERVERS_BASE_URL", None)
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         "--no-error-summary", str(tmp_path / "run.py"), str(tmp_path / "wrong.py")],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[:2] for line in errors] == [[str(tmp_path / "wrong.py"), "3"],
                                                        [str(tmp_path / "wrong.py"), "4"]], checked.stdout  # fmt: skip
    with Loopback() as server:
        server.responder = respond
        port = str(server.url.rsplit(":", 1)[1])
        result = subprocess.run(
            [sys.executable, str(tmp_path / "run.py"), port, server.url + "/v1"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        sent = [(r.method, r.path) for r in server.requests]
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["t1", "t2", "t3"]
    assert sent == [
        ("GET", "/v2/pets/p1/toys/t1"),
        ("GET", "/v1/pets/p2/toys/t2"),
        ("GET", "/v1/pets/p3/toys/t3"),
    ]


TYPESCRIPT = """\
import Servers from 'servers-sdk';
import type { ServersOptions } from 'servers-sdk';

const [port, baseURL] = process.argv.slice(2) as [string, string];
const options: ServersOptions = { apiKey: 'k', port, ver: 'v2' };
const first = await new Servers(options).pets.toys.retrieve('t1', { petId: 'p1' });
const second = await new Servers({ apiKey: 'k', baseURL, ver: 'v2' }).pets.toys.retrieve('t2', { petId: 'p2' });
// withOptions takes the variables too: the URL is built again from the client's options and these
const derived: Servers = new Servers(options).withOptions({ ver: 'v1' });
const third = await derived.pets.toys.retrieve('t3', { petId: 'p3' });
// @ts-expect-error: not one of the server's versions
new Servers({ apiKey: 'k', ver: 'v3' });
// @ts-expect-error: nor here
new Servers(options).withOptions({ ver: 'v3' });
console.log(JSON.stringify([first.id, second.id, third.id]));
"""


def test_typescript(tmp_path: Path) -> None:
    from tests.typescript.support import build_package, compile_app, make_app, node, require_node

    require_node()
    source = sdk("typescript", tmp_path / "ts", "servers-sdk")
    package = build_package(source, tmp_path / "servers-sdk")
    app = make_app(tmp_path / "app", {"servers-sdk": package}, {"main.ts": TYPESCRIPT})
    compile_app(app)
    with Loopback() as server:
        server.responder = respond
        port = str(server.url.rsplit(":", 1)[1])
        result = node(app, "main.js", port, server.url + "/v1", env={"SERVERS_BASE_URL": ""})
        sent = [(r.method, r.path) for r in server.requests]
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["t1", "t2", "t3"]
    assert sent == [("GET", "/v2/pets/p1/toys/t1"), ("GET", "/v1/pets/p2/toys/t2"), ("GET", "/v1/pets/p3/toys/t3")]


PERL = r"""
use strict; use warnings;
use JSON::PP;
use Servers::SDK;
my ($port, $base_url) = @ARGV;
my $first = Servers::SDK->new(api_key => 'k', port => $port, ver => 'v2')
    ->get_toy({ petId => 'p1', toyId => 't1' });
my $second = Servers::SDK->new(api_key => 'k', base_url => $base_url, ver => 'v2')
    ->get_toy({ petId => 'p2', toyId => 't2' });
my $missing = eval { Servers::SDK->new(api_key => 'k', port => $port)->get_toy({ petId => 'p3' }); 1 } ? '' : "$@";
print JSON::PP->new->canonical->encode([$first->{id}, $second->{id}, $missing =~ /'toyId' parameter is required/ ? 1 : 0]);
"""


def test_perl(tmp_path: Path) -> None:
    if shutil.which("perl") is None:
        pytest.skip("perl is not installed")
    dist = sdk("perl", tmp_path / "pl", "Servers::SDK")
    with Loopback() as server:
        server.responder = respond
        port = str(server.url.rsplit(":", 1)[1])
        result = subprocess.run(
            ["perl", f"-I{dist / 'lib'}", "-e", PERL, port, server.url + "/v1"],
            capture_output=True, text=True, timeout=60, env={**os.environ, "SERVERS_BASE_URL": ""},
        )  # fmt: skip
        sent = [(r.method, r.path) for r in server.requests]
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["t1", "t2", 1]
    assert sent == [("GET", "/v2/pets/p1/toys/t1"), ("GET", "/v1/pets/p2/toys/t2")]


def test_docs(tmp_path: Path) -> None:
    docs = sdk("docs", tmp_path / "docs", "servers")
    index = (docs / "README.md").read_text()
    assert "| `ver` | `v1` | `v1`, `v2` |  |" in index
    assert "| `port` | `9` | any | The port. |" in index
    pages = [p.read_text() for p in docs.rglob("*.md") if p.name != "README.md" and "schemas" not in p.parts]
    assert any("http://127.0.0.1:9/v1/pets/" in page for page in pages)
