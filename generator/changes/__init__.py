"""`sdkgen changes`: what a spec change does to each SDK, breaking or compatible, and the version bump.

surface.py: what one SDK's user sees of an API (the targets' own names and types); compare.py: two
surfaces compared, each change classified; here: reading the two specs, the version bump and the report's
formats (text, Markdown, JSON).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Literal

from ..escape import md_code, md_text
from ..ir import Api, build
from ..load import MAX_BYTES, Document, load, loads
from ..swagger2 import upgrade
from ..targets.base import Job
from .compare import Change, Locator, compare
from .surface import SDK_TARGETS, Surface, shared, surface, unchanged_types

__all__ = [
    "SDK_TARGETS",
    "Change",
    "Report",
    "bump",
    "changes",
    "markdown",
    "markdown_sections",
    "read",
    "read_api",
    "render",
    "reports",
    "surface",
]

Level = Literal["major", "minor", "patch", "none"]


@dataclass(frozen=True)
class Report:
    target: str
    old: str  # how the old spec is named in locations
    new: str
    version: str  # the package's version now
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> bool:
        return any(c.breaking for c in self.changes)

    @property
    def level(self) -> Level:
        return bump(self.changes, self.version)[0]

    @property
    def next_version(self) -> str:
        return bump(self.changes, self.version)[1]


def read_api(job: Job, *, text: str | None = None, label: str = "") -> tuple[Api, Locator]:
    """The IR of `job`'s spec (or of `text`, the spec's content at another revision), and where each of
    its pointers stands (`label:line`). Not validated: `generate` says what is wrong with a spec."""
    name = label or job.spec
    if text is not None:
        doc: Document = loads(text, name)
    else:
        doc = load(job.resolve(job.spec), max_bytes=job.max_bytes or MAX_BYTES)
    doc = upgrade(doc)
    api, _ = build(doc, job.names, job.pagination)

    def locate(pointer: str) -> str:
        where = doc.locate(pointer) if pointer else None
        return f"{name}:{where.line}" if where is not None else name

    return api, locate


def read(job: Job, *, text: str | None = None, label: str = "") -> tuple[Surface, Locator]:
    """The surface of `job`'s spec for its target (see `read_api`), and where its pointers stand."""
    api, locate = read_api(job, text=text, label=label)
    return surface(api, job), locate


def changes(old: tuple[Surface, Locator], new: tuple[Surface, Locator], job: Job, old_name: str) -> Report:
    (before, old_locate), (after, new_locate) = old, new
    found = compare(before, after, old_locate, new_locate)
    return Report(job.target, old_name, job.spec, job.package_version, tuple(found))


def reports(
    old: tuple[Api, Locator], new: tuple[Api, Locator], jobs: list[Job], old_name: str
) -> list[Report]:
    """Each job's report (one per target) on two IRs of its spec. What the targets share is computed
    once for each IR, and no surface looks inside a named type that did not change."""
    (before, old_locate), (after, new_locate) = old, new
    skip = unchanged_types(before, after)
    old_common, new_common = shared(before), shared(after)
    out = []
    for job in jobs:
        a = surface(before, job, common=old_common, skip=skip)
        b = surface(after, job, common=new_common, skip=skip)
        out.append(changes((a, old_locate), (b, new_locate), job, old_name))
    return out


def bump(found: tuple[Change, ...] | list[Change], version: str) -> tuple[Level, str]:
    """The semver bump the changes call for, and the version after it.

    1.0 and after: breaking -> major, anything added or changed -> minor, only deprecations -> patch.
    Before 1.0 (semver's "anything may change", read as Cargo and npm's caret read it): breaking -> minor,
    the rest -> patch."""
    if not found:
        level: Level = "none"
    elif any(c.breaking for c in found):
        level = "major"
    elif all(c.change in ("deprecated", "no longer deprecated") for c in found):
        level = "patch"
    else:
        level = "minor"
    m = re.match(r"(\d+)\.(\d+)\.(\d+)", version)
    if m is None or level == "none":
        return level, version
    major, minor, patch = (int(x) for x in m.groups())
    if major == 0 and level != "patch":
        level = "minor" if level == "major" else "patch"
    if level == "major":
        return level, f"{major + 1}.0.0"
    if level == "minor":
        return level, f"{major}.{minor + 1}.0"
    return level, f"{major}.{minor}.{patch + 1}"


def _groups(report: Report) -> dict[str, list[Change]]:
    out: dict[str, list[Change]] = {}
    for c in report.changes:
        out.setdefault(c.group, []).append(c)
    return out


def _line(c: Change) -> str:
    what = f"{c.kind} {md_code(c.subject)} {c.change}"
    if c.detail:
        what += f" ({c.detail})" if c.change in ("added",) else f": {c.detail}"
    return what


def markdown(report: Report, *, heading: str = "##") -> str:
    """The report in Markdown: a section per resource, breaking changes first within it."""
    title = f"{heading} {report.target}: {_summary(report)}"
    return "\n".join([title, "", *_sections(report, heading + "#", locations=True)])


def markdown_sections(report: Report, *, heading: str = "###", locations: bool = True) -> str:
    """The report's changes in Markdown, a section per resource (headed `heading`), breaking first."""
    return "\n".join(_sections(report, heading, locations=locations))


def _sections(report: Report, heading: str, *, locations: bool) -> list[str]:
    lines = []
    for group, found in _groups(report).items():
        lines.append(f"{heading} {md_code(group)}" if group != "types" else f"{heading} Types")
        lines.append("")
        for c in sorted(found, key=lambda c: not c.breaking):
            tag = "**breaking**" if c.breaking else "compatible"
            where = f" ({md_text(c.location)})" if locations else ""
            lines.append(f"- {tag}: {_line(c)}{where}")
        lines.append("")
    return lines


def _summary(report: Report) -> str:
    n = len(report.changes)
    if not n:
        return "no changes"
    broken = sum(c.breaking for c in report.changes)
    return (
        f"{n} change{'s' if n != 1 else ''}, {broken} breaking;"
        f" suggested version {report.next_version} ({report.level}, from {report.version})"
    )


def _text(report: Report) -> str:
    lines = [f"{report.target}: {_summary(report)}"]
    for group, found in _groups(report).items():
        lines.append(f"  {group}")
        for c in found:
            tag = "BREAKING  " if c.breaking else "compatible"
            lines.append(f"    {tag} {_unmarked(_line(c))}  {c.location}")
    return "\n".join(lines) + "\n"


# a code span as `md_code` writes it: a run of backticks, the text, the same run (CommonMark's rule)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.*?)(?<!`)\1(?!`)")


def _unmarked(text: str) -> str:
    """Our Markdown line as plain text: each code span's text, as it was given to `md_code`."""

    def inner(m: re.Match[str]) -> str:
        code = m.group(2)
        padded = len(code) > 2 and code[0] == code[-1] == " " and code.strip()
        return code[1:-1] if padded else code

    return _CODE_SPAN.sub(inner, text)


def render(reports: list[Report], fmt: str) -> str:
    """The reports in `fmt`: "text", "markdown" or "json"."""
    if fmt == "json":
        data = [
            {
                "target": r.target,
                "old": r.old,
                "new": r.new,
                "version": r.version,
                "breaking": r.breaking,
                "bump": r.level,
                "next_version": r.next_version,
                "changes": [asdict(c) for c in r.changes],
            }
            for r in reports
        ]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return "\n".join(markdown(r) for r in reports)
    return "".join(_text(r) for r in reports)
