"""Every parameter and property the full OpenAI spec describes is described in the IR and in every target.

The spec's descriptions are found where specs write them (tests/support/described.py: beside the schema, in
a nullable `anyOf`/`oneOf` member, in an `allOf` wrapper). Each is looked for where a reader of each target
looks: the IR's field or parameter; the Python model's field docstring and the method's `Args:`; the
TypeScript interface's JSDoc and the resource module (its params interfaces); the Markdown and HTML pages of
the operation and the schema; the Perl POD's method entry (`=head2 sub`) and schema entry (`=head2 Name`,
for the schemas an operation shows); the CLI's flags (`--help`) for the operation. A description counts as
there when its first words are (whatever markup the target kept or converted), as many times as the spec
writes them there. Counts are printed; nothing may be missing. Slow (the spec in five targets).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from generator.ir.model import Api, NamedType, Nullable, Object, Ref
from generator.load import load
from generator.pipeline import generate_all
from generator.targets.base import Job
from generator.targets.docs import DocsTarget
from generator.targets.site import SiteTarget
from tests.conftest import SHARED
from tests.support.described import Described, described_items, signature, words

SPEC = SHARED / "corpus" / "openai.yaml"
PACKAGE = "openai_full"

pytestmark = pytest.mark.slow


@dataclass
class Generated:
    api: Api
    items: list[Described]
    files: dict[str, dict[str, str]]  # target -> path -> text
    job: Job


@pytest.fixture(scope="module")
def generated() -> Generated:
    if not SPEC.is_file():
        pytest.skip(f"the corpus is not beside the project ({SPEC})")
    base = Job(spec=str(SPEC), target="python", out="unused", package_name=PACKAGE)
    targets = {"python": PACKAGE, "typescript": "openai-full", "docs": PACKAGE, "site": PACKAGE,
               "perl": "OpenAI::Full"}  # fmt: skip
    jobs = [replace(base, target=t, package_name=p) for t, p in targets.items()]
    results = generate_all(jobs)
    files = {job.target: result.files for job, result in zip(jobs, results, strict=True)}
    items = list(described_items(load(str(SPEC)).data))
    return Generated(results[0].api, items, files, base)


def _owner_types(api: Api) -> dict[str, NamedType]:
    return {t.pointer: t for t in api.types if t.pointer}


def _owner(by_pointer: dict[str, NamedType], pointer: str) -> NamedType | None:
    """The named type that holds a property declared at `pointer`: the object's own, or the one an
    `allOf` part's properties are merged into."""
    while pointer:
        if pointer in by_pointer:
            return by_pointer[pointer]
        merged = re.fullmatch(r"(.*)/allOf/\d+", pointer)
        if merged is None:
            return None
        pointer = merged.group(1)
    return None


def _fields(named: NamedType) -> dict[str, str]:
    t = named.type.inner if isinstance(named.type, Nullable) else named.type
    return {f.wire_name: f.docs for f in t.fields} if isinstance(t, Object) else {}


class Tally:
    """Per target: how many descriptions were looked for, found, and which are missing."""

    def __init__(self) -> None:
        self.checked: Counter[str] = Counter()
        self.missing: dict[str, list[str]] = {}

    def look(self, target: str, place: str, wanted: Iterable[Described], text: str) -> None:
        """Each of `wanted` must be in `text` (a target's words), as often as it is wanted there."""
        need = Counter(signature(d.docs) for d in wanted)
        padded = f" {text} "
        for sig, count in need.items():
            self.checked[target] += count
            if padded.count(f" {sig} ") < count:
                self.missing.setdefault(target, []).append(f"{place}: {sig!r}")

    def report(self) -> str:
        return "\n".join(
            f"{target}: {self.checked[target]} descriptions looked for, "
            f"{len(self.missing.get(target, []))} missing"
            + "".join(f"\n    {m}" for m in self.missing.get(target, [])[:15])
            for target in self.checked
        )


def _pod_sections(texts: Iterable[str]) -> dict[str, str]:
    """POD `=head2 title` -> its text up to the next heading (all sections of that title, joined)."""
    out: dict[str, list[str]] = {}
    for text in texts:
        for section in re.split(r"^=head[12] ", text, flags=re.MULTILINE)[1:]:
            title, _, body = section.partition("\n")
            out.setdefault(title.strip(), []).append(body)
    return {title: "\n".join(bodies) for title, bodies in out.items()}


