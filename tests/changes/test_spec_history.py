"""`sdkgen changes` on seven consecutive versions of the real OpenAI spec (../shared/spec-history/openai):
each pair's report holds exactly what the upstream commit says it changed, classified as the README argues,
and nothing else. The specs are read where they are, never copied."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from generator.changes import Change, Report, changes, read_api, reports, surface
from generator.changes.compare import compare
from generator.targets.base import Job

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT.parent / "shared" / "spec-history" / "openai"
FILES = sorted(HISTORY.glob("*.yaml")) if HISTORY.is_dir() else []

pytestmark = pytest.mark.skipif(
    len(FILES) < 7, reason=f"the spec history is not at {HISTORY} (../shared/spec-history/openai)"
)

TARGETS = ("python", "typescript", "perl")


@functools.cache
def _api(path: Path, edited: bool = False):  # type: ignore[no-untyped-def]
    job = Job(str(path), "python", "")
    if not edited:
        return read_api(job, label=path.name)
    return read_api(job, text=_descriptions_edited(path.read_text(encoding="utf-8")), label="edited.yaml")


@functools.cache
def _surface(path: Path, target: str, edited: bool = False):  # type: ignore[no-untyped-def]
    api, locate = _api(path, edited)
    return surface(api, Job(str(path), target, "")), locate


def report(old: Path, new: Path, target: str, *, edited: bool = False) -> Report:
    (before, old_locate), (after, new_locate) = _surface(old, target), _surface(new, target, edited)
    found = compare(before, after, old_locate, new_locate)
    return Report(target, old.name, new.name, "1.2.3", tuple(found))


def _descriptions_edited(text: str) -> str:
    """Every one-line plain `description:` rewritten: what the SDKs show changes, not what they do."""
    return re.sub(r"^(\s*description: )([^'\"|>&*!\s][^\n]*)$", r"\1Edited, \2", text, flags=re.MULTILINE)


def _keys(found: tuple[Change, ...]) -> set[tuple[str, str, str, bool]]:
    return {(c.kind, c.key, c.change, c.breaking) for c in found}


def _line(location: str) -> str:
    name, _, line = location.rpartition(":")
    return (HISTORY / name).read_text(encoding="utf-8").splitlines()[int(line) - 1]


@pytest.mark.parametrize("target", TARGETS)
def test_01_02_shutdown_date_added_to_model(target: str) -> None:
    r = report(FILES[0], FILES[1], target)
    assert _keys(r.changes) == {("field", "type Model shutdown_date", "added", False)}
    (c,) = r.changes
    assert c.group == "client.models" if target != "perl" else c.group == "models"
    assert "shutdown_date:" in _line(c.location)
    assert c.subject == {"python": "Model.shutdown_date", "typescript": "Model.shutdown_date"}.get(
        target, "Model.shutdown_date"
    )
    assert (r.level, r.next_version) == ("minor", "1.3.0")


@pytest.mark.parametrize("target", TARGETS)
def test_02_03_string_error_removed_from_tool_calls(target: str) -> None:
    # MCP tool calls come back in responses and go back as input items: a caller that sent a string
    # error no longer type-checks, so the narrower union is breaking
    r = report(FILES[1], FILES[2], target)
    assert _keys(r.changes) == {
        ("field", "type MCPToolCall error", "members changed", True),
        ("field", "type BetaMCPToolCall error", "members changed", True),
    }
    string = {"python": "str", "typescript": "string", "perl": "string"}[target]
    for c in r.changes:
        assert c.detail == f"members removed: `{string}`"
        assert "error:" in _line(c.location)
    assert (r.level, r.next_version) == ("major", "2.0.0")


@pytest.mark.parametrize("target", TARGETS)
def test_03_04_metadata_added_to_chat_completion(target: str) -> None:
    r = report(FILES[2], FILES[3], target)
    assert _keys(r.changes) == {("field", "type CreateChatCompletionResponse metadata", "added", False)}
    group = {"python": "client.chat.completions", "typescript": "client.chat.completions"}
    assert r.changes[0].group == group.get(target, "chat.completions")
    assert "metadata:" in _line(r.changes[0].location)


@pytest.mark.parametrize("target", TARGETS)
def test_04_05_image_metadata_added_to_partial_images(target: str) -> None:
    r = report(FILES[3], FILES[4], target)
    added = {"size", "quality", "background", "output_format"}
    types = set()
    for c in r.changes:
        assert (c.kind, c.change, c.breaking) == ("field", "added", False)
        type_key, _, wire = c.key.rpartition(" ")
        assert wire in added
        types.add(type_key.removeprefix("type "))
    assert {"ResponseImageGenCallPartialImageEvent", "BetaResponseImageGenCallPartialImageEvent"} <= types
    # the WebSocket events are the same events with a lane id: they gained the fields too
    assert all("PartialImage" in t or "PartialWsImage" in t for t in types), types
    assert len(r.changes) == 4 * len(types)


@pytest.mark.parametrize("target", TARGETS)
def test_05_06_shell_streaming_events_added(target: str) -> None:
    r = report(FILES[4], FILES[5], target)
    assert not r.breaking
    unions = {c.key for c in r.changes if c.change == "members changed"}
    assert unions == {
        "type ResponseStreamEvent",
        "type BetaResponseStreamEvent",
        "type ResponsesServerEvent",
        "type BetaResponsesServerEvent",
    }
    for c in r.changes:
        if c.change == "members changed":
            assert c.detail.startswith("members added: ") and "removed" not in c.detail
            assert c.detail.count("ShellCall") == 5
        else:
            assert (c.kind, c.change) == ("type", "added")
            assert "ShellCall" in c.key
    assert sum(c.change == "added" for c in r.changes) == 22


@pytest.mark.parametrize("target", TARGETS)
def test_06_07_audit_log_event_type_value_added(target: str) -> None:
    r = report(FILES[5], FILES[6], target)
    assert _keys(r.changes) == {("type", "type AuditLogEventType", "values changed", False)}
    assert r.changes[0].detail == 'values added: `"tenant.ads_account.onboarding.redemption"`'
    assert (r.level, r.next_version) == ("minor", "1.3.0")


@pytest.mark.parametrize("target", TARGETS)
def test_a_spec_against_itself_is_empty(target: str) -> None:
    assert report(FILES[6], FILES[6], target).changes == ()


@pytest.mark.parametrize("target", TARGETS)
def test_descriptions_edited_change_nothing_a_user_codes_against(target: str) -> None:
    text = FILES[0].read_text(encoding="utf-8")
    assert _descriptions_edited(text).count("Edited, ") > 1000
    r = report(FILES[0], FILES[0], target, edited=True)
    assert not r.breaking
    assert r.changes == ()


def test_the_report_is_the_same_through_changes() -> None:
    job = Job(str(FILES[1]), "python", "", package_version="0.4.0")
    (a, la), (b, lb) = _api(FILES[0]), _api(FILES[1])
    r = changes((surface(a, job), la), (surface(b, job), lb), job, FILES[0].name)
    assert (r.level, r.next_version) == ("patch", "0.4.1")  # before 1.0: an addition is a patch


@pytest.mark.parametrize("pair", range(len(FILES) - 1))
def test_the_fast_comparison_reports_what_the_full_surfaces_do(pair: int) -> None:
    """`reports` looks inside no named type that is the same in both specs and shares each IR's work
    among the targets: it must find exactly what comparing the full surfaces finds."""
    old, new = FILES[pair], FILES[pair + 1]
    jobs = [Job(str(new), target, "", package_version="1.2.3") for target in TARGETS]
    fast = reports(_api(old), _api(new), jobs, old.name)
    for target, r in zip(TARGETS, fast, strict=True):
        full = report(old, new, target)
        assert r.changes == full.changes, target
        assert r.changes, target  # every upstream commit changed something each SDK shows
