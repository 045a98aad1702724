"""What a one-call program loads from the generated TypeScript SDK (full OpenAI spec), against the official
`openai` npm package (issue 18).

The program: `import OpenAI from PKG; const client = new OpenAI(...);
client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })`.
For each package: its bundle by esbuild (minified, one file; and split, with the bytes of the chunks a run
loads), the package's modules node evaluates running the program (a loader hook counts them), and the
median wall time of `import` + `new` + `client.chat.completions` in a fresh node. Nothing is asserted.
Needs node and `npm ci --prefix tests/typescript/npm` (tsc, esbuild and the official package).

    .venv/bin/python bench/bench_typescript.py --runs 7 --write bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from _results import write_section  # bench/_results.py (the scripts run from bench/)

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "corpus" / "openai.yaml"
NPM = ROOT / "tests" / "typescript" / "npm" / "node_modules"
WORK = ROOT / "bench" / ".work" / "typescript"
PACKAGES = {"official": "openai", "sdkgen": "openai-full"}

PROGRAM = """\
import OpenAI from '{pkg}';
const client = new OpenAI({{ apiKey: 'x', baseURL: 'http://127.0.0.1:9', maxRetries: 0 }});
const messages = [{{ role: 'user', content: 'hi' }}];
const reply = client.chat.completions.create({{ model: 'gpt-4o', messages }});
reply.then(() => undefined, () => undefined);
"""
TIMED = """\
const start = performance.now();
const {{ default: OpenAI }} = await import('{pkg}');
const client = new OpenAI({{ apiKey: 'x' }});
client.chat.completions;
console.log(performance.now() - start);
"""
# logs every file: URL node loads, to the file named by $LOADED
HOOKS = """\
import { appendFileSync } from 'node:fs';

