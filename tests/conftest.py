"""Shared fixtures: the loopback server, the generated SDK, its installed command line."""

from __future__ import annotations

import fcntl
import importlib
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.loopback import Loopback

ROOT = Path(__file__).resolve().parents[1]
NPM_FOLDER = ROOT / "tests" / "typescript" / "npm"


#: the files that take longest (seconds of one core, from `--durations`: 69, 56, 54, 52, 35, 34, 31, 30, 24,
#: 23), run first, longest first: with pytest-xdist (`--dist loadfile --no-loadscope-reorder`, see
#: pyproject.toml) each worker takes the next file when it is free, so the short files that come after
#: even out the workers' ends instead of one worker running a long file alone at the end
LONGEST_FIRST = (
    "tests/hostile/test_hostile_specs.py",
    "tests/test_format.py",
    "tests/corpus/test_openai_full.py",
    "tests/workflow/test_hooks.py",
    "tests/corpus/test_corpus.py",
    "tests/unit/test_speccheck.py",
    "tests/changes/test_spec_history.py",
    "tests/sdk/test_query_formats.py",
    "tests/sdk/test_constructs.py",
    "tests/typescript/test_pagination.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}  # the other files after them, as before
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(rank)))


def pytest_configure(config: pytest.Config) -> None:
    """The npm packages the TypeScript tests use (tsc, @types/node, the official `openai`), installed from
    the committed lockfile when Node is here and they are missing or older than the lockfile, so that
    `python -m pytest` on a fresh clone runs everything. SDKGEN_NO_NPM=1 leaves them alone.

    Under pytest-xdist only the controller installs (its pytest_configure runs before any worker starts);
    a lock on the npm folder keeps two pytest runs from installing at once."""
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has done it
        return
    if os.environ.get("SDKGEN_NO_NPM") or shutil.which("npm") is None or shutil.which("node") is None:
        return
    with open(NPM_FOLDER / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        _npm_ci()


def _npm_ci() -> None:
    installed = NPM_FOLDER / "node_modules" / ".package-lock.json"
    lock = NPM_FOLDER / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    print(f"installing the TypeScript tests' npm packages: npm ci --prefix {NPM_FOLDER.relative_to(ROOT)}")
    result = subprocess.run(
        ["npm", "ci", "--prefix", str(NPM_FOLDER), "--no-audit", "--no-fund", "--loglevel=error"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if result.returncode != 0:  # the TypeScript tests then skip, saying why
        print(f"npm ci failed ({result.returncode}): {result.stderr.strip()[-500:]}")


SDK_PATH = Path(os.environ.get("SDKGEN_SDK_PATH", ROOT / "generated" / "python"))
SHARED = ROOT.parent / "shared"


# -- the SDK runtime tests: loopback server and the SDK under test ---------------------------------
# SDKGEN_SDK_PATH chooses the folder that holds the `openai_images` package (default: the golden
# record, generated/python); the runtime's own development scaffold is another such folder.

API_KEY = "sk-test-0123456789"


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    """A recording HTTP server on 127.0.0.1, answering from a script."""
    with Loopback() as server:
        yield server


@pytest.fixture(scope="session")
def sdk() -> ModuleType:
    """The generated Python SDK, imported as a user would, from SDK_PATH."""
    path = str(SDK_PATH)
    if path in sys.path:
        sys.path.remove(path)
    sys.path.insert(0, path)
    module = importlib.import_module("openai_images")
    where = Path(module.__file__ or "").resolve()
    assert where.is_relative_to(SDK_PATH.resolve()), f"openai_images imported from {where}"
    return module


@pytest.fixture
def make_client(sdk: ModuleType, loopback: Loopback) -> Callable[..., Any]:
    """`make_client(**options)`: a sync (or, with `async_=True`, async) client of the loopback."""

    def make(*, async_: bool = False, **options: Any) -> Any:
        options.setdefault("api_key", API_KEY)
        options.setdefault("base_url", loopback.url + "/v1")
        return (sdk.AsyncOpenAI if async_ else sdk.OpenAI)(**options)

    return make


# -- the generated command line ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`openai`, the console script of generated/python, pip-installed (not editable) into its own venv."""
    home = tmp_path_factory.mktemp("cli-venv")
    venv.create(home, with_pip=True)
    # httpx2 (what the CLI needs) and hatchling (what builds it) come from the test environment
    (
        home
        / "lib"
        / f"python{sys.version_info[0]}.{sys.version_info[1]}"
        / "site-packages"
        / "tests-env.pth"
    ).write_text(sysconfig.get_paths()["purelib"] + "\n")
    src = home / "src"
    shutil.copytree(SDK_PATH, src)
    subprocess.run(
        [
            str(home / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return home / "bin" / "openai"
