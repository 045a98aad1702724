"""Two surfaces of one SDK compared: each change a user of that SDK sees, breaking or compatible.

The rules (README, "sdkgen changes") in one place, `_classify_*`: code that compiled (mypy --strict, tsc
--strict) and ran against the old SDK must compile and run against the new one, or the change is breaking.
What a caller sends may widen and not narrow; what the SDK returns may narrow, and may widen only by new enum
values and union members (the SDKs return values they do not know as they came; Perl has no types at all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..escape import md_code
from .surface import Entry, Surface

__all__ = ["Change", "Locator", "compare"]

#: `file:line` of a JSON pointer in a spec
Locator = Callable[[str], str]


@dataclass(frozen=True)
class Change:
    group: str  # the resource (`client.files`), or "types"
    kind: str  # resource, method, param, type, field
    subject: str  # the SDK's spelling of what changed
    change: str  # "added", "removed", "renamed", "retyped", "made nullable", ...
    detail: str  # Markdown, what the SDK spells in code spans: "`str | None` -> `str`"
    breaking: bool
    location: str  # file:line in NEW (in OLD for removals)
    key: str  # the entry's identity, for tests and JSON


def compare(old: Surface, new: Surface, old_locate: Locator, new_locate: Locator) -> list[Change]:
    """Every change from `old` to `new`, in the order of `new` (removals where they stood in `old`)."""
    target = new.target
    out: list[Change] = []
    gone = {k for k in old.entries if k not in new.entries}
    came = {k for k in new.entries if k not in old.entries}
    for key, entry in new.entries.items():
        before = old.entries.get(key)
        if before is None:
            if entry.parent in came:
                continue  # a new resource's methods, a new type's fields: said by the parent
            out.append(_added(entry, new_locate(entry.pointer)))
        elif before != entry:  # most entries are the same: they are not even located
            out.extend(_changed(target, before, entry, new_locate(entry.pointer)))
    for key in gone:
        entry = old.entries[key]
        if entry.parent in gone:
            continue
        # Perl exports no types: a schema gone is seen only where it was used
        breaking = not (target == "perl" and entry.kind == "type")
        where = old_locate(entry.pointer)
        out.append(Change(entry.group, entry.kind, entry.label, "removed", "", breaking, where, key))
    order = {k: i for i, k in enumerate(new.entries)}
    old_order = {k: i for i, k in enumerate(old.entries)}
    out.sort(key=lambda c: (c.group == "types", c.group, order.get(c.key, old_order.get(c.key, 0))))
    return out


def _added(entry: Entry, where: str) -> Change:
    breaking = entry.kind in ("param", "field") and entry.side != "out" and entry.required
    detail = ("required" if entry.required else "optional") if entry.kind in ("param", "field") else ""
    return Change(entry.group, entry.kind, entry.label, "added", detail, breaking, where, entry.key)


def _changed(target: str, old: Entry, new: Entry, where: str) -> list[Change]:
    out: list[Change] = []

    def say(change: str, detail: str, breaking: bool) -> None:
        out.append(Change(new.group, new.kind, new.label, change, detail, breaking, where, new.key))

    if old.label != new.label and new.kind in ("method", "type", "resource"):
        say("renamed", f"{md_code(old.label)} -> {md_code(new.label)}", True)
    if old.kind in ("param", "field") and old.required != new.required:
        sends = new.side != "out"
        receives = new.side != "in"
        if new.required:  # a caller must now give it; a reader may now count on it
            say("made required", "", sends)
        else:  # a caller may leave it out; a reader must now check for it (not in Perl: no types)
            say("made optional", "", receives and target != "perl")
    if old.members != new.members or old.type != new.type:
        change, detail, breaking = _retyped(target, old, new)
        say(change, detail, breaking)
    if old.deprecated != new.deprecated:
        say("deprecated" if new.deprecated else "no longer deprecated", "", False)
    if old.stream != new.stream:
        say("streaming changed", f"{old.stream or 'one result'} -> {new.stream or 'one result'}", True)
    if old.pagination != new.pagination:
        # starting or ceasing to paginate changes what the method returns; a new scheme does not
        both = bool(old.pagination) and bool(new.pagination)
        detail = f"{old.pagination or 'one page'} -> {new.pagination or 'one page'}"
        say("pagination changed", detail, not both)
    return out


def _retyped(target: str, old: Entry, new: Entry) -> tuple[str, str, bool]:
    added = [k for k in new.members if k not in old.members]
    removed = [k for k in old.members if k not in new.members]
    sends = new.side != "out"
    receives = new.side != "in"
    if not added and not removed:  # the same members, spelled differently: a named type renamed
        return "retyped", f"{md_code(old.type)} -> {md_code(new.type)}", True
    # a caller may send what it sent before: nothing it could send is gone
    breaks_caller = sends and bool(removed)
    # a reader handles what it read before: anything new but a value or a member of a union breaks it;
    # null breaks a typed reader (Optional, `| null`), not Perl's
    # a new value where there were values, a new member where there were named members, is one more case
    # of what the reader already tells apart; anything else it has never had to handle
    had = {k.split(":", 1)[0] for k in old.members}
    new_kinds = {k.split(":", 1)[0] for k in added}
    breaks_reader = receives and any(
        kind == "type"
        or (kind == "null" and target != "perl")
        or (kind in ("value", "ref") and kind not in had)
        for kind in new_kinds
    )
    kinds = {k.split(":", 1)[0] if k != "null" else "null" for k in added + removed}
    if kinds == {"null"}:
        change = "made nullable" if added else "no longer nullable"
        return change, "", breaks_caller or breaks_reader
    if kinds == {"value"}:
        return "values changed", _lists(old, new, added, removed, "values"), breaks_caller or breaks_reader
    if len(old.members) > 1 and not (added and removed):  # a union that gained or lost members
        return "members changed", _lists(old, new, added, removed, "members"), breaks_caller or breaks_reader
    if kinds == {"ref"}:
        return "members changed", _lists(old, new, added, removed, "members"), breaks_caller or breaks_reader
    return "retyped", f"{md_code(old.type)} -> {md_code(new.type)}", breaks_caller or breaks_reader


def _lists(old: Entry, new: Entry, added: list[str], removed: list[str], what: str) -> str:
    parts = []
    if added:
        parts.append(f"{what} added: " + ", ".join(md_code(new.members[k]) for k in added))
    if removed:
        parts.append(f"{what} removed: " + ", ".join(md_code(old.members[k]) for k in removed))
    return "; ".join(parts)
