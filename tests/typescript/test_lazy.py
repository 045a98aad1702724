"""Issue 18: a program evaluates the modules of the generated TypeScript SDK that it uses, and no other.

The SDK of tests/typescript/shapes/spec.yaml (resources `batch`, `stores` with `stores.files`, `default`),
built with tsc: no emitted module imports a type-only module at run time, the client imports no resource
module statically, node evaluates only the resources a program calls (a loader hook lists what it loads),
and esbuild's split bundle of a one-resource program loads no other resource's code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.typescript.support import NPM, build_package, require_node
from tests.typescript.test_shapes import NAMES

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = {"index.js", "client.js", "core.js", "error.js", "streaming.js", "uploads.js"}

HOOKS = """\
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.LOADED, url + '\\n');
  return next(url, context);
}
"""
REGISTER = "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n"
PROGRAM = """\
import Shapes from 'shapes-sdk';
const client = new Shapes({{ apiKey: 'k', baseURL: 'http://127.0.0.1:9', maxRetries: 0 }});
const outcome = await client.{call}.then(() => 'resolved', (err) => err.constructor.name);
console.log(JSON.stringify(outcome));
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_node()
    where = tmp_path_factory.mktemp("ts-lazy")
    job = Job(spec="tests/typescript/shapes/spec.yaml", target="typescript", out="x",
              package_name="shapes-sdk", names=NAMES, root=str(ROOT))  # fmt: skip
    write(where / "src-sdk", generate(job).files)
    package = build_package(where / "src-sdk", where / "shapes-sdk")
    app = where / "app"
    (app / "node_modules").mkdir(parents=True)
    (app / "node_modules" / "shapes-sdk").symlink_to(package, target_is_directory=True)
    (app / "package.json").write_text(json.dumps({"name": "app", "private": True, "type": "module"}))
    (app / "hooks.mjs").write_text(HOOKS)
    (app / "register.mjs").write_text(REGISTER)
    return app


def _package(app: Path) -> Path:
    return (app / "node_modules" / "shapes-sdk").resolve()


def _loaded(app: Path, script: str) -> tuple[set[str], str]:
    """The package's modules (relative to dist/) node loads running `script`, and what it prints."""
    log = app / "loaded.txt"
    log.unlink(missing_ok=True)
    run = subprocess.run(
        ["node", "--import", "./register.mjs", script], cwd=app, capture_output=True, text=True,
        env={"PATH": os.environ["PATH"], "LOADED": str(log)}, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    dist = _package(app).as_uri() + "/dist/"
    urls = log.read_text().split()
    return {url.removeprefix(dist) for url in urls if url.startswith(dist)}, run.stdout.strip()


def test_no_emitted_module_imports_a_type_only_module(app: Path) -> None:
    dist = _package(app) / "dist"
    specifier = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]""")
    for path in dist.rglob("*.js"):
        imported = specifier.findall(path.read_text())
        assert not [s for s in imported if "types/" in s], path
        if path.parent.name == "types":
            assert not imported, path
    # the client imports its resources' modules only on demand, the index none of them
    client = (dist / "client.js").read_text()
    assert not re.search(r"^import .*resources", client, re.M)
    assert "import('./resources/batch.js')" in client
    assert "resources" not in "".join(specifier.findall((dist / "index.js").read_text()))


@pytest.mark.parametrize(
    ("script", "call", "loaded"),
    [
        # `batch` has a list method that returns pages: its module loads the pages' module too
        ("batch.mjs", "batch.retrieve('b_1')", {"resources/batch.js", "pagination.js"}),
        ("list.mjs", "batch.list()", {"resources/batch.js", "pagination.js"}),
        ("files.mjs", "stores.files.list('vs_1')", {"resources/stores/files.js"}),
    ],
)
def test_a_program_evaluates_only_the_resources_it_calls(
    app: Path, script: str, call: str, loaded: set[str]
) -> None:
    (app / script).write_text(PROGRAM.format(call=call))
    modules, printed = _loaded(app, script)
    assert printed == '"APIConnectionError"'  # the call was made, to a port nobody listens on
    assert modules - RUNTIME == loaded


def test_the_split_bundle_of_a_one_resource_program_holds_no_other_resource(app: Path) -> None:
    esbuild = NPM / ".bin" / "esbuild"
    if not esbuild.exists():
        pytest.skip("esbuild is missing: run `npm ci --prefix tests/typescript/npm`")
    (app / "one.mjs").write_text(PROGRAM.format(call="batch.retrieve('b_1')"))
    subprocess.run(
        [str(esbuild), "one.mjs", "--bundle", "--format=esm", "--platform=node", "--splitting",
         "--outdir=split", "--out-extension:.js=.mjs", "--log-level=error"],
        cwd=app, check=True, timeout=60,
    )  # fmt: skip
    log = app / "loaded.txt"
    log.unlink(missing_ok=True)
    run = subprocess.run(
        ["node", "--import", "./register.mjs", "split/one.mjs"], cwd=app, capture_output=True, text=True,
        env={"PATH": os.environ["PATH"], "LOADED": str(log)}, timeout=60,
    )  # fmt: skip
    assert run.stdout.strip() == '"APIConnectionError"', run.stderr
    chunks = [Path(url.removeprefix("file://")) for url in log.read_text().split() if "/split/" in url]
    code = "".join(chunk.read_text() for chunk in chunks)
    assert "/batch/{batch_id}" in code
    # the other resources' paths are in chunks of their own, which this run never loaded
    everything = "".join(p.read_text() for p in (app / "split").iterdir())
    for other in ("/stores/{store_id}/files", "/imports"):
        assert other in everything and other not in code, other


CJS_PROGRAM = """\
const path = require('node:path');
const { default: Shapes } = require('shapes-sdk');
const dist = path.dirname(require.resolve('shapes-sdk'));
const loaded = () => Object.keys(require.cache).filter((f) => f.startsWith(dist + path.sep))
  .map((f) => path.relative(dist, f).split(path.sep).join('/')).sort();
const before = loaded();
const client = new Shapes({ apiKey: 'k', baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
client.%s.then(() => 'resolved', (err) => err.constructor.name).then((outcome) => {
  console.log(JSON.stringify({ before, after: loaded(), outcome }));
});
"""


@pytest.mark.parametrize(
    ("call", "loaded"),
    [
        ("batch.retrieve('b_1')", {"resources/batch.js", "pagination.js"}),  # batch has a list method
        ("stores.files.list('vs_1')", {"resources/stores/files.js"}),
    ],
)
def test_a_commonjs_program_requires_only_the_resources_it_calls(app: Path, call: str, loaded: set[str]) -> None:
    script = app / "lazy.cjs"
    script.write_text(CJS_PROGRAM % call)
    run = subprocess.run(["node", script.name], cwd=app, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["outcome"] == "APIConnectionError"
    assert set(out["before"]) == RUNTIME  # dist/cjs: the client core, no resource
    assert set(out["after"]) == RUNTIME | loaded
