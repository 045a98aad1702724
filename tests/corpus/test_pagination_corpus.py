"""Pagination found in the real specs of ../shared/corpus: a table (run with -s to see it).

For each spec: its GET operations, those that answer a list (a JSON array, or an object holding one),
and how many of those got a pagination scheme, by scheme. Held: the OpenAI spec's 62 cursor lists
(and `models.list`, a single page), Spotify's and Twilio's next URLs, DigitalOcean's page numbers.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.ir import build
from generator.ir.model import Api, Array, Object, Operation
from generator.load import load
from generator.swagger2 import upgrade
from tests.conftest import SHARED

CORPUS = SHARED / "corpus"


def answers_a_list(api: Api, op: Operation) -> bool:
    success = op.success
    if success is None:
        return False
    for media in success.contents:
        if "json" not in media.media_type:
            continue
        body = api.resolve(media.type)
        if isinstance(body, Array):
            return True
        if isinstance(body, Object) and any(isinstance(api.resolve(f.type), Array) for f in body.fields):
            return True
    return False


def survey(path: Path) -> dict[str, object]:
    try:
        api, _ = build(upgrade(load(str(path))))
    except SpecError as exc:
        return {"error": exc.diagnostics[0].message[:60]}
    gets = [op for op in api.operations() if op.method == "get"]
    lists = [op for op in gets if answers_a_list(api, op)]
    paged = [op for op in api.operations() if op.pagination is not None]
    return {
        "gets": len(gets),
        "lists": len(lists),
        "paged": len(paged),
        "schemes": Counter(op.pagination.scheme for op in paged if op.pagination is not None),
        "ops": {(op.method, op.path): op.pagination for op in paged},
    }


@pytest.fixture(scope="module")
def table() -> dict[str, dict[str, object]]:
    specs = sorted(p for p in CORPUS.glob("*") if p.suffix in (".yaml", ".yml", ".json")) if CORPUS.is_dir() else []
    if not specs:
        pytest.skip(f"the corpus is not beside the project ({CORPUS})")
    rows = {p.name: survey(p) for p in specs}
    width = max(len(name) for name in rows)
    print(f"\n{'spec':{width}}  GETs  lists  paged  schemes")
    for name, row in rows.items():
        if "error" in row:
            print(f"{name:{width}}  {row['error']}")
            continue
        schemes = ", ".join(f"{k} {v}" for k, v in sorted(row["schemes"].items()))  # type: ignore[attr-defined]
        print(f"{name:{width}}  {row['gets']:4}  {row['lists']:5}  {row['paged']:5}  {schemes}")
    total = sum(int(r.get("paged", 0)) for r in rows.values())  # type: ignore[call-overload]
    print(f"{'all':{width}}  {'':4}  {'':5}  {total:5}")
    return rows


def test_openai_cursor_lists(table: dict[str, dict[str, object]]) -> None:
    row = table["openai.yaml"]
    assert row["schemes"] == Counter({"cursor": 62, "single": 1})
    ops = row["ops"]
    assert isinstance(ops, dict)
    for route in ["/files", "/fine_tuning/jobs", "/batches", "/vector_stores", "/assistants",
                  "/vector_stores/{vector_store_id}/files", "/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints"]:  # fmt: skip
        p = ops[("get", route)]
        assert (p.scheme, p.param, p.items, p.size_param) == ("cursor", "after", ("data",), "limit"), route
        assert p.has_more == ("has_more",) and (p.next or p.item_field == "id"), route
    assert ops[("get", "/models")].scheme == "single"
    # every cursor list moves `after` (or, for usage and costs, `page` holding the body's `next_page`)
    cursors = [p for p in ops.values() if p.scheme == "cursor"]
    assert {p.param for p in cursors} == {"after", "page"}
    assert all(p.next == ("next_page",) for p in cursors if p.param == "page")


def test_other_apis(table: dict[str, dict[str, object]]) -> None:
    spotify, twilio, digitalocean = (table[n]["schemes"] for n in ("spotify.yaml", "twilio-api-v2010.yaml",
                                                                  "digitalocean.bundled.yaml"))  # fmt: skip
    assert isinstance(spotify, Counter) and spotify["next_url"] >= 15
    assert isinstance(twilio, Counter) and twilio["next_url"] >= 55
    assert isinstance(digitalocean, Counter) and digitalocean["page"] >= 60
    ops = table["digitalocean.bundled.yaml"]["ops"]
    assert isinstance(ops, dict)
    droplets = ops[("get", "/v2/droplets")]
    assert (droplets.scheme, droplets.param, droplets.size_param, droplets.items) == (
        "page", "page", "per_page", ("droplets",),
    )  # fmt: skip
    # no spec's paged operations outnumber its GETs that answer lists, but for explicit overrides
    for name, row in table.items():
        if "error" not in row:
            assert int(row["paged"]) <= int(row["lists"]), name  # type: ignore[call-overload]
