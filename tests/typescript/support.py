"""Building and running TypeScript with the real tools: tsc from tests/typescript/npm, node.

`tests/typescript/npm` holds the compiler, Node's types and the official `openai` npm package (the
reference for parity), installed by `.ci/run` with `npm ci` from the committed lockfile.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NPM = ROOT / "tests" / "typescript" / "npm" / "node_modules"
TSC = NPM / ".bin" / "tsc"

__all__ = ["NPM", "TSC", "build_package", "compile_app", "make_app", "node", "require_node"]


def require_node() -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not TSC.exists():
        pytest.skip("tests/typescript/npm/node_modules is missing: run `npm ci --prefix tests/typescript/npm`")


def build_package(source: Path, dest: Path) -> Path:
    """A copy of a generated package, built as its README says (`npm run build`, tsc from our npm folder)."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("dist", "node_modules"))
    (dest / "node_modules").symlink_to(NPM, target_is_directory=True)
    run = subprocess.run(
        ["npm", "run", "build", "--silent"], cwd=dest, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, f"npm run build failed:\n{run.stdout}\n{run.stderr}"
    return dest


def make_app(where: Path, packages: Mapping[str, Path], sources: Mapping[str, str]) -> Path:
    """A TypeScript program in `where` that imports `packages` (name -> folder) as installed packages."""
    (where / "src").mkdir(parents=True)
    modules = where / "node_modules"
    modules.mkdir()
    for name, folder in packages.items():
        (modules / name).symlink_to(folder, target_is_directory=True)
    (modules / "@types").symlink_to(NPM / "@types", target_is_directory=True)
    (modules / "undici-types").symlink_to(NPM / "undici-types", target_is_directory=True)
    (where / "package.json").write_text(json.dumps({"name": "app", "private": True, "type": "module"}))
    config = {
        "compilerOptions": {
            "target": "ES2022",
            "lib": ["ES2022", "DOM"],
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "strict": True,
            "noUncheckedIndexedAccess": True,
            "esModuleInterop": True,
            "types": ["node"],
            "rootDir": "src",
            "outDir": "dist",
        },
        "include": ["src"],
    }
    (where / "tsconfig.json").write_text(json.dumps(config, indent=2))
    for name, text in sources.items():
        (where / "src" / name).write_text(text)
    return where


def compile_app(app: Path) -> None:
    run = subprocess.run(
        [str(TSC), "-p", str(app / "tsconfig.json")], capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, f"tsc failed:\n{run.stdout}\n{run.stderr}"


def node(
    app: Path, script: str, *args: str, env: Mapping[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Runs dist/`script` with node in `app`; the environment is ours plus `env`, without OPENAI_*."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    full.update(env or {})
    return subprocess.run(
        ["node", str(app / "dist" / script), *args],
        cwd=app,
        capture_output=True,
        text=True,
        env=full,
        timeout=timeout,
    )
