"""The benches' one way of keeping their figures in bench/RESULTS.md: each in a section of its own."""

from __future__ import annotations

from pathlib import Path


def write_section(results: Path, name: str, body: str) -> None:
    """Put `body` between `<!-- NAME: begin -->` and `<!-- NAME: end -->` in `results`, in place of what
    stood there, or at the end when the file has no such section yet."""
    begin, end = f"<!-- {name}: begin -->", f"<!-- {name}: end -->"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmarks\n"
    block = f"{begin}\n{body}{end}"
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    results.write_text(text, encoding="utf-8")
