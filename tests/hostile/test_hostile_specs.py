"""Hostile but valid specs generate code that compiles and runs none of the spec's text.

Hypothesis builds specs whose names and texts (title, descriptions, summaries, schema, property, parameter,
tag and operation names, enum values, defaults, examples, server URLs) come from an alphabet of quotes,
backslashes, docstring and comment terminators, newlines, NUL, `${...}`, backticks, HTML and non-ASCII.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator.pipeline import generate
from generator.targets.base import Job
from generator.write import write
from tests.typescript.support import TSC

PAYLOAD_MARK = "sdkgen-pwned"
NASTY = [
    '"""',
    "'''",
    '"',
    "'",
    "\\",
    "\\n",
    "*/",
    "/*",
    "=cut",
    "#",
    "\n",
    "\r\n",
    "\x00",
    "${HOME}",
    "`id`",
    "<script>alert(1)</script>",
    "{{ x }}",
    "{% raw %}",
    "é",
    "日本",
    "\u2028",
    "-->",
    "```",
    "%s",
    "__import__",
    f"__import__('pathlib').Path('{PAYLOAD_MARK}').touch()",
    "\t",
    "    ",
    "0",
    "class",
    "None",
    "True",
]
text = st.lists(st.sampled_from(NASTY) | st.text(max_size=3), min_size=1, max_size=6).map("".join)
name = st.lists(
    st.sampled_from(NASTY) | st.text(alphabet="abcXYZ_-09 .$", max_size=4), min_size=1, max_size=4
).map("".join)


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    schema_names = draw(st.lists(name, min_size=1, max_size=3, unique=True))
    schemas: dict[str, Any] = {}
    for schema_name in schema_names:
        props = draw(st.lists(name, min_size=1, max_size=4, unique=True))
        enum_values = draw(st.lists(text, min_size=1, max_size=3, unique=True))
        schemas[schema_name] = {
            "type": "object",
            "description": draw(text),
            "properties": {
                **{
                    p: {
                        "type": "string",
                        "description": draw(text),
                        "default": draw(text),
                        "example": draw(text),
                    }
                    for p in props
                },
                draw(name) + "_e": {"type": "string", "enum": enum_values, "description": draw(text)},
            },
            "required": props[:1],
        }
    tag = draw(name)
    op_id = draw(name)
    param = draw(name)
    return {
        "openapi": "3.1.0",
        "info": {"title": draw(text), "version": draw(text), "description": draw(text)},
        "servers": [{"url": "https://example.com/" + draw(text)}],
        "tags": [{"name": tag, "description": draw(text)}],
        "paths": {
            "/things/{id}": {
                "post": {
                    "operationId": op_id,
                    "tags": [tag],
                    "summary": draw(text),
                    "description": draw(text),
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {
                            "name": param,
                            "in": "query",
                            "description": draw(text),
                            "schema": {"type": "string", "enum": [draw(text)]},
                        },
                        {"name": param + "h", "in": "header", "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "$ref": f"#/components/schemas/{schema_names[0].replace('~', '~0').replace('/', '~1')}"
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": draw(text),
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": f"#/components/schemas/{schema_names[-1].replace('~', '~0').replace('/', '~1')}"
                                    }
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }


def inside(root: Path) -> None:
    for path in root.rglob("*"):
        assert path.resolve().is_relative_to(root.resolve()), path


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the examples: the standard library's and httpx2's stubs are read once, each
    example's package (new files in a new folder) is checked anew."""
    return tmp_path_factory.mktemp("mypy-cache")


@settings(
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: CI time stays bounded
    derandomize=bool(os.environ.get("CI")),  # CI runs a fixed set of examples; by hand, new ones each time
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec=specs())
def test_hostile_spec_gives_safe_python_and_docs(
    spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, mypy_cache: Path
) -> None:
    work = tmp_path_factory.mktemp("hostile")
    spec_file = work / "spec.json"
    spec_file.write_text(json.dumps(spec))
    out = work / "out"
    python = generate(Job(spec=str(spec_file), target="python", out=str(out / "py"), package_name="hostile"))
    write(out / "py", python.files)
    docs = generate(Job(spec=str(spec_file), target="docs", out=str(out / "docs"), package_name="hostile"))
    write(out / "docs", docs.files)
    inside(out)

    # compile and import every module in a fresh interpreter, in an empty folder: no side effects
    run_dir = work / "run"
    run_dir.mkdir()
    code = (
        "import importlib, pkgutil, hostile\n"
        "for m in pkgutil.walk_packages(hostile.__path__, 'hostile.'):\n"
        "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
        "from hostile._cli import build_parser\n"
        "build_parser().format_help()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(out / "py")}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=run_dir, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert not any(run_dir.iterdir()) and not (Path.cwd() / PAYLOAD_MARK).exists()
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), "-p", "hostile"],
        cwd=out / "py",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert typed.returncode == 0, typed.stdout

    if shutil.which("perl"):  # the Perl module compiles and its POD is clean
        perl = generate(
            Job(spec=str(spec_file), target="perl", out=str(out / "pl"), package_name="Hostile::Api")
        )
        write(out / "pl", perl.files)
        inside(out)
        compiled = subprocess.run(
            ["perl", "-Ilib", "-c", "lib/Hostile/Api.pm"],
            cwd=out / "pl",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert compiled.returncode == 0, compiled.stderr
        pods = [str(p) for p in (out / "pl" / "lib").rglob("*.p[mo]d")]
        if shutil.which("podchecker"):
            checked = subprocess.run(["podchecker", *pods], capture_output=True, text=True, timeout=60)
            assert checked.returncode == 0 and "WARNING" not in checked.stderr, checked.stderr

    if shutil.which("node") and TSC.exists():  # the TypeScript SDK compiles strict and imports cleanly
        ts = generate(
            Job(spec=str(spec_file), target="typescript", out=str(out / "ts"), package_name="hostile")
        )
        write(out / "ts", ts.files)
        inside(out)
        assert json.loads((out / "ts" / "package.json").read_text())["name"] == "hostile"
        built = subprocess.run(
            [str(TSC), "-p", str(out / "ts" / "tsconfig.json")], capture_output=True, text=True, timeout=300
        )
        assert built.returncode == 0, built.stdout
        ts_run = work / "ts-run"
        ts_run.mkdir()
        imported = subprocess.run(
            [
                "node",
                "-e",
                f"import({json.dumps((out / 'ts' / 'dist' / 'index.js').as_uri())})"
                ".then(m => { new m.default({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' }); })",
            ],
            cwd=ts_run,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert imported.returncode == 0, imported.stderr
        assert not any(ts_run.iterdir())

    metadata = tomllib.loads((out / "py" / "pyproject.toml").read_text())
    assert metadata["project"]["description"] == "Python client for the " + " ".join(
        spec["info"]["title"].split()
    )

    md = MarkdownIt("commonmark")
    for page in (out / "docs").rglob("*.md"):
        tokens = md.parse(page.read_text())
        headings = [t for t in tokens if t.type == "heading_open"]
        assert headings and headings[0].tag == "h1" and sum(t.tag == "h1" for t in headings) == 1, page
        assert not [t for t in tokens if t.type == "html_block"][1:], f"raw HTML in {page}"
