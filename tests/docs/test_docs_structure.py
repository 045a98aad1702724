"""The generated Markdown reference: well-formed pages, links that resolve, seed 000's response example."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from generator.escape import md_anchor

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "generated" / "docs"
SEED_000 = ROOT.parent / "shared" / "seeds" / "000_03c5d3164ff78ff5.txt"
PAGES = sorted(DOCS.rglob("*.md"))
MD = MarkdownIt("commonmark")


def test_there_are_pages() -> None:
    names = {str(p.relative_to(DOCS)) for p in PAGES}
    assert {"README.md", "images/create_variation.md", "schemas/ImagesResponse.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_headings_nest_and_fences_close(page: Path) -> None:
    text = page.read_text()
    tokens = MD.parse(text)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"heading level jumps from {before} to {after}"
    lines = text.split("\n")
    for t in tokens:
        if t.type == "fence":
            assert t.map is not None
            closing = lines[t.map[1] - 1].strip()
            assert closing.startswith(t.markup) and set(closing) == {t.markup[0]}, (
                f"unclosed fence at {t.map}"
            )
    html = [t.content for t in tokens if t.type == "html_block"]
    html += [c.content for t in tokens if t.children for c in t.children if c.type == "html_inline"]
    assert html == [lines[0] + "\n"], f"raw HTML besides the header comment: {html}"


def _links(text: str) -> list[str]:
    out: list[str] = []

    def walk(tokens: list[Any]) -> None:
        for t in tokens:
            if t.type == "link_open":
                out.append(t.attrGet("href"))
            if t.children:
                walk(t.children)

    walk(MD.parse(text))
    return out


def _anchors(page: Path) -> set[str]:
    tokens = MD.parse(page.read_text())
    return {md_anchor(tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"}


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_relative_links_and_anchors_resolve(page: Path) -> None:
    for href in _links(page.read_text()):
        if re.match(r"^[a-z]+:", href):
            continue  # an absolute URL from the spec
        target, _, anchor = href.partition("#")
        resolved = (page.parent / target).resolve() if target else page
        assert resolved.is_file(), f"{page.relative_to(DOCS)} links to missing {href}"
        if anchor:
            assert anchor in _anchors(resolved), f"{href}: no heading with that anchor"


def test_every_schema_and_operation_is_linked_from_the_index() -> None:
    linked = {(DOCS / href).resolve() for href in _links((DOCS / "README.md").read_text())}
    for page in PAGES:
        if page.name != "README.md":
            assert page.resolve() in linked, f"{page.relative_to(DOCS)} is not linked from the index"


def _json_after(text: str, marker: str) -> Any:
    start = text.index("{", text.index(marker))
    decoder = json.JSONDecoder(object_pairs_hook=lambda pairs: pairs)
    value, _ = decoder.raw_decode(text[start:])
    return value


def test_response_example_equals_seed_000_key_order_included() -> None:
    if not SEED_000.exists():
        pytest.skip(f"the seed pages are not beside the project ({SEED_000})")
    seed = _json_after(SEED_000.read_text(), "\nResponse\n")
    page = (DOCS / "images" / "create_variation.md").read_text()
    ours = _json_after(page, "## Response example")
    assert ours == seed


def test_returns_tree_summaries_read_like_the_seed() -> None:
    page = (DOCS / "images" / "create_variation.md").read_text()
    for line in (
        "- `ImagesResponse = object { created, background, data, 4 more }`",
        "  - `data: optional array of Image`",
        "  - `usage: optional object { input_tokens, input_tokens_details, output_tokens, 2 more }`",
        "    - `input_tokens_details: object { image_tokens, text_tokens }`",
        '- `response_format: optional "url" or "b64_json"`',
        "- `n: optional number`",
    ):
        assert line in page, line
    assert "minimum 1; maximum 10; default `1`" in page
