"""Small specs of our own, one per kind of change, with the report each SDK's user gets (golden).

`tests/changes/cases/<kind>/old.yaml` and `new.yaml`; the expected reports in `golden/<target>.md`,
rewritten by `SDKGEN_UPDATE_GOLDEN=1 python -m pytest tests/changes` like the other goldens."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from generator.changes import SDK_TARGETS, changes, markdown, read
from generator.targets.base import Job

CASES = Path(__file__).parent / "cases"
KINDS = sorted(p.name for p in CASES.iterdir() if (p / "new.yaml").is_file())
UPDATE = bool(os.environ.get("SDKGEN_UPDATE_GOLDEN"))


def report_of(kind: str, target: str) -> str:
    job = Job("new.yaml", target, "", root=str(CASES / kind))
    return markdown(changes(read(replace(job, spec="old.yaml")), read(job), job, "old.yaml"))


@pytest.mark.parametrize("target", SDK_TARGETS)
@pytest.mark.parametrize("kind", KINDS)
def test_report(kind: str, target: str) -> None:
    got = report_of(kind, target)
    golden = CASES / kind / "golden" / f"{target}.md"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.is_file(), f"no golden: run SDKGEN_UPDATE_GOLDEN=1 python -m pytest {__file__}"
    assert got == golden.read_text(encoding="utf-8"), (
        f"{kind} ({target}) differs from its golden; if the new report is right:"
        f" SDKGEN_UPDATE_GOLDEN=1 python -m pytest {__file__}"
    )


@pytest.mark.parametrize("target", SDK_TARGETS)
def test_base_against_itself(target: str) -> None:
    job = Job("base.yaml", target, "", root=str(CASES))
    assert changes(read(job), read(job), job, "base.yaml").changes == ()


# what each kind must say, whatever the wording: (target, breaking) for every target the change reaches
BREAKING = {
    "deprecated": {"python": False, "typescript": False, "perl": False},
    "enum-value-added": {"python": False, "typescript": False, "perl": False},
    "enum-value-hostile": {"python": False, "typescript": False, "perl": False},
    "enum-value-removed": {"python": True, "typescript": True, "perl": True},
    "field-made-nullable": {"python": True, "typescript": True, "perl": False},
    "field-removed": {"python": True, "typescript": True, "perl": True},
    "method-renamed": {"perl": True},  # Python and TypeScript name methods by their REST shape
    "pagination": {"python": True, "typescript": True, "perl": True},
    "param-added": {"python": True, "typescript": True, "perl": True},
    "param-made-required": {"python": True, "typescript": True, "perl": True},
    "param-removed": {"python": True, "typescript": True, "perl": True},
    "param-retyped": {"python": True, "typescript": True, "perl": True},
    "request-field-made-required": {"python": True, "typescript": True, "perl": True},
    "resource-added": {"python": False, "typescript": False, "perl": False},
    "resource-removed": {"python": True, "typescript": True, "perl": True},
    "streaming": {"python": True, "typescript": True, "perl": True},
    "union-member-added": {"python": True, "typescript": True, "perl": True},
    "union-member-removed": {"python": False, "typescript": False, "perl": False},
}


def test_every_kind_is_classified() -> None:
    assert sorted(BREAKING) == KINDS
    for kind, expected in BREAKING.items():
        for target in SDK_TARGETS:
            job = Job("new.yaml", target, "", root=str(CASES / kind))
            r = changes(read(replace(job, spec="old.yaml")), read(job), job, "old.yaml")
            if target not in expected:
                assert r.changes == (), (kind, target)
                continue
            assert r.changes, (kind, target)
            assert r.breaking == expected[target], (kind, target, r.changes)


HOSTILE = ["back`tick", "``two", "ends with`", "<img src=x onerror=alert(1)> *em* [a](http://x) | # h"]


@pytest.mark.parametrize("target", SDK_TARGETS)
def test_spec_text_in_code_spans_stays_literal(target: str) -> None:
    """Enum values with backticks, HTML and Markdown: each comes out of a CommonMark parser as one code
    span holding exactly the value, and nothing else on the page is markup; the text format shows them
    as they are."""
    import json

    from markdown_it import MarkdownIt

    from generator.changes import render

    job = Job("new.yaml", target, "", root=str(CASES / "enum-value-hostile"))
    r = changes(read(replace(job, spec="old.yaml")), read(job), job, "old.yaml")
    tokens = MarkdownIt("commonmark").parse(render([r], "markdown"))
    inline = [t for t in tokens if t.type == "inline"]
    kinds = {child.type for t in inline for child in t.children or []}
    assert kinds <= {"text", "code_inline", "strong_open", "strong_close"}, kinds
    spans = [child.content for t in inline for child in t.children or [] if child.type == "code_inline"]
    assert [json.loads(s) for s in spans if s.startswith('"')] == HOSTILE
    text = render([r], "text")
    assert ", ".join(json.dumps(v) for v in HOSTILE) in text
