"""Escaping for contexts shared by several targets (Markdown)."""

from __future__ import annotations

import re

__all__ = ["md_text"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+|!~])")


def md_text(text: str) -> str:
    """Spec text as one line of literal Markdown: no markup, no HTML, no line breaks."""
    one_line = " ".join(str(text).replace("\x00", "").split())
    return _MD_SPECIAL.sub(r"\\\1", one_line)
