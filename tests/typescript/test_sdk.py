"""The generated TypeScript SDK (generated/typescript): built with the real tsc, run by node.

Against the loopback recorder, every call sends what the official `openai` npm package sends for the
same call (method, path, Authorization, content type, each part's name, filename, content type and
bytes) and parses the same result. Seed 001's example compiles (tsc --strict, noUncheckedIndexedAccess)
and runs unchanged apart from its import line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.support.loopback import Loopback, Recorded, Reply
from tests.typescript.support import NPM, build_package, compile_app, make_app, node, require_node

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated" / "typescript"
SEED = SHARED / "seeds" / "001_08753703205471be.txt"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
RESPONSE = {
    "created": 1713833628,
    "data": [{"url": "https://img.example/0.png", "revised_prompt": "an otter"}],
    "background": "a-value-the-spec-does-not-list",  # unknown enum values pass through
    "usage": {
        "input_tokens": 1,
        "input_tokens_details": {"image_tokens": 1, "text_tokens": 0},
        "output_tokens": 2,
        "total_tokens": 3,
        "extra": True,
    },
}

# Each case: the image (an expression over `png`, the file's path, and `toFile`) and the other params.
CASES: dict[str, tuple[str, str]] = {
    "stream-no-params": ("fs.createReadStream(png)", "{}"),
    "stream-all-params": (
        "fs.createReadStream(png)",
        "{ model: 'dall-e-2', n: 2, response_format: 'b64_json', size: '256x256', user: 'user-1' }",
    ),
    "stream-some-params": ("fs.createReadStream(png)", "{ n: 1, size: '1024x1024' }"),
    "file": ("new File([fs.readFileSync(png)], 'otter.png', { type: 'image/png' })", "{ n: 3 }"),
    "tofile-buffer": ("await toFile(fs.readFileSync(png), 'otter.png', { type: 'image/png' })", "{}"),
    "tofile-buffer-untyped": ("await toFile(fs.readFileSync(png), 'plain.png')", "{ user: 'ü ✓' }"),
    "tofile-stream": ("await toFile(fs.createReadStream(png))", "{}"),
    "response": ("await fetch(`${baseURL}/download/otter.png`)", "{}"),
}

DRIVER = """\
import fs from 'fs';
import Ours, { toFile as ourToFile } from 'openai-images';
import Official, { toFile as officialToFile } from 'openai';

const [which, png] = process.argv.slice(2) as [string, string];
const baseURL = process.env['BASE_URL'] ?? '';
const Client: any = which === 'ours' ? Ours : Official;
const toFile: any = which === 'ours' ? ourToFile : officialToFile;
const client = new Client({ apiKey: 'sk-parity', baseURL: `${baseURL}/v1`, maxRetries: 0 });
const out: Record<string, unknown> = {};
CALLS
console.log(JSON.stringify(out));
"""

TYPED = """\
import fs from 'fs';
import OpenAI, {
  APIError,
  NotFoundError,
  RateLimitError,
  toFile,
  type ImageCreateVariationParams,
  type ImagesResponse,
} from 'openai-images';

const baseURL = process.env['BASE_URL'] ?? '';
const png = process.argv[2] ?? '';
const client = new OpenAI({ apiKey: 'sk-typed', baseURL: `${baseURL}/v1`, maxRetries: 0 });

const params: ImageCreateVariationParams = { image: fs.createReadStream(png), n: 2, size: '512x512' };
const result: ImagesResponse = await client.images.createVariation(params);
const first: string | undefined = result.data?.[0]?.url;
console.log(JSON.stringify({ created: result.created, first }));

const { data, response } = await client.images
  .createVariation({ image: await toFile(new Uint8Array([1, 2, 3]), 'x.png') })
  .withResponse();
console.log(JSON.stringify({ status: response.status, created: data.created, header: response.headers.get('x-request-id') }));

for (const status of [404, 429]) {
  try {
    await client.images.createVariation({ image: new Blob([new Uint8Array([4])]) }, { maxRetries: 0 });
  } catch (err) {
    if (!(err instanceof APIError)) throw err;
    const kind = err instanceof NotFoundError ? 'NotFoundError' : err instanceof RateLimitError ? 'RateLimitError' : 'other';
    console.log(JSON.stringify({ status: err.status, kind }));
  }
}
"""


def seed_example() -> str:
    text = SEED.read_text()
    start = text.index("import OpenAI from 'openai';")
    end = text.index("console.log(imagesResponse.created);") + len("console.log(imagesResponse.created);")
    return text[start:end] + "\n"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generated/typescript built with `npm run build`, and a program that uses it beside `openai`."""
    require_node()
    where = tmp_path_factory.mktemp("ts-sdk")
    package = build_package(GENERATED, where / "openai-images")
    calls = []
    for name, (image, params) in CASES.items():
        calls.append(
            f"out[{json.dumps(name)}] = await client.images.createVariation({{ image: {image}, ...{params} }});"
        )
    sources = {
        "parity.ts": DRIVER.replace("CALLS", "\n".join(calls)),
        "typed.ts": TYPED,
    }
    if SEED.exists():
        sources["seed.ts"] = seed_example().replace(
            "import OpenAI from 'openai';", "import OpenAI from 'openai-images';\nimport fs from 'fs';"
        )
    app = make_app(where / "app", {"openai-images": package, "openai": NPM / "openai"}, sources)
    (app / "otter.png").write_bytes(PNG)
    compile_app(app)
    return app


