"""Our names against the official `openai` package's, on the full OpenAI spec.

The official package's own source says which method sends which HTTP call
(tests/support/official_names.py); our IR says which resource and method each operation gets. Printed
(run with -s): how many of the operations the official package covers get its exact dotted name,
with no names table and with examples/openai's. Goals (issue 16): with no table at least 85% once the
official `beta.` and `admin.` namespaces are set aside (they are configuration, not rules); with the
example's table, every one.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from generator.config import load_jobs
from generator.ir import build
from generator.ir.model import Api, Resource
from generator.load import load
from generator.naming import snake
from generator.swagger2 import upgrade
from tests.conftest import ROOT, SHARED
from tests.support.official_names import official_names, route

SPEC = SHARED / "corpus" / "openai.yaml"
EXAMPLE = ROOT / "examples" / "openai" / "pyproject.toml"


def ours(api: Api) -> list[tuple[str, str, str]]:
    """(method, path, dotted name) of every operation, as the Python SDK spells it."""
    out: list[tuple[str, str, str]] = []

    def walk(resources: tuple[Resource, ...], trail: tuple[str, ...]) -> None:
        for r in resources:
            here = (*trail, snake(r.name.words))
            out.extend((op.method, op.path, ".".join((*here, snake(op.name.words)))) for op in r.operations)
            walk(r.children, here)

    walk(api.resources, ())
    return out


def _unprefixed(name: str) -> str:
    for prefix in ("beta.", "admin."):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def score(api: Api, official: Mapping[tuple[str, str], list[str]]) -> tuple[int, int, int, list[str]]:
    """(covered, exact, exact once `beta.`/`admin.` are set aside, the misses) over covered operations.

    An operation whose path carries a query (`/responses?beta=true`) beside the same path without one
    is the same call to the official package: it is counted apart (see `twins`).
    """
    rows = ours(api)
    plain = {(m, p) for m, p, _ in rows if "?" not in p}
    covered = exact = loose = 0
    misses: list[str] = []
    for method, path, name in rows:
        names = official.get(route(method, path))
        if names is None or ("?" in path and (method, path.split("?", 1)[0]) in plain):
            continue
        covered += 1
        exact += name in names
        if name in [_unprefixed(n) for n in names] or name in names:
            loose += 1
        else:
            misses.append(f"{method.upper()} {path}: official {names[0]}, ours {name}")
    return covered, exact, loose, misses


@pytest.fixture(scope="module")
def spec_and_official() -> tuple[object, dict[tuple[str, str], list[str]]]:
    if not SPEC.is_file():
        pytest.skip(f"the corpus is not beside the project ({SPEC})")
    return upgrade(load(str(SPEC))), official_names()


def test_rules_alone_give_the_official_names(spec_and_official: tuple[object, dict]) -> None:
    doc, official = spec_and_official
    api, _ = build(doc)  # type: ignore[arg-type]
    covered, exact, loose, misses = score(api, official)
    print(f"\nno names table: {exact}/{covered} exact, {loose}/{covered} with beta./admin. set aside")
    print("\n".join("  " + m for m in misses))
    assert covered >= 280
    assert loose >= 0.85 * covered, misses


def test_the_example_table_gives_every_official_name(spec_and_official: tuple[object, dict]) -> None:
    doc, official = spec_and_official
    (job,) = [j for j in load_jobs(EXAMPLE) if j.target == "python"]
    api, _ = build(doc, job.names)  # type: ignore[arg-type]
    covered, exact, _, misses = score(api, official)
    exact_misses = [m for m in misses if m]  # every miss, prefixes included
    rows = ours(api)
    names = {n for _, _, n in rows}
    print(f"\nexamples/openai names table ({len(job.names)} entries): {exact}/{covered} exact")
    assert exact == covered, [
        f"{m.upper()} {p}: ours {n}, official {official[route(m, p)]}"
        for m, p, n in rows
        if route(m, p) in official and n not in official[route(m, p)] and "?" not in p
    ] or exact_misses
    assert len(names) == len(rows)  # no two operations share a name
