"""Pagination in the IR (generator/ir/paginate.py): each scheme inferred from a small spec, a job's
`pagination` table overriding it, and the errors a table that does not fit gets (also through
`sdkgen generate` with a pyproject)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.config import ConfigError, job_from_mapping
from generator.diagnostics import SpecError
from generator.ir import build
from generator.ir.model import Api, Pagination, Ref
from generator.load import loads

ROOT = Path(__file__).resolve().parents[2]

THING = "{type: object, required: [id], properties: {id: {type: string}, name: {type: string}}}"


def spec(operations: dict[str, tuple[list[str], str, str]]) -> str:
    """A spec of GET operations: path -> (query parameters as `name: type`, response schema, extra)."""
    lines = ["openapi: 3.1.0", "info: {title: T, version: '1'}", "paths:"]
    for path, (params, schema, extra) in operations.items():
        op_id = "list" + "".join(w.title() for w in path.strip("/").replace("{", "").replace("}", "").split("/"))
        lines += [f"  {path}:", "    get:", f"      operationId: {op_id}"]
        if params:
            lines.append("      parameters:")
            for p in params:
                name, _, kind = p.partition(":")
                where = "path" if f"{{{name}}}" in path else "query"
                required = ", required: true" if where == "path" else ""
                lines.append(f"        - {{name: {name}, in: {where}{required}, schema: {{type: {kind.strip()}}}}}")
        lines += [
            "      responses:",
            "        '200':",
            "          description: ok",
        ]
        if extra:
            lines.append(textwrap.indent(textwrap.dedent(extra).strip(), "          "))
        lines += ["          content:", "            application/json:", f"              schema: {schema}"]
    lines += ["components:", "  schemas:", f"    Thing: {THING}"]
    return "\n".join(lines) + "\n"


def api_of(text: str, pagination: dict[str, Any] | None = None) -> Api:
    api, _ = build(loads(text, "t.yaml"), None, pagination)
    return api


def paging(text: str, pagination: dict[str, Any] | None = None) -> dict[str, Pagination | None]:
    return {op.path: op.pagination for op in api_of(text, pagination).operations()}


def listing(**fields: str) -> str:
    props = ", ".join(f"{k}: {v}" for k, v in fields.items())
    return f"{{type: object, properties: {{{props}}}}}"


ITEMS = "{type: array, items: {$ref: '#/components/schemas/Thing'}}"

OPENAI_LIKE = spec(
    {
        "/files": (
            ["after: string", "limit: integer", "purpose: string"],
            listing(object="{type: string}", data=ITEMS, has_more="{type: boolean}"),
            "",
        )
    }
)


def only(text: str, pagination: dict[str, Any] | None = None) -> Pagination:
    found = [p for p in paging(text, pagination).values() if p is not None]
    assert len(found) == 1, found
    return found[0]


def test_cursor_from_the_last_items_id_with_has_more() -> None:
    p = only(OPENAI_LIKE)
    assert (p.scheme, p.items, p.param, p.size_param, p.has_more, p.next, p.item_field) == (
        "cursor", ("data",), "after", "limit", ("has_more",), (), "id",
    )  # fmt: skip
    assert p.item_type == Ref("Thing")


def test_cursor_from_a_field_of_the_body() -> None:
    text = spec(
        {
            "/events": (
                ["pageToken: string", "pageSize: integer"],
                listing(events=ITEMS, nextPageToken="{type: string}"),
                "",
            )
        }
    )
    p = only(text)
    assert (p.scheme, p.items, p.param, p.size_param, p.next) == (
        "cursor", ("events",), "pageToken", "pageSize", ("nextPageToken",),
    )  # fmt: skip


def test_page_number() -> None:
    text = spec({"/articles": (["page: integer", "per_page: integer"], listing(items=ITEMS), "")})
    p = only(text)
    assert (p.scheme, p.items, p.param, p.size_param) == ("page", ("items",), "page", "per_page")


def test_offset_needs_a_page_size() -> None:
    text = spec({"/records": (["offset: integer", "limit: integer"], listing(results=ITEMS), "")})
    p = only(text)
    assert (p.scheme, p.items, p.param, p.size_param) == ("offset", ("results",), "offset", "limit")
    alone = spec({"/records": (["offset: integer"], listing(results=ITEMS), "")})
    assert paging(alone) == {"/records": None}


def test_next_url_in_the_body_nested() -> None:
    links = listing(pages=listing(next="{type: string, format: uri}"))
    text = spec({"/droplets": (["per_page: integer"], listing(droplets=ITEMS, links=links), "")})
    p = only(text)
    assert (p.scheme, p.items, p.next) == ("next_url", ("droplets",), ("links", "pages", "next"))


def test_link_header() -> None:
    text = spec(
        {
            "/repos": (
                ["per_page: integer", "page: integer"],
                ITEMS,
                "headers:\n  Link: {schema: {type: string}}",
            )
        }
    )
    p = only(text)
    assert (p.scheme, p.items, p.size_param) == ("link_header", (), "per_page")


def test_single_list_and_what_is_not_a_list() -> None:
    text = spec(
        {
            "/models": ([], listing(object="{type: string}", data=ITEMS), ""),
            "/models/{model}": (["model: string"], listing(data=ITEMS), ""),
            "/things/{id}": (["id: string"], "{$ref: '#/components/schemas/Thing'}", ""),
        }
    )
    found = paging(text)
    assert found["/models"] is not None and found["/models"].scheme == "single"
    assert found["/models/{model}"] is None  # an item's path, not a collection
    assert found["/things/{id}"] is None


def test_a_table_turns_it_off_by_operation_id_by_route_and_for_all() -> None:
    assert paging(OPENAI_LIKE, {"listFiles": "off"}) == {"/files": None}
    assert paging(OPENAI_LIKE, {"GET /files": "off"}) == {"/files": None}
    assert paging(OPENAI_LIKE, {"get /files": {"scheme": "off"}}) == {"/files": None}
    assert paging(OPENAI_LIKE, {"*": "off"}) == {"/files": None}
    # "*" off, one turned back on
    found = paging(OPENAI_LIKE, {"*": "off", "listFiles": "auto"})["/files"]
    assert found is not None and found.scheme == "cursor"


def test_a_table_chooses_the_scheme_and_its_fields() -> None:
    text = spec(
        {
            "/things": (
                ["from: string", "count: integer", "page: integer"],
                listing(payload=listing(rows=ITEMS), state=listing(more="{type: boolean}"), last="{type: string}"),
                "",
            )
        }
    )
    table = {
        "listThings": {
            "scheme": "cursor",
            "param": "from",
            "size-param": "count",
            "items": "payload.rows",
            "next": "last",
            "has-more": "state.more",
        }
    }
    p = only(text, table)
    assert (p.scheme, p.param, p.size_param, p.items, p.next, p.has_more) == (
        "cursor", "from", "count", ("payload", "rows"), ("last",), ("state", "more"),
    )  # fmt: skip
    as_pages = only(text, {"listThings": {"scheme": "page", "items": "payload.rows"}})
    assert (as_pages.scheme, as_pages.param) == ("page", "page")
    by_item = only(OPENAI_LIKE, {"listFiles": {"scheme": "cursor", "item-field": "name"}})
    assert by_item.item_field == "name"
    single = only(OPENAI_LIKE, {"listFiles": "single"})
    assert single.scheme == "single"


def build_error(text: str, table: dict[str, Any]) -> str:
    with pytest.raises(SpecError) as raised:
        api_of(text, table)
    return "\n".join(d.message for d in raised.value.diagnostics)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"listNothing": "cursor"}, "no operation has the operationId or route 'listNothing'"),
        ({"GET /nothing": "off"}, "no operation has the operationId or route 'GET /nothing'"),
        ({"listFiles": "page"}, "scheme 'page' needs a page number query parameter"),
        ({"listFiles": "offset"}, "scheme 'offset' needs an offset query parameter"),
        ({"listFiles": {"scheme": "cursor", "param": "before"}}, "'before' is not a query parameter"),
        ({"listFiles": {"scheme": "next_url"}}, "scheme 'next_url' needs the response's field"),
        ({"listFiles": {"items": "rows"}}, "the response has no list at 'rows'"),
        ({"listFiles": {"has-more": "more.than"}}, "the response has no field 'more.than'"),
        ({"listFiles": "sideways"}, "unknown scheme 'sideways'"),
        ({"listFiles": {"scheme": "cursor", "limit": "n"}}, "unknown key 'limit'"),
        ({"listFiles": {"scheme": 3}}, "every value must be a string"),
        ({"listFiles": 3}, "must be \"off\", \"auto\", a scheme"),
        ({"*": "cursor"}, "'*' (every operation) takes \"off\" or \"auto\""),
    ],
)
def test_a_table_that_does_not_fit_is_a_clear_error(table: dict[str, Any], message: str) -> None:
    assert message in build_error(OPENAI_LIKE, table)


def test_the_error_names_the_operation_and_its_place() -> None:
    with pytest.raises(SpecError) as raised:
        api_of(OPENAI_LIKE, {"listFiles": "page"})
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.message.startswith("pagination: GET /files: ")
    assert "(one of page, page_number, pagenumber)" in diagnostic.message
    assert diagnostic.location is not None and diagnostic.location.line > 1


def test_a_post_is_not_paged_unless_asked() -> None:
    text = OPENAI_LIKE.replace("    get:", "    post:")
    assert paging(text) == {"/files": None}
    assert only(text, {"listFiles": "cursor"}).scheme == "cursor"


def test_config_checks_the_table_before_any_spec_is_read() -> None:
    base = {"spec": "api.yaml", "target": "python", "out": "out"}
    job = job_from_mapping({**base, "pagination": {"listFiles": "off"}}, where="job 1")
    assert job.pagination == {"listFiles": "off"}
    with pytest.raises(ConfigError, match="job 1: pagination: 'x': unknown key 'nope'"):
        job_from_mapping({**base, "pagination": {"x": {"nope": "1"}}}, where="job 1")
    with pytest.raises(ConfigError, match="'pagination' must be a table"):
        job_from_mapping({**base, "pagination": "off"}, where="job 1")


def sdkgen(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def project(folder: Path, table: str) -> None:
    (folder / "api.yaml").write_text(OPENAI_LIKE, encoding="utf-8")
    (folder / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [[tool.sdkgen.jobs]]
            spec = "api.yaml"
            target = "python"
            out = "sdk"
            package-name = "files_sdk"
            """
        )
        + table,
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("table", "message", "code"),
    [
        (  # what does not fit the spec: an error of the spec's (exit 1), with file:line
            '[tool.sdkgen.jobs.pagination]\nlistFiles = "page"\n',
            "api.yaml:5:5: error: pagination: GET /files: scheme 'page' needs a page number query parameter",
            1,
        ),
        (
            '[tool.sdkgen.jobs.pagination]\nlistFilez = "cursor"\n',
            "no operation has the operationId or route 'listFilez'",
            1,
        ),
        (  # a table that is wrong in itself: a usage error (exit 2), before the spec is read
            "[tool.sdkgen.jobs.pagination]\nlistFiles = { scheme = \"cursor\", cursor = \"after\" }\n",
            "pyproject.toml: tool.sdkgen.jobs[0]: pagination: 'listFiles': unknown key 'cursor'",
            2,
        ),
    ],
)
def test_sdkgen_generate_refuses_a_table_that_does_not_fit(
    tmp_path: Path, table: str, message: str, code: int
) -> None:
    project(tmp_path, table)
    result = sdkgen(tmp_path)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "sdk").exists()


def test_sdkgen_generate_with_pagination_off(tmp_path: Path) -> None:
    project(tmp_path, '[tool.sdkgen.jobs.pagination]\n"*" = "off"\n')
    result = sdkgen(tmp_path, "-q")
    assert result.returncode == 0, result.stderr
    files = (tmp_path / "sdk" / "files_sdk" / "resources" / "files.py").read_text(encoding="utf-8")
    assert "SyncCursorPage" not in files and "-> ListFilesResponse:" in files
    project(tmp_path, "")
    assert sdkgen(tmp_path, "-q").returncode == 0
    files = (tmp_path / "sdk" / "files_sdk" / "resources" / "files.py").read_text(encoding="utf-8")
    assert "-> SyncCursorPage[Thing]:" in files