def test_package_builds_to_dist_with_declarations(app: Path) -> None:
    dist = app.parent / "openai-images" / "dist"
    for name in ("index.js", "index.d.ts", "client.js", "resources/images.js", "types/images-response.d.ts"):
        assert (dist / name).is_file(), name
        assert (dist / "cjs" / name).is_file(), f"cjs/{name}"
    assert json.loads((dist / "cjs" / "package.json").read_text()) == {"type": "commonjs"}
    manifest = json.loads((GENERATED / "package.json").read_text())
    assert manifest["type"] == "module"
    assert manifest["exports"]["."]["import"] == {"types": "./dist/index.d.ts", "default": "./dist/index.js"}
    assert manifest["exports"]["."]["require"] == {
        "types": "./dist/cjs/index.d.ts",
        "default": "./dist/cjs/index.js",
    }
    assert list(manifest["devDependencies"]) == ["typescript"] and "dependencies" not in manifest


def _respond(request: Recorded) -> Reply:
    if request.path.startswith("/download/"):
        return Reply(200, PNG, {"Content-Type": "image/png"})
    return Reply(200, RESPONSE, {"x-request-id": "req_1"})


def _run(app: Path, loopback: Loopback, which: str) -> tuple[dict[str, Any], list[Recorded]]:
    loopback.responder = _respond
    before = len(loopback.requests)
    run = node(app, "parity.js", which, str(app / "otter.png"), env={"BASE_URL": loopback.url})
    assert run.returncode == 0, run.stderr
    sent = [r for r in loopback.requests[before:] if not r.path.startswith("/download/")]
    return json.loads(run.stdout), sent


def _wire(request: Recorded) -> dict[str, Any]:
    return {
        "method": request.method,
        "path": request.path,
        "query": request.query,
        "authorization": request.header("authorization"),
        "media_type": request.media_type,
        "parts": [(p.name, p.filename, p.content_type, p.data) for p in request.parts()],
    }


def test_requests_and_results_match_the_official_package(app: Path, loopback: Loopback) -> None:
    ours, ours_sent = _run(app, loopback, "ours")
    official, official_sent = _run(app, loopback, "official")
    assert len(ours_sent) == len(official_sent) == len(CASES)
    for name, mine, theirs in zip(CASES, ours_sent, official_sent, strict=True):
        assert _wire(mine) == _wire(theirs), name
    assert ours == official
    assert ours["stream-no-params"] == RESPONSE
    # the file's bytes and name arrive as sent; optional params are absent unless given
    first = {p.name: p for p in ours_sent[0].parts()}
    assert list(first) == ["image"] and first["image"].filename == "otter.png" and first["image"].data == PNG
    every = {p.name: p.data for p in ours_sent[1].parts()}
    assert every == {
        "image": PNG,
        "model": b"dall-e-2",
        "n": b"2",
        "response_format": b"b64_json",
        "size": b"256x256",
        "user": b"user-1",
    }


def test_typed_use_compiles_and_runs(app: Path, loopback: Loopback) -> None:
    loopback.reply(
        Reply(200, RESPONSE, {"x-request-id": "req_1"}),
        Reply(200, RESPONSE, {"x-request-id": "req_2"}),
        Reply(404, {"error": {"message": "no such image"}}),
        Reply(429, {"error": {"message": "slow down"}}),
    )
    run = node(app, "typed.js", str(app / "otter.png"), env={"BASE_URL": loopback.url})
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert lines == [
        {"created": 1713833628, "first": "https://img.example/0.png"},
        {"status": 200, "created": 1713833628, "header": "req_2"},
        {"status": 404, "kind": "NotFoundError"},
        {"status": 429, "kind": "RateLimitError"},
    ]
    parts = [{p.name: p for p in r.parts()} for r in loopback.requests]
    assert parts[0]["n"].data == b"2" and parts[0]["size"].data == b"512x512"
    assert parts[1]["image"].filename == "x.png" and parts[1]["image"].data == b"\x01\x02\x03"
    assert parts[2]["image"].data == b"\x04"


def test_seed_001_example_compiles_and_runs(app: Path, loopback: Loopback) -> None:
    if not SEED.exists():
        pytest.skip(f"seed 001 is not beside the project ({SEED})")
    loopback.reply(Reply(200, RESPONSE))
    env = {"OPENAI_API_KEY": "sk-seed", "OPENAI_BASE_URL": loopback.url + "/v1"}
    run = node(app, "seed.js", env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(RESPONSE["created"])
    (sent,) = loopback.requests
    assert sent.method == "POST" and sent.path == "/v1/images/variations"
    assert sent.header("authorization") == "Bearer sk-seed"
    (part,) = sent.parts()
    assert (part.name, part.filename, part.data) == ("image", "otter.png", PNG)


def test_npm_install_and_build_as_its_readme_says(tmp_path: Path) -> None:
    """`npm install && npm run build` in a copy of the package: typescript (its only dependency) comes from
    npm's cache where `npm ci` for tests/typescript/npm left what install needs, else from the registry."""
    require_node()
    shutil.copytree(GENERATED, tmp_path / "pkg")
    for command in (["npm", "install", "--prefer-offline", "--no-audit", "--no-fund"], ["npm", "run", "build"]):
        run = subprocess.run(command, cwd=tmp_path / "pkg", capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, f"{' '.join(command)}:\n{run.stdout}\n{run.stderr}"
    installed = json.loads((tmp_path / "pkg" / "node_modules" / "typescript" / "package.json").read_text())
    assert installed["version"].startswith("5.")
    assert sorted(
        p.name for p in (tmp_path / "pkg" / "node_modules").iterdir() if not p.name.startswith(".")
    ) == ["typescript"]
    assert (tmp_path / "pkg" / "dist" / "index.js").is_file()
    assert (tmp_path / "pkg" / "dist" / "index.d.ts").is_file()
    assert (tmp_path / "pkg" / "dist" / "cjs" / "index.js").is_file()
