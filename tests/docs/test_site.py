"""The HTML reference (`--target site`): every page and asset there, links that resolve, spec text that
cannot inject markup, links into the API owner's site made absolute with `docs-base-url` or left as text."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.escape import site_links
from generator.markdown import html_filters
from tests.support.links import broken_links

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "generated" / "site"

HOSTILE = """openapi: 3.1.0
info:
  title: "Evil </title><script>alert(1)</script>"
  version: "1"
  description: "Read [the guide](/docs/guides/x), [the keys](../admin-keys) and [home](https://example.com/h)."
servers: [{url: "https://api.example.com/v1"}]
paths:
  /things:
    get:
      operationId: listThings
      summary: "List <b>things</b> **now**"
      description: "<script>alert('op')</script> [js](javascript:alert(1)) and <img src=x onerror=alert(2)>"
      parameters:
        - name: "q\\"><script>alert(3)</script>"
          in: query
          description: "# a heading\\n\\n<iframe src=x></iframe> `code` and [guide](/docs/q)"
          schema: {type: string}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      description: "A </code></pre> thing <style>body{display:none}</style>"
      properties:
        name: {type: string, description: "<a href='javascript:x'>name</a>"}
"""


def _generate(tmp_path: Path, spec: str, *extra: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "api.yaml").write_text(spec)
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(tmp_path / "api.yaml"), "--target", "site",
         "--out", str(tmp_path / "site"), "--package-name", "things", *extra],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip


def test_the_fragment_site_has_every_page_and_its_assets() -> None:
    names = {str(p.relative_to(SITE)) for p in SITE.rglob("*") if p.is_file() and p.name[0] != "."}
    assert {"index.html", "images/create_variation.html", "schemas/ImagesResponse.html"} <= names
    assert {"site.css", "site.js", "site-data.js"} <= names
    page = (SITE / "images" / "create_variation.html").read_text()
    for label in ("curl", "Python", "TypeScript", "CLI", "Perl"):
        assert f'data-lang="{label}"' in page
    assert "client.images.createVariation(params: ImageCreateVariationParams" in page
    assert "openai images create-variation --image FILE" in page
    assert "$client-&gt;create_image_variation({ body =&gt; { image =&gt; ..." in page  # the sub, by name
    assert '<tr id="param-n">' in page and "minimum 1; maximum 10" in page
    assert '<details class="node" open>' in page  # the returns tree, collapsible
    assert "http://" not in page.replace("http://www.w3.org", "") and "//cdn" not in page


def test_the_fragment_site_links_resolve() -> None:
    assert broken_links(SITE) == []


def test_the_search_index_holds_operations_schemas_and_parameters() -> None:
    text = (SITE / "site-data.js").read_text()
    data = json.loads(text[text.index("=") + 1 :].strip().rstrip(";"))
    kinds = {entry[0] for entry in data["search"]}
    assert kinds == {"operation", "schema", "parameter"}
    assert ["operation", "Create image variation"] == data["search"][6][:2]
    for entry in data["search"]:
        href = entry[3].split("#")[0]
        assert (SITE / href).is_file(), entry
    assert data["nav"] == [{"name": "Images", "methods": [["Create image variation", "images/create_variation.html"]]}]


def test_spec_text_cannot_inject_markup(tmp_path: Path) -> None:
    result = _generate(tmp_path, HOSTILE)
    assert result.returncode == 0, result.stderr
    for page in (tmp_path / "site").rglob("*.html"):
        text = page.read_text()
        for tag in ("<script>alert", "<img", "<iframe", "<style>", "<b>", 'href="javascript:', "<a href='"):
            assert tag not in text, (page, tag)
        assert text.count("</title>") == 1 and text.count("<script") == 2  # our two scripts
    op = (tmp_path / "site" / "things" / "retrieve.html").read_text()
    assert "&lt;script&gt;alert('op')&lt;/script&gt;" in op
    assert "<h4>a heading</h4>" in op  # a description's heading stands below the page's own
    assert broken_links(tmp_path / "site") == []


def test_links_into_the_owners_site_are_text_with_one_warning(tmp_path: Path) -> None:
    result = _generate(tmp_path, HOSTILE, "-v")
    assert result.returncode == 0, result.stderr
    assert len(re.findall(r"links in descriptions lead into the API owner's site", result.stderr)) == 1
    index = (tmp_path / "site" / "index.html").read_text()
    assert "Read the guide, the keys and <a href=\"https://example.com/h\">home</a>." in index


def test_docs_base_url_makes_root_links_absolute(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(HOSTILE)
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.sdkgen.jobs]]\nspec = "api.yaml"\ntarget = "site"\nout = "site"\npackage-name = "things"\n'
        'options = { docs-base-url = "https://docs.example.com/" }\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--config", str(tmp_path / "pyproject.toml"), "-v"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "site" / "index.html").read_text()
    assert '<a href="https://docs.example.com/docs/guides/x">the guide</a>, the keys and' in index
    assert "1 links in descriptions lead" in result.stderr  # `../admin-keys`: its page is unknown


def test_docs_base_url_flag_on_the_command_line(tmp_path: Path) -> None:
    result = _generate(tmp_path, HOSTILE, "--docs-base-url", "https://docs.example.com")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "site" / "index.html").read_text()
    assert '<a href="https://docs.example.com/docs/guides/x">the guide</a>, the keys and' in index


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [
        ("[a](/docs/x) [b](https://y.z/w) [c](#frag)", "", "a [b](https://y.z/w) c"),
        ("[a](/docs/x)", "https://h.io/", "[a](https://h.io/docs/x)"),
        ("[a](//cdn.x/y) [b](mailto:q@x.y)", "", "[a](//cdn.x/y) [b](mailto:q@x.y)"),
        ("no links", "", "no links"),
    ],
)
def test_site_links(text: str, base: str, expected: str) -> None:
    assert site_links(text, base) == expected


def test_markdown_renders_with_raw_html_escaped() -> None:
    filters = html_filters("")
    assert filters["md_html"]("**b** <i>x</i>") == "<p><strong>b</strong> &lt;i&gt;x&lt;/i&gt;</p>"
    assert filters["md_inline_html"]("`c` [g](/docs/g)\n\nsecond") == "<code>c</code> g"