def _cli_methods(commands: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """(resource attribute path, method) -> every flag's help text."""
    out: dict[tuple[str, str], str] = {}

    def walk(resources: list[dict[str, Any]]) -> None:
        for r in resources:
            for m in r["methods"]:
                out[(r["attr"], m["method"])] = "\n".join(f["help"] for f in m["flags"])
            walk(r["resources"])

    walk(commands)
    return out


def test_every_description_survives_in_the_ir_and_every_target(generated: Generated) -> None:
    api, files = generated.api, generated.files
    by_pointer = _owner_types(api)
    ops = {op.pointer: op for op in api.operations()}
    params = [d for d in generated.items if d.location != "property"]
    props = [d for d in generated.items if d.location == "property"]
    tally = Tally()

    # -- the IR -------------------------------------------------------------------------------
    owners: dict[str, list[Described]] = {}  # named type -> its described properties
    for d in props:
        named = _owner(by_pointer, d.owner)
        if named is None or d.name not in _fields(named):  # the object unnamed, or the field lost
            tally.look("ir", f"{d.owner}/properties/{d.name} (no such field)", [d], "")
            continue
        owners.setdefault(named.name.original, []).append(d)
        tally.look("ir", f"{named.name.original}.{d.name}", [d], words(_fields(named)[d.name]))
    op_params: dict[str, list[Described]] = {}
    for d in params:
        op = ops.get(d.owner)
        found = [p.docs for p in op.params if (p.location, p.wire_name) == (d.location, d.name)] if op else []
        tally.look("ir", f"{d.owner} {d.location} {d.name}", [d], words(" ".join(found)))
        op_params.setdefault(d.owner, []).append(d)

    # -- where each target shows an operation and a type ---------------------------------------
    docs = DocsTarget(api, replace(generated.job, target="docs"))
    python = docs.python
    resources = {}  # operation pointer -> (python resource entry, python method)
    for entry in python.resource_names():
        context = python.resource_context(entry.resource, entry.path, entry.class_name, entry.children)
        for op, method in zip(entry.resource.operations, context["methods"], strict=True):
            resources[op.pointer] = (entry, method)
    pages = {
        target: {
            (f.values()["method"], f.values()["path"]): f.path
            for f in planner.plan()
            if f.template.startswith("operation.")
        }
        for target, planner in (
            ("docs", docs),
            ("site", SiteTarget(api, replace(generated.job, target="site"))),
        )
    }
    ts_files = {
        (method, path): name
        for name, text in files["typescript"].items()
        if name.startswith("src/resources/")
        for method, path in re.findall(r"method: '(\w+)',\s*path: '([^']*)'", text)
    }
    perl = _pod_sections(t for n, t in files["perl"].items() if n.endswith((".pm", ".pod")))
    cli = _cli_methods(json.loads(files["python"][f"{PACKAGE}/_cli_commands.json"]))

    cache: dict[tuple[str, str], str] = {}

    def text(target: str, path: str, kind: str = "text") -> str:
        if (target, path) not in cache:
            cache[(target, path)] = words(files[target][path], kind=kind)
        return cache[(target, path)]

    look_ops: dict[str, Callable[[Any, Any, Any], str]] = {
        "python": lambda op, entry, m: text("python", f"{PACKAGE}/resources/{entry.module}.py"),
        "typescript": lambda op, entry, m: text("typescript", ts_files[(op.method, op.path)]),
        "docs": lambda op, entry, m: text("docs", pages["docs"][(op.method, op.path)], "html"),
        "site": lambda op, entry, m: text("site", pages["site"][(op.method, op.path)], "html"),
        "perl": lambda op, entry, m: words(perl[docs.perl_subs[op.pointer]["sub"]], kind="pod"),
        "cli": lambda op, entry, m: words(cli[(entry.path, m["name"])]),
    }
    for pointer, wanted in op_params.items():
        op = ops[pointer]
        entry, method = resources[pointer]
        for target, find in look_ops.items():
            tally.look(target, f"{op.method.upper()} {op.path}", wanted, find(op, entry, method))
    # the CLI shows a JSON body's fields as flags of their own
    for op in ops.values():
        body = op.body.type if op.body and op.body.kind in ("json", "multipart", "form") else None
        if isinstance(body, Ref) and body.name in owners:
            entry, method = resources[op.pointer]
            tally.look("cli", f"{op.method.upper()} {op.path} body", owners[body.name],
                       words(cli[(entry.path, method["name"])]))  # fmt: skip

    ts_types = docs.typescript.types
    for name, wanted in owners.items():
        view = python.types[name]
        tally.look("python", name, wanted, text("python", f"{PACKAGE}/types/{view.module}.py"))
        tally.look("typescript", name, wanted, text("typescript", f"src/types/{ts_types[name].module}.ts"))
        tally.look("docs", name, wanted, text("docs", docs.schema_pages[name], "html"))
        site_page = docs.schema_pages[name].removesuffix(".md") + ".html"
        tally.look("site", name, wanted, text("site", site_page, "html"))
        if name in perl:  # the POD shows the schemas an operation reaches
            tally.look("perl", name, wanted, words(perl[name], kind="pod"))
    # Python docstrings read Markdown links as text: none is left
    links = sum(len(re.findall(r"\]\([^)\s]*\)", t)) for n, t in files["python"].items() if n.endswith(".py"))
    print(f"\nMarkdown links left in the Python SDK: {links}")
    assert links == 0
    print(f"{len(params)} described parameters, {len(props)} described properties in the spec")
    print(tally.report())
    assert not any(tally.missing.values()), tally.report()
