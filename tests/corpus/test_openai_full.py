"""The full OpenAI spec (../shared/corpus/openai.yaml): every operation and schema, in Python and TypeScript.

Python: the summary line says 288 operations; every component schema has its module; the SDK compiles,
every module imports in a fresh interpreter, and mypy --strict passes. TypeScript: the package builds
with tsc (strict, noUncheckedIndexedAccess) and its client has a method for every operation. Docs: a
page per operation and per schema; the HTML site as many; no broken link in either (tests/support/links.py).
Heavy (minutes of one core), so marked slow; CI runs it once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path

import pytest

from generator.load import load
from generator.naming import snake, split_words
from tests.conftest import ROOT, SHARED
from tests.support.links import broken_links
from tests.support.loopback import Loopback, Reply
from tests.typescript.support import build_package, require_node

SPEC = SHARED / "corpus" / "openai.yaml"
OPERATIONS = 288

pytestmark = pytest.mark.slow


def _spec_facts() -> tuple[int, list[str]]:
    data = load(str(SPEC)).data
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    ops = sum(1 for item in data["paths"].values() for key in item if key in methods)
    return ops, sorted(data["components"]["schemas"])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    if not SPEC.is_file():
        pytest.skip(f"the corpus is not beside the project ({SPEC})")
    where = tmp_path_factory.mktemp("openai-full")
    out: dict[str, tuple[Path, str]] = {}
    for target, package in (
        ("python", "openai_full"),
        ("typescript", "openai-full"),
        ("docs", "openai_full"),
        ("site", "openai_full"),
    ):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "generator", "generate", str(SPEC), "--target", target,
             "--out", str(where / target), "--package-name", package, "-v"],
            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=1200,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
        out[target] = (where / target, result.stdout + result.stderr)
        print(f"{target}: generated in {time.perf_counter() - started:.1f} s")
    return out


def test_counts_and_every_schema(generated: dict[str, tuple[Path, str]]) -> None:
    ops, schemas = _spec_facts()
    assert ops == OPERATIONS
    for target in ("python", "typescript", "docs"):
        summary = re.search(r"(\d+) operations, (\d+) schemas, (\d+) warnings", generated[target][1])
        assert summary is not None, generated[target][1]
        assert int(summary.group(1)) == OPERATIONS
        assert int(summary.group(2)) >= len(schemas)  # components plus inline objects named where they stand
        assert int(summary.group(3)) > 0  # the spec's known defects are reported, not fatal
    # the spec's defects come with file:line
    assert re.search(r"openai\.yaml:\d+:\d+: warning: ", generated["python"][1])
    modules = {p.stem for p in (generated["python"][0] / "openai_full" / "types").glob("*.py")}
    missing = [
        s
        for s in schemas
        if snake(split_words(s)) not in modules and "m_" + snake(split_words(s)) not in modules
    ]
    assert not missing, missing[:20]
    docs = generated["docs"][0]
    pages = [p for p in docs.rglob("*.md") if p.parent != docs and "schemas" not in p.relative_to(docs).parts]
    assert len(pages) == OPERATIONS
    assert len(list((docs / "schemas").glob("*.md"))) >= len(schemas)


def test_no_broken_links_in_the_docs_and_the_site(generated: dict[str, tuple[Path, str]]) -> None:
    pages = {t: len([*generated[t][0].rglob("*.md"), *generated[t][0].rglob("*.html")]) for t in ("docs", "site")}
    assert pages["docs"] > 2000 and pages["site"] == pages["docs"], pages
    for target in ("docs", "site"):
        assert broken_links(generated[target][0]) == [], target
        assert "lead into the API owner's site" in generated[target][1]  # the one warning: they are text


def test_python_compiles_imports_and_type_checks(generated: dict[str, tuple[Path, str]]) -> None:
    root = generated["python"][0]
    compiled = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "openai_full"], cwd=root, capture_output=True, text=True
    )
    assert compiled.returncode == 0, compiled.stdout[-2000:]
    code = (
        "import importlib, pkgutil, openai_full\n"
        "n = 0\n"
        "for m in pkgutil.walk_packages(openai_full.__path__, 'openai_full.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name); n += 1\n"
        "c = openai_full.OpenAI(api_key='k')\n"
        "print(n, len([a for a in dir(c.chat.completions) if a == 'create']))\n"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr[-2000:]
    modules, has_create = imported.stdout.split()
    assert int(modules) > 1900 and has_create == "1"
    # every resource reached from the client, typed: one line a resource, checked with the package
    paths = subprocess.run(
        [sys.executable, "-c", WALK], cwd=root, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(root)},
    ).stdout.split()  # fmt: skip
    assert len(paths) > 60 and "chat.completions" in paths and "fine_tuning.jobs.checkpoints" in paths
    touch = root / "touch_every_resource.py"
    touch.write_text(
        "from openai_full import AsyncOpenAI, OpenAI\n\nc = OpenAI(api_key='k')\na = AsyncOpenAI(api_key='k')\n"
        + "".join(f"c.{p}\na.{p}\n" for p in paths)
    )
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "openai_full", "-m", "touch_every_resource"],
        cwd=root, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    touch.unlink()
    assert typed.returncode == 0, typed.stdout[-3000:]


# Every resource's attribute path from the client, found by walking it (a resource is an APIResource).
WALK = """\
import openai_full
from openai_full._base_client import SyncAPIResource

