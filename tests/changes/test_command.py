"""`sdkgen changes OLD NEW` through the real command line: every target from one read of each spec, the
formats, --fail-on, --max-bytes, and spec text that stays literal in the text format."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import sdkgen

CASES = Path(__file__).parent / "cases"


def specs(kind: str) -> tuple[str, str]:
    return str(CASES / kind / "old.yaml"), str(CASES / kind / "new.yaml")


def test_every_target_in_json() -> None:
    done = sdkgen("changes", *specs("field-removed"), "--target", "all", "--format", "json")
    assert done.returncode == 0, done.stderr
    reports = json.loads(done.stdout)
    assert [r["target"] for r in reports] == ["python", "typescript", "perl"]
    for r in reports:
        assert r["breaking"] and r["bump"] == "minor" and r["next_version"] == "0.2.0"
        assert [(c["kind"], c["subject"], c["change"]) for c in r["changes"]] == [
            ("field", "Pet.owner", "removed")
        ]


def test_fail_on_breaking() -> None:
    broken = sdkgen("changes", *specs("field-removed"), "--fail-on", "breaking")
    assert broken.returncode == 1
    assert "BREAKING   field Pet.owner removed" in broken.stdout
    fine = sdkgen("changes", *specs("enum-value-added"), "--fail-on", "breaking")
    assert fine.returncode == 0, fine.stderr


def test_max_bytes_is_the_limit_generate_has() -> None:
    done = sdkgen("changes", *specs("field-removed"), "--max-bytes", "100")
    assert done.returncode == 1
    assert "more than the limit of 100 (raise it with --max-bytes)" in done.stderr


def test_the_text_format_shows_spec_text_as_it_is() -> None:
    done = sdkgen("changes", *specs("enum-value-hostile"), "--target", "typescript")
    assert done.returncode == 0, done.stderr
    added = '"back`tick", "``two", "ends with`", "<img src=x onerror=alert(1)> *em* [a](http://x) | # h"'
    assert f"type Kind values changed: values added: {added}  " in done.stdout
