"""A link checker for generated references: every relative link in the Markdown docs and the HTML site
must lead to a file that exists (and, in HTML, to an element with the fragment's id)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["broken_links", "links_of"]

# `[text](target)` and `![alt](target)`, not inside code spans or fences (removed first)
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif (tag, name) in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
                self.links.append(value)


def _html(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def links_of(path: Path) -> list[str]:
    """The link targets a Markdown or HTML file holds, as written."""
    if path.suffix == ".html":
        return _html(path).links
    text = _CODE_SPAN.sub("", _FENCE.sub("", path.read_text(encoding="utf-8")))
    return [m.group(1) for m in _MD_LINK.finditer(text)]


def broken_links(folder: Path) -> list[str]:
    """`page: link` for every relative link under `folder` whose file (or HTML fragment) is missing;
    absolute URLs (`https:`, `mailto:`) are outside what a generator can check and are left alone."""
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    for page in sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".html")):
        for link in links_of(page):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
            if not parts.path and not parts.fragment:
                broken.append(f"{page.relative_to(folder)}: {link!r} (empty)")
            elif not target.is_file():
                broken.append(f"{page.relative_to(folder)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = _html(target).ids
                if unquote(parts.fragment) not in ids[target]:
                    broken.append(f"{page.relative_to(folder)}: {link} (no such id)")
    return broken