def walk(obj, trail):
    for name in sorted(dir(type(obj))):
        if name.startswith("_") or name.startswith("with_"):
            continue
        if isinstance(getattr(type(obj), name, None), property) or name in type(obj).__dict__:
            value = getattr(obj, name)
            if isinstance(value, SyncAPIResource):
                print(".".join(trail + [name]))
                walk(value, trail + [name])

walk(openai_full.OpenAI(api_key="k"), [])
"""

# What a program that uses one resource loads, and the types all importable from `types` by name.
LOADS = """\
import sys
import openai_full as X
c = X.OpenAI(api_key="k")
c.chat.completions
first = len([m for m in sys.modules if m.split(".")[0] == "openai_full"])
c.files
second = len([m for m in sys.modules if m.split(".")[0] == "openai_full"]) - first
import openai_full.types as types
for name in types.__all__:
    getattr(types, name)
from openai_full.types import ChatCompletionRequestMessageParam, CreateChatCompletionResponse
print(first, second, len(types.__all__))
"""


def test_python_loads_what_it_uses(generated: dict[str, tuple[Path, str]]) -> None:
    """Issue 18: `c.chat.completions` loads a few dozen of the package's modules, not all 2,600; a second
    resource costs what its own types cost; every type still imports from `types` by its name."""
    root = generated["python"][0]
    result = subprocess.run(
        [sys.executable, "-c", LOADS], cwd=root, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    first, second, names = (int(n) for n in result.stdout.split())
    print(f"\nc.chat.completions loads {first} modules of the package; c.files {second} more; {names} types")
    assert first <= 60 and second <= 25 and names > 2000


# Issue 17's downloads: `files.content` (the spec says JSON with a string schema) returns the bytes as they
# come, PNG or JSONL; speech streams to a file; `?beta=true` paths send their query as a query.
DOWNLOADS = """\
import sys

from openai_full import BinaryResponseContent, OpenAI

client = OpenAI(api_key="k", base_url=sys.argv[1], max_retries=0)
content = client.files.content("file-abc")
assert isinstance(content, BinaryResponseContent), type(content)
sys.stdout.buffer.write(content.content)
with client.audio.speech.with_streaming_response.create(model="tts-1", input="hi", voice="alloy") as r:
    r.stream_to_file(sys.argv[2])
