"""Markdown as each plain-text target reads it: the CLI's help and POD (no marks), Python docstrings
(code spans kept, as the official SDK keeps them)."""

from __future__ import annotations

import ast

import pytest

from generator.escape import plain_text
from generator.targets.python import py_docstring

CASES = [
    # (Markdown, as plain text, as a docstring's text)
    ("See [the guide](https://x.y/g).", "See the guide (https://x.y/g).", "See the guide (https://x.y/g)."),
    ("A [model](/docs/models) id.", "A model id.", "A model id."),
    ("[`gpt-4o`](/docs/models) is **fast**", "gpt-4o is fast", "`gpt-4o` is fast"),
    ("Use `a**b*c*` or *this*.", "Use a**b*c* or this.", "Use `a**b*c*` or this."),
    ("Line<br/>break", "Linebreak", "Linebreak"),
    ("## Notes\nsnake_case_name stays", "Notes\nsnake_case_name stays", "Notes\nsnake_case_name stays"),
    ("Plain text, 2 * 3 = 6.", "Plain text, 2 * 3 = 6.", "Plain text, 2 * 3 = 6."),
    ("<|endoftext|> is kept", "<|endoftext|> is kept", "<|endoftext|> is kept"),
]


@pytest.mark.parametrize(("markdown", "plain", "doc"), CASES)
def test_plain_text(markdown: str, plain: str, doc: str) -> None:
    assert plain_text(markdown) == plain
    assert plain_text(markdown, keep_code=True) == doc
    assert plain_text(doc, keep_code=True) == doc  # a docstring's text converted twice is the same


@pytest.mark.parametrize(("markdown", "plain", "doc"), CASES)
def test_python_docstrings_read_as_plain_text_with_code(markdown: str, plain: str, doc: str) -> None:
    source = f'def f() -> None:\n    """{py_docstring(markdown, "    ")}"""\n'
    assert ast.get_docstring(ast.parse(source).body[0]) == doc  # type: ignore[arg-type]


def test_a_docstring_that_is_only_markup_keeps_it() -> None:
    source = f'x = """{py_docstring("<br/>")}"""\n'
    assert ast.literal_eval(source.partition("= ")[2]) == "<br/>"
