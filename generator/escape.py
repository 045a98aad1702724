"""Escaping for contexts shared by several targets (Markdown).

Spec text is Markdown by intent (descriptions use backticks and links), so descriptions keep their inline
markup; what they cannot do is change the page's structure: no raw HTML, no headings, no code fences, no
lines that escape the list item they stand in.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Callable

__all__ = [
    "count_site_links",
    "md_anchor",
    "md_block",
    "md_code",
    "md_inline",
    "md_text",
    "plain_text",
    "site_link_filters",
    "site_links",
]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+|!~])")
_RULE = re.compile(r"(?:[=\-*_] *){2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def md_text(text: str) -> str:
    """Spec text as one line of literal Markdown: no markup, no HTML, no line breaks."""
    one_line = " ".join(_CONTROL.sub(" ", str(text)).split())
    return _MD_SPECIAL.sub(r"\\\1", one_line)


def md_code(text: str) -> str:
    """An inline code span holding `text` literally, whatever backticks it contains."""
    return _md_code(str(text))


# the same field docs and type names stand on many pages: each text is escaped once (the cache is bounded)
@functools.lru_cache(maxsize=8192)
def _md_code(text: str) -> str:
    text = " ".join(_CONTROL.sub(" ", text).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_block(text: str, indent: str = "") -> str:
    """A description as Markdown paragraphs indented by `indent` (to stay inside a list item).

    Inline markup, links and lists are kept; raw HTML, headings, setext underlines, thematic breaks and code
    fences are escaped, so the page's structure (its headings, its fences) stays ours.
    """
    return _md_block(str(text), indent)


@functools.lru_cache(maxsize=8192)
def _md_block(text: str, indent: str) -> str:
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).replace("\t", "    ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("```", "\\`\\`\\`").replace("~~~", "\\~\\~\\~")
    paragraphs: list[str] = []
    for paragraph in re.split(r"\n[ \t]*\n", textwrap.dedent(text).strip("\n")):
        lines = []
        for line in textwrap.dedent(paragraph).split("\n"):
            line = line.rstrip()
            stripped = line.lstrip()
            lead = line[: len(line) - len(stripped)]
            if stripped.startswith("#") or _RULE.fullmatch(stripped):
                stripped = "\\" + stripped
            if stripped:
                lines.append(indent + lead + stripped)
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def md_inline(text: str) -> str:
    """A description's first paragraph as one line of Markdown, its inline markup kept (`code`, **strong**,
    links), escaped as `md_block` escapes (no raw HTML, headings or fences)."""
    return " ".join(_md_block(str(text).strip().split("\n\n")[0], "").split())


# `[text](url)`: a link whose URL has no scheme leads into the API owner's own site (`/docs/x`, `../x`, `#x`)
_LINK_PARTS = re.compile(r"(!?)\[([^\]]*)\]\(\s*([^)\s]*)([^)]*)\)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:|//")


def count_site_links(text: str, base_url: str = "") -> int:
    """How many links in `text` `site_links` leaves as text (with `base_url`: only those not from the
    site's root, `../x` or `#x`, whose page on the owner's site is unknown)."""
    if "](" not in text:
        return 0
    return sum(1 for m in _LINK_PARTS.finditer(text) if _site_link(m.group(3), base_url) is None)


def _site_link(url: str, base_url: str) -> str | None:
    """The URL a link keeps (absolute, or from the site's root made absolute on `base_url`); None: text."""
    if _SCHEME.match(url):
        return url
    if url.startswith("/") and base_url:
        return base_url.rstrip("/") + url
    return None


def site_links(text: str, base_url: str = "") -> str:
    """Markdown whose links into the API owner's site point at `base_url` (`https://x.y` + `/docs/...`), or
    are left as their text: outside their owner's site they lead nowhere."""
    if "](" not in text:
        return text

    def fix(match: re.Match[str]) -> str:
        bang, label, url, rest = match.groups()
        kept = _site_link(url, base_url)
        return label if kept is None else f"{bang}[{label}]({kept}{rest})"

    return _LINK_PARTS.sub(fix, text)


@functools.lru_cache(maxsize=16)
def site_link_filters(base_url: str) -> dict[str, Callable[..., str]]:
    """`md_block` and `md_inline` with `site_links` applied first (one function per base, so that Jinja
    environments keyed by their filters are shared)."""

    def block(text: str, indent: str = "") -> str:
        return md_block(site_links(str(text), base_url), indent)

    def inline(text: str) -> str:
        return md_inline(site_links(str(text), base_url))

    return {"md_block": block, "md_inline": inline}


def md_anchor(heading: str) -> str:
    """The anchor GitHub-style renderers give a heading."""
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*([^)\s]*)[^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)([^*]+?)\*(?![\w*])")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def plain_text(text: str, *, keep_code: bool = False) -> str:
    """Markdown as plain text, for a terminal or POD: `code` and **strong** lose their marks, a link
    keeps its text and an absolute URL (`[Learn more](https://x.y)` -> "Learn more (https://x.y)"; a
    site-relative one leads nowhere outside the API owner's site and is dropped), headings their `#`s,
    HTML its tags. With `keep_code` (docstrings, where backticks read well) code spans keep their marks;
    nothing inside a code span is ever changed."""
    text = str(text)
    if not _MARKUP.search(text):
        return _CONTROL.sub(" ", text)
    text = _LINK.sub(_link_text, text)  # first: a link's text may hold code
    out: list[str] = []
    end = 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_plain(text[end : span.start()]))
        out.append(span.group(0) if keep_code else span.group(2).strip())
        end = span.end()
    out.append(_plain(text[end:]))
    return _CONTROL.sub(" ", "".join(out))


_MARKUP = re.compile(r"[`*_\[<#]")


def _link_text(match: re.Match[str]) -> str:
    label, url = match.group(1).strip(), match.group(2)
    if url.startswith(("http://", "https://")):
        return f"{label} ({url})" if label and label != url else url
    return label


def _plain(text: str) -> str:
    out = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    out = _HTML_TAG.sub("", out)
    return _HEADING.sub("", out)