client.responses.beta_get("resp_1", openai_beta=["responses_multi_agent=v1"])
"""
PNG = b"\x89PNG\r\n\x1a\n\xff\x00\xfe"


def test_python_downloads_and_streams(generated: dict[str, tuple[Path, str]], tmp_path: Path) -> None:
    root = generated["python"][0]
    speech = tmp_path / "speech.mp3"
    with Loopback() as server:
        server.reply(
            Reply(200, PNG, {"Content-Type": "application/json"}),  # what the spec says it is: never parsed
            Reply(200, chunks=[b"ID3", b"\xff\xfb" * 1000]),
            Reply(200, {"id": "resp_1", "object": "response"}),
        )
        result = subprocess.run(
            [sys.executable, "-c", DOWNLOADS, server.url + "/v1", str(speech)], cwd=root, capture_output=True,
            timeout=600, env={**os.environ, "PYTHONPATH": str(root)},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:].decode()
        assert result.stdout == PNG and speech.read_bytes() == b"ID3" + b"\xff\xfb" * 1000
        content, audio, beta = server.requests
    assert (content.path, audio.path, audio.header("accept")) == (
        "/v1/files/file-abc/content", "/v1/audio/speech", "application/octet-stream",
    )  # fmt: skip
    assert (beta.target, beta.header("openai-beta")) == (
        "/v1/responses/resp_1?beta=true",
        "responses_multi_agent=v1",
    )


# Issue 16's calls: request objects as plain dicts and lists, as users of the official `openai` package write
# them (each type-checks with it too). The last call is wrong twice: an unknown role, a missing key.
CALLS = """\
import sys

from openai_full import OpenAI

client = OpenAI(api_key="k", base_url=sys.argv[1], max_retries=0)
client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
client.responses.create(model="gpt-4o", input=[{"role": "user", "content": "hi"}])
client.chat.completions.create(
    model="gpt-4o",
    messages=[
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "What is this?"},
                                     {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]},
        {"role": "assistant", "content": None,
         "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "look", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "a cat"},
    ],
    tools=[{"type": "function", "function": {"name": "look", "parameters": {"type": "object"}}}],
    response_format={"type": "json_schema", "json_schema": {"name": "answer", "strict": True}},
)
"""
WRONG_CALLS = """\
from openai_full import OpenAI

