"""Spec descriptions (Markdown by intent) as HTML, for the site: rendered by markdown-it-py (CommonMark,
tables, strikethrough), raw HTML from the spec escaped, never run.

A description cannot change the page's structure: its headings stand three levels down (below the page's
own), and links the spec writes relative to its owner's site are made absolute or left as text
(`escape.site_links`). markdown-it refuses `javascript:`, `vbscript:`, `file:` and `data:` links itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .escape import site_links

__all__ = ["html_filters"]

_SHIFT = 3  # a description's `#` is the page's <h4>


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

    def demote(state: object) -> None:
        for token in getattr(state, "tokens", []):
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1]) + _SHIFT)}"

    md.core.ruler.push("demote_headings", demote)
    return md


_MD = _parser()


@functools.lru_cache(maxsize=16384)
def _block(text: str, base_url: str) -> str:
    return str(_MD.render(site_links(text, base_url))).strip()


@functools.lru_cache(maxsize=16384)
def _inline(text: str, base_url: str) -> str:
    first = text.strip().split("\n\n")[0]
    tokens: list[Token] = _MD.parseInline(site_links(first, base_url))
    return str(_MD.renderer.render(tokens, _MD.options, {})).strip()


@functools.lru_cache(maxsize=16)
def html_filters(base_url: str) -> dict[str, Callable[[str], str]]:
    """`md_html` (a description as HTML blocks) and `md_inline_html` (its first paragraph as inline HTML),
    their site-relative links made absolute on `base_url` or left as text. One pair per base, so that Jinja
    environments keyed by their filters are shared."""

    def block(text: str) -> str:
        return _block(str(text), base_url)

    def inline(text: str) -> str:
        return _inline(str(text), base_url)

    return {"md_html": block, "md_inline_html": inline}
