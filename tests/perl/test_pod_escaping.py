"""Spec text in POD: no commands, no formatting codes, no verbatim blocks of its own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.targets.base import Job
from generator.targets.perl import perl_str, pod_text


@pytest.mark.parametrize(
    ("text", "pod"),
    [
        ("a < b > c", "a E<lt> b E<gt> c"),
        ("<script>", "E<lt>scriptE<gt>"),
        ("B<bold> and C<code>", "BE<lt>boldE<gt> and CE<lt>codeE<gt>"),
        ("=cut\nmore", "Z<>=cut more"),
        ("one\n\n  =head1 x", "one\n\nZ<>=head1 x"),
        ("    indented", "indented"),
        ("tab\there\x00", "tab here"),
    ],
)
def test_pod_text(text: str, pod: str) -> None:
    assert pod_text(text) == pod


@pytest.mark.parametrize(("text", "literal"), [("it's", "'it\\'s'"), ("a\\b", "'a\\\\b'"), ("$x @y", "'$x @y'")])
def test_perl_single_quoted_strings(text: str, literal: str) -> None:
    assert perl_str(text) == literal


@pytest.mark.parametrize(
    ("markdown", "pod"),
    [
        ("Use `a<b` and **bold** *it*", "Use C<aE<lt>b> and B<bold> I<it>"),
        ("[Learn more](https://x.y/z#q).", "L<Learn more|https://x.y/z#q>."),
        ("[annotated with `x`](https://x.y/a)", "L<annotated with C<x>|https://x.y/a>"),
        ("[a/b](https://x.y)", "a/b (L<https://x.y>)"),
        ("[guide](/docs/guides/x) and [k](../keys)", "guide and k"),
        ("`**not bold**`", "C<**not bold**>"),
    ],
)
def test_markdown_becomes_pod_formatting_codes(markdown: str, pod: str) -> None:
    assert pod_text(markdown) == pod


def test_a_path_page_lists_each_schema_its_operations_reach_once(tmp_path: Path) -> None:
    """Two operations of one path reaching the same schemas: the page's SCHEMAS section has each once, in
    alphabetical order (it had a copy for each operation)."""
    pet = {"type": "object", "properties": {"name": {"type": "string"}, "owner": {"$ref": "#/components/schemas/Owner"}}}
    owner = {"type": "object", "properties": {"id": {"type": "string"}}}
    ref = {"$ref": "#/components/schemas/Pet"}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": ref}}}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {"operationId": "getPet", "responses": ok},
                "post": {
                    "operationId": "updatePet",
                    "requestBody": {"content": {"application/json": {"schema": ref}}},
                    "responses": ok,
                },
            }
        },
        "components": {"schemas": {"Pet": pet, "Owner": owner}},
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    files = generate(Job(spec=str(path), target="perl", out=str(tmp_path / "out"))).files
    (page,) = [text for name, text in files.items() if name.endswith("pets-id.pod")]
    schemas = page.split("=head1 SCHEMAS", 1)[1]
    assert re.findall(r"(?m)^=head2 (\w+)$", schemas) == ["Owner", "Pet"]
    assert page.count("=head2 C<GET /pets/{id}>") == 1 and page.count("=head2 C<POST /pets/{id}>") == 1
