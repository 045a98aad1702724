"""Spec text in POD: no commands, no formatting codes, no verbatim blocks of its own."""

from __future__ import annotations

import pytest

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