client = OpenAI(api_key="k")
client.chat.completions.create(model="gpt-4o", messages=[{"role": "usr", "content": "hi"}])
client.chat.completions.create(model="gpt-4o", messages=[], tools=[{"type": "function", "function": {}}])
"""


def test_python_request_params_take_dicts(generated: dict[str, tuple[Path, str]], tmp_path: Path) -> None:
    """mypy --strict accepts the dict literals (and rejects wrong ones); they go on the wire as they are."""
    root = generated["python"][0]
    assert len(list((root / "openai_full" / "types").glob("*_param.py"))) < 1000  # request-side types only
    calls, wrong = tmp_path / "calls.py", tmp_path / "wrong.py"
    calls.write_text(CALLS)
    wrong.write_text(WRONG_CALLS)
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
         "--no-error-summary", "--hide-error-context", str(calls), str(wrong)],
        capture_output=True, text=True, env={**os.environ, "MYPYPATH": str(root)}, timeout=1800,
    )  # fmt: skip
    errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert sorted({line.split(":")[1] for line in errors}) == ["4", "5"], checked.stdout[-3000:]
    assert all(line.startswith(str(wrong)) for line in errors), errors
    assert 'Missing key "name" for TypedDict "FunctionObjectParam"' in checked.stdout
    with Loopback() as server:
        server.responder = lambda request: Reply(200, {"id": "x", "object": "chat.completion"})
        ran = subprocess.run(
            [sys.executable, str(calls), server.url], capture_output=True, text=True,
            env={**os.environ, "PYTHONPATH": str(root)}, timeout=300,
        )  # fmt: skip
        requests = list(server.requests)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert [(r.method, r.path) for r in requests] == [
        ("POST", "/chat/completions"),
        ("POST", "/responses"),
        ("POST", "/chat/completions"),
    ]
    assert requests[0].json() == {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
    assert requests[1].json() == {"model": "gpt-4o", "input": [{"role": "user", "content": "hi"}]}
    assert requests[2].json()["messages"][1]["content"][1] == {
        "type": "image_url",
        "image_url": {"url": "https://example.com/a.png"},
    }
    assert requests[2].json()["tools"] == [
        {"type": "function", "function": {"name": "look", "parameters": {"type": "object"}}}
    ]


def test_typescript_builds_with_tsc(generated: dict[str, tuple[Path, str]], tmp_path: Path) -> None:
    require_node()
    package = build_package(generated["typescript"][0], tmp_path / "openai-full")
    assert (package / "dist" / "index.d.ts").is_file()
    # resources load on first use: count the methods of every resource class (`pkg/resources` loads all)
    listing = (
        "import('./dist/resources/index.js').then(async (r) => {\n"
        "  let n = 0;\n"
        "  for (const cls of Object.values(r)) {\n"
        "    if (typeof cls !== 'function') continue;\n"
        "    for (const name of Object.getOwnPropertyNames(cls.prototype)) {\n"
        "      const d = Object.getOwnPropertyDescriptor(cls.prototype, name);\n"
        "      if (name !== 'constructor' && typeof d.value === 'function') n++;\n"
        "    }\n"
        "  }\n"
        "  const m = await import('./dist/index.js');\n"
        "  const c = new m.default({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });\n"
        "  console.log(JSON.stringify({ n, chat: typeof c.chat.completions?.create }));\n"
        "});\n"
    )
    run = subprocess.run(["node", "-e", listing], cwd=package, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    facts = json.loads(run.stdout)
    assert facts["n"] == OPERATIONS
    assert facts["chat"] == "function"


def test_the_installed_cli_of_the_full_spec(
    generated: dict[str, tuple[Path, str]], tmp_path: Path, loopback: Loopback
) -> None:
    """Issue 21 on the whole API: the package pip-installed (not editable), its console script run as a
    user runs it: nested commands, JSON from a file, a transform, the help of a deep command."""
    home = tmp_path / "venv"
    venv.create(home, with_pip=True)
    site = home / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    (site / "tests-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # httpx2, jmespath
    subprocess.run(
        [str(home / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         str(generated["python"][0])],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    cli = home / "bin" / "openai"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env.update(OPENAI_API_KEY="sk-cli", OPENAI_BASE_URL=loopback.url + "/v1")
    messages = tmp_path / "msgs.json"
    messages.write_text(json.dumps([{"role": "user", "content": "hi"}]))
    loopback.default = Reply(200, {"id": "chatcmpl-1", "object": "chat.completion", "created": 1,
                                   "model": "gpt-4o", "choices": []})  # fmt: skip
    result = subprocess.run(
        [str(cli), "chat", "completions", "create", "--model", "gpt-4o", "--messages", f"@{messages}",
         "--transform", "id"],
        capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == "chatcmpl-1"
    (request,) = loopback.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.json() == {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
    jobs = subprocess.run([str(cli), "fine-tuning", "jobs", "checkpoints", "list", "--help"],
                          capture_output=True, env=env, timeout=120)  # fmt: skip
    assert jobs.returncode == 0 and b"usage: openai fine-tuning jobs checkpoints list" in jobs.stdout
    top = subprocess.run([str(cli), "--help"], capture_output=True, env=env, timeout=120).stdout.decode()
    assert all(name in top for name in ("chat", "fine-tuning", "vector-stores", "audio", "images"))
    assert "](" not in top and "`" not in top  # plain text
    # `--all`: every item of every page, one JSON line each, the next page asked with `after`
    loopback.requests.clear()
    page = {"object": "list", "first_id": "", "last_id": "", "has_more": True}
    loopback.reply(
        Reply(200, {**page, "data": [{"id": "ftjob-1", "object": "fine_tuning.job"}], "has_more": True}),
        Reply(200, {**page, "data": [{"id": "ftjob-2", "object": "fine_tuning.job"}], "has_more": False}),
    )
    listed = subprocess.run([str(cli), "fine-tuning", "jobs", "list", "--limit", "1", "--all"],
                            capture_output=True, env=env, timeout=120)  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == ["ftjob-1", "ftjob-2"]
    assert [r.query for r in loopback.requests] == [[("limit", "1")], [("limit", "1"), ("after", "ftjob-1")]]
    # a binary body to `--output`, bytes intact
    png = b"\x89PNG\r\n\x1a\n\x00\xff\xfe" + bytes(range(256))
    loopback.reply(Reply(200, png, {"Content-Type": "application/octet-stream"}))
    out = tmp_path / "content.bin"
    got = subprocess.run([str(cli), "files", "content", "--file-id", "file-abc", "--output", str(out)],
                         capture_output=True, env=env, timeout=120)  # fmt: skip
    assert got.returncode == 0, got.stderr
    assert out.read_bytes() == png