export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.LOADED, url + '\\n');
  return next(url, context);
}
"""
REGISTER = "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n"


def generate() -> Path:
    sdk = WORK / "sdk"
    subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "--target", "typescript",
         "--out", str(sdk), "--package-name", "openai-full", "--force"],
        check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    modules = sdk / "node_modules"
    if not modules.exists():
        modules.symlink_to(NPM, target_is_directory=True)
    subprocess.run(["npm", "run", "build", "--silent"], cwd=sdk, check=True, capture_output=True)
    return sdk


def app(sdk: Path) -> Path:
    where = WORK / "app"
    shutil.rmtree(where, ignore_errors=True)
    (where / "node_modules").mkdir(parents=True)
    (where / "node_modules" / "openai-full").symlink_to(sdk, target_is_directory=True)
    (where / "node_modules" / "openai").symlink_to(NPM / "openai", target_is_directory=True)
    (where / "package.json").write_text(json.dumps({"name": "app", "private": True, "type": "module"}))
    (where / "hooks.mjs").write_text(HOOKS)
    (where / "register.mjs").write_text(REGISTER)
    for name, pkg in PACKAGES.items():
        (where / f"{name}.mjs").write_text(PROGRAM.format(pkg=pkg))
        (where / f"{name}-timed.mjs").write_text(TIMED.format(pkg=pkg))
    return where


def loaded(where: Path, script: str) -> list[str]:
    """The file: URLs node loads running `script` (itself included)."""
    log = where / "loaded.txt"
    log.unlink(missing_ok=True)
    subprocess.run(
        ["node", "--import", "./register.mjs", script], cwd=where, check=True, capture_output=True,
        env={**os.environ, "LOADED": str(log)},
    )  # fmt: skip
    return log.read_text().split()


def bundle(where: Path, name: str) -> dict[str, int]:
    esbuild = str(NPM / ".bin" / "esbuild")
    common = ["--bundle", "--minify", "--format=esm", "--platform=node", "--log-level=error"]
    one = where / f"{name}.bundle.mjs"
    subprocess.run([esbuild, f"{name}.mjs", *common, f"--outfile={one.name}"], cwd=where, check=True)
    split = where / f"{name}-split"
    shutil.rmtree(split, ignore_errors=True)
    subprocess.run(
        [esbuild, f"{name}.mjs", *common, "--splitting", f"--outdir={split.name}",
         "--out-extension:.js=.mjs"],
        cwd=where, check=True,
    )  # fmt: skip
    chunks = [p for p in split.iterdir() if p.suffix == ".mjs"]
    used = [Path(url.removeprefix("file://")) for url in loaded(where, f"{split.name}/{name}.mjs")]
    return {
        "one file": one.stat().st_size,
        "split: all chunks": sum(p.stat().st_size for p in chunks),
        "split: chunks": len(chunks),
        "split: loaded by a run": sum(p.stat().st_size for p in used if p.parent == split),
    }


def run(runs: int) -> dict[str, dict[str, float]]:
    sdk = generate()
    where = app(sdk)
    # node loads a symlinked package from its real folder
    folders = {"official": (NPM / "openai").resolve().as_uri() + "/", "sdkgen": sdk.resolve().as_uri() + "/"}
    results: dict[str, dict[str, float]] = {}
    for name in PACKAGES:
        urls = loaded(where, f"{name}.mjs")
        results[name] = {
            "modules": sum(url.startswith(folders[name]) for url in urls),
            **bundle(where, name),
        }
    times: dict[str, list[float]] = {name: [] for name in PACKAGES}
    for _ in range(runs + 1):  # the first round warms the file cache
        for name in PACKAGES:
            out = subprocess.run(
                ["node", f"{name}-timed.mjs"], cwd=where, check=True, capture_output=True, text=True
            )
            times[name].append(float(out.stdout))
    for name in PACKAGES:
        results[name]["ms"] = statistics.median(times[name][1:])
    return results


def table(results: dict[str, dict[str, float]], runs: int) -> str:
    node = subprocess.run(["node", "--version"], check=True, capture_output=True, text=True).stdout.strip()
    version = json.loads((NPM / "openai" / "package.json").read_text())["version"]
    rows = [
        "## The TypeScript SDK: what a one-call program loads (full OpenAI spec, issue 18)",
        "",
        "Rerun: `.venv/bin/python bench/bench_typescript.py --runs 7 --write bench/RESULTS.md`",
        "",
        "`import OpenAI from PKG; new OpenAI(...).chat.completions.create({ model, messages })`, against the "
        f"official `openai` {version}.",
        "",
        "| | official | sdkgen |",
        "|---|---:|---:|",
    ]
    labels = {
        "modules": "modules of the package node evaluates",
        "ms": "import + new + `.chat.completions` (ms, median, in-process)",
        "one file": "esbuild bundle, minified, one file (bytes)",
        "split: chunks": "esbuild `--splitting`: chunks",
        "split: all chunks": "esbuild `--splitting`: all chunks (bytes)",
        "split: loaded by a run": "esbuild `--splitting`: bytes of the chunks a run loads",
    }
    for key, label in labels.items():
        cells = [results[name][key] for name in PACKAGES]
        text = [f"{v:.1f}" if key == "ms" else f"{int(v):,}" for v in cells]
        rows.append(f"| {label} | {' | '.join(text)} |")
    rows += ["", f"node {node}, {os.cpu_count()} cores; times: medians of {runs} runs in fresh processes."]
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", type=Path, help="update this Markdown file's TypeScript section")
    args = parser.parse_args()
    if not SPEC.is_file():
        sys.exit(f"the corpus is not beside the project ({SPEC})")
    if shutil.which("node") is None or not (NPM / ".bin" / "esbuild").exists():
        sys.exit("needs node and `npm ci --prefix tests/typescript/npm`")
    results = run(args.runs)
    body = table(results, args.runs)
    print(body)
    if args.write:
        write_section(args.write, "bench_typescript", body)


if __name__ == "__main__":
    main()
