"""Mutated real specs: every run of every target ends in generated files or in located diagnostics.

Specs (the small ones of ../shared/corpus, when it is there, and our own) are mutated as a careless edit or
a broken bundler would: a subtree deleted, duplicated under another name, retyped (an object where a string
was, a list where an object was...), replaced by a `$ref`, or a `$ref` pointed elsewhere (at another node,
at itself, at its parent, at nothing, at a non-schema). Each mutated spec goes through every target in
process (`generator.pipeline.generate`, what the command line runs). A run must end either in files, all
inside the output folder (Python files compile, for every success; a few are compiled by tsc and perl), or
in a SpecError whose errors each say file:line and a JSON pointer: never another exception (the command
line's exit 3, "internal error").

A fixed, derandomized set runs by default (200 specs, about 30 s); set SDKGEN_MUTATIONS=2000 for many
more by hand (and SDKGEN_MUTATION_MAX_BYTES=300000 to mutate the larger corpus specs too). The counts are
printed (run with -s to see them).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.diagnostics import SpecError, pointer_join
from generator.load import load
from generator.pipeline import TARGETS, generate
from generator.swagger2 import upgrade
from generator.targets.base import Job
from generator.write import write
from tests.conftest import ROOT, SHARED

EXAMPLES = int(os.environ.get("SDKGEN_MUTATIONS", "200"))
SMALL = int(os.environ.get("SDKGEN_MUTATION_MAX_BYTES", "30000"))  # corpus specs up to this size


def _seeds() -> list[Path]:
    ours = [ROOT / "specs" / "images-variations.yaml"]
    # the SDK tests' specs: a list per pagination scheme among them, so mutants reach page inference
    ours += sorted((ROOT / "tests" / "sdk").glob("*/spec.yaml"))
    ours += sorted((ROOT / "tests" / "typescript").glob("*/spec.yaml"))
    ours += sorted((ROOT / "tests" / "golden").glob("*/spec.yaml"))
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        ours += sorted(
            p
            for p in corpus.iterdir()
            if p.suffix in (".yaml", ".yml", ".json") and p.stat().st_size <= SMALL
        )
    return [p for p in ours if p.exists()]


SEEDS = _seeds()
_DOCS: dict[Path, Any] = {}


def _document(path: Path) -> Any:
    """The seed as plain JSON data (Swagger 2.0 read as the OpenAPI 3 it means)."""
    if path not in _DOCS:
        _DOCS[path] = json.loads(json.dumps(upgrade(load(str(path))).data, default=str))
    return copy.deepcopy(_DOCS[path])


def _nodes(data: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """Every node below the root as (path of keys and indexes, value)."""
    out: list[tuple[tuple[Any, ...], Any]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if path:
            out.append((path, node))
        if isinstance(node, dict):
            stack.extend((path + (k,), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((path + (i,), v) for i, v in enumerate(node))
    out.sort(key=lambda item: json.dumps(item[0], default=str))
    return out


def _pointer(path: tuple[Any, ...]) -> str:
    return pointer_join("#", *path)


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    node = data
    for key in path[:-1]:
        node = node[key]
    return node


RETYPED: list[Any] = [{}, [], "", "x", 0, -1, 1.5, True, None, "object", ["string", "null"], {"type": "array"},
                      {"$ref": "#"}, {"enum": []}, {"allOf": []}]  # fmt: skip
KINDS = ("delete", "duplicate", "retype", "ref", "repoint")


def mutate(data: Any, draw: Any) -> list[str]:
    """Applies one mutation chosen by `draw` (a hypothesis data object) to `data`; says what it did."""
    nodes = _nodes(data)
    if not nodes:
        return ["nothing to mutate"]
    refs = [(p, v) for p, v in nodes if p[-1] == "$ref"]
    kind = draw(st.sampled_from(KINDS))
    if kind == "repoint" and refs:
        path, _ = refs[draw(st.integers(0, len(refs) - 1))]
        target = draw(
            st.one_of(
                st.integers(0, len(nodes) - 1).map(lambda i: _pointer(nodes[i][0])),
                st.sampled_from(
                    [
                        "#",
                        "#/",
                        "#/components/schemas",
                        "#/nowhere",
                        _pointer(path[:-1]),
                        _pointer(path[:-2]),
                        "other.yaml#/x",
                        "#/info",
                    ]
                ),
            )
        )
        _parent(data, path)[path[-1]] = target
        return [f"repoint {_pointer(path)} -> {target}"]
    path, value = nodes[draw(st.integers(0, len(nodes) - 1))]
    parent = _parent(data, path)
    key = path[-1]
    if kind == "delete":
        del parent[key]
        return [f"delete {_pointer(path)}"]
    if kind == "duplicate":
        if isinstance(parent, list):
            parent.insert(key, copy.deepcopy(value))
            return [f"duplicate {_pointer(path)}"]
        elsewhere, other = nodes[draw(st.integers(0, len(nodes) - 1))]
        holder = _parent(data, elsewhere)
        if draw(st.booleans()) or not isinstance(holder, (dict, list)) or other is value:
            parent[f"{key}2" if isinstance(key, str) else key] = copy.deepcopy(value)
            return [f"duplicate {_pointer(path)} beside itself"]
        holder[elsewhere[-1]] = copy.deepcopy(value)
        return [f"copy {_pointer(path)} over {_pointer(elsewhere)}"]
    if kind == "retype":
        parent[key] = copy.deepcopy(draw(st.sampled_from(RETYPED)))
        return [f"retype {_pointer(path)}"]
    # replace a node with a $ref to another (or to itself, or to one of its ancestors)
    target_path, _ = nodes[draw(st.integers(0, len(nodes) - 1))]
    target = draw(
        st.sampled_from(
            [_pointer(target_path), _pointer(path), _pointer(path[:-1]) if len(path) > 1 else "#"]
        )
    )
    parent[key] = {"$ref": target}
    return [f"ref {_pointer(path)} -> {target}"]


PACKAGE = {"python": "mutant_sdk", "typescript": "mutant-sdk", "perl": "Mutant::SDK", "docs": "mutant_sdk",
           "site": "mutant_sdk"}  # fmt: skip
COUNTS: Counter[str] = Counter()
COMPILED: Counter[str] = Counter()
FAILURES: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def _environment(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """All in this process (no child for the validator, no forked worker), no cache of ours touched;
    the counts printed at the end."""
    saved = {k: os.environ.get(k) for k in ("SDKGEN_NO_FORK", "SDKGEN_CACHE_DIR")}
    os.environ["SDKGEN_NO_FORK"] = "1"
    os.environ["SDKGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    print(f"\nmutation test: {COUNTS['specs']} mutated specs from {len(SEEDS)} seeds, "
          f"{COUNTS['runs']} target runs: {COUNTS['generated']} generated ({COUNTS['with warnings']} with "
          f"warnings), {COUNTS['spec errors']} specs refused with located errors; compiled: {dict(COMPILED)}")  # fmt: skip


def _check_files(files: dict[str, str], out: Path) -> None:
    for path in files:
        pure = PurePosixPath(path)
        assert not pure.is_absolute() and ".." not in pure.parts and "\\" not in path and path, path
        assert (out / path).resolve().is_relative_to(out.resolve()), path
        assert "\x00" not in path, path


@pytest.mark.skipif(not SEEDS, reason="no seed specs")
@settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("SDKGEN_MUTATIONS"),
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
def test_mutated_specs_end_in_files_or_located_errors(
    data: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed = data.draw(st.sampled_from(SEEDS), label="seed")
    doc = _document(seed)
    did: list[str] = []
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        did += mutate(doc, data.draw)
    where = tmp_path_factory.mktemp("mutant")
    spec = where / "spec.json"
    spec.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
    COUNTS["specs"] += 1
    what = f"{seed.name}: {'; '.join(did)}"
    for target in TARGETS:
        COUNTS["runs"] += 1
        out = where / target
        job = Job(spec=str(spec), target=target, out=str(out), package_name=PACKAGE[target])
        try:
            generated = generate(job)
        except SpecError as exc:
            COUNTS["spec errors"] += 1
            errors = [d for d in exc.diagnostics if d.severity == "error"]
            assert errors, what
            for d in errors:
                assert d.location is not None and d.location.line >= 1, f"{what}: {d.format()}"
                assert d.pointer.startswith("#"), f"{what}: {d.format()}"
            break  # the spec is what fails: every target says the same
        except RecursionError as exc:  # pragma: no cover - the failure this test is for
            raise AssertionError(f"{what}: {target}: RecursionError") from exc
        COUNTS["generated"] += 1
        if generated.warnings:
            COUNTS["with warnings"] += 1
        _check_files(generated.files, out)
        if target == "python":
            for path, text in generated.files.items():
                if path.endswith(".py"):
                    compile(text, path, "exec")  # a SyntaxError fails the test
            COMPILED["python (syntax)"] += 1
        if target in ("perl", "typescript") and COMPILED[target] < SAMPLE_COMPILES:
            write(out, generated.files)
            _compile(target, out, what)
            COMPILED[target] += 1


SAMPLE_COMPILES = int(os.environ.get("SDKGEN_MUTATION_COMPILES", "2"))


def _compile(target: str, out: Path, what: str) -> None:
    if target == "perl" and shutil.which("perl"):
        for module in (out / "lib").rglob("*.pm"):
            run = subprocess.run(["perl", f"-I{out / 'lib'}", "-c", str(module)], capture_output=True, text=True,
                                 timeout=60)  # fmt: skip
            assert run.returncode == 0, f"{what}: {run.stderr}"
    if target == "typescript":
        from tests.typescript.support import NPM, TSC

        if not TSC.exists() or shutil.which("node") is None:
            return
        (out / "node_modules").symlink_to(NPM, target_is_directory=True)
        run = subprocess.run([str(TSC), "-p", str(out / "tsconfig.json"), "--noEmit"], capture_output=True,
                             text=True, timeout=300)  # fmt: skip
        assert run.returncode == 0, f"{what}: {run.stdout}"
