"""Every real spec in ../shared/corpus generates a Python SDK that imports, or fails with a clear message.

The OpenAI spec has tests of its own (mypy --strict, determinism, interruption); here every other spec is
generated and every module of its SDK imported in a fresh interpreter. A table of the results is printed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

CORPUS = SHARED / "corpus"
SPECS = sorted(p for p in CORPUS.glob("*") if p.suffix in (".yaml", ".json") and p.name != "openai.yaml") \
    if CORPUS.is_dir() else []
# specs whose failure is the right answer, with the clear message they must give
EXPECTED_FAILURES = {
    "dcg-allof-with-required-inherited-coverage.yaml": r"\$ref cycle .* never reaches a schema",
}
# Swagger 2.0 specs: read as the OpenAPI 3 they convert to (generator/swagger2.py); generated and imported alone too
SWAGGER_2 = ["oai-v2-petstore-expanded.yaml", "oai-v2-uber.yaml"]
IMPORT_ALL = (
    "import importlib, pkgutil, pkg\n"
    "n = 0\n"
    "for m in pkgutil.walk_packages(pkg.__path__, 'pkg.'):\n"
    "    if not m.name.endswith('__main__'):\n"
    "        importlib.import_module(m.name); n += 1\n"
    "print(n)\n"
)


@pytest.mark.slow
def test_every_corpus_spec_generates_or_fails_clearly(tmp_path: Path) -> None:
    if not SPECS:
        pytest.skip(f"the corpus is not beside the project ({CORPUS})")
    rows, problems = [], []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for spec in SPECS:
        out = tmp_path / spec.stem
        start = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "generator", "generate", str(spec), "--out", str(out), "--package-name", "pkg"],
            capture_output=True, text=True, env=env, timeout=900,
        )
        seconds = time.monotonic() - start
        summary = re.match(r"(\d+) operations, (\d+) schemas, (\d+) warnings", result.stdout)
        if spec.name in EXPECTED_FAILURES:
            ok = result.returncode == 1 and re.search(EXPECTED_FAILURES[spec.name], result.stderr) is not None
            verdict = "clear error" if ok else f"unexpected: {result.stderr.strip()[-200:]}"
        elif result.returncode != 0 or summary is None:
            ok, verdict = False, f"generate failed: {result.stderr.strip()[-200:]}"
        else:
            imported = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True,
                                      env={**os.environ, "PYTHONPATH": str(out)}, timeout=300)
            ok = imported.returncode == 0
            verdict = f"imports ({imported.stdout.strip()} modules)" if ok else imported.stderr.strip()[-200:]
        if "Traceback" in result.stderr:
            ok, verdict = False, "a traceback: " + result.stderr.strip()[-200:]
        ops, schemas, warnings = summary.groups() if summary else ("-", "-", "-")
        rows.append(f"{spec.name:48} {ops:>5} {schemas:>6} {warnings:>5} {seconds:7.1f}s  {verdict}")
        if not ok:
            problems.append(f"{spec.name}: {verdict}")
    print("\n" + f"{'spec':48} {'ops':>5} {'schemas':>6} {'warn':>5} {'time':>8}  result")
    print("\n".join(rows))
    assert not problems, "\n".join(problems)


def _manifest_ops(name: str) -> int | None:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return None
    header, *rows = (line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines())
    for cells in rows:
        if cells[0] == name and "ops" in header:
            return int(cells[header.index("ops")])
    return None


@pytest.mark.parametrize("name", SWAGGER_2)
def test_swagger_2_corpus_spec_generates_and_imports(tmp_path: Path, name: str) -> None:
    spec = CORPUS / name
    if not spec.is_file():
        pytest.skip(f"{name} is not in the corpus beside the project ({CORPUS})")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "sdk"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "--out", str(out), "--package-name", "pkg"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    summary = re.match(r"(\d+) operations, (\d+) schemas", result.stdout)
    assert summary is not None, result.stdout
    expected = _manifest_ops(name)
    if expected is not None:
        assert int(summary.group(1)) == expected
    imported = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(out)}, timeout=300)
    assert imported.returncode == 0, imported.stderr
