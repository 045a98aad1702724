"""generator.speccheck finds what openapi-spec-validator finds: the same pointers, messages and kinds.

openapi-spec-validator is the reference (a test dependency of ours); speccheck is what sdkgen runs, because
it reaches the same verdict in a fraction of the time. Held side by side on every corpus spec, on every spec
of our own, and on thousands of specs made broken on purpose, one random change at a time.
"""

from __future__ import annotations

import copy
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import pytest

from generator.load import load, loads
from generator.swagger2 import upgrade
from generator.validate import _run_spec_validator, _run_speccheck

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
BIG = {
    "openai.yaml",
    "digitalocean.bundled.yaml",
    "speakeasy-gen-tests.bundled.yaml",
    "twilio-api-v2010.yaml",
}


def _version(data: Any) -> str:
    return "3.1" if str(data.get("openapi", "")).startswith("3.1") else "3.0"


@pytest.fixture(autouse=True)
def _reference_in_a_fixed_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library walks a mapping's additional properties as a Python set, in an order that changes with
    each process's hash seed: which of two equally deep problems it reports then changes from run to run (and
    OpenAPI 3.0's list of unexpected properties is written in that order). speccheck takes them in the
    document's order, every time; here the reference is made to do the same, and nothing else changes."""
    from jsonschema import validators
    from jsonschema.exceptions import ValidationError
    from openapi_schema_validator import OAS30Validator

    def _additional(instance: Any, schema: Any) -> list[Any]:
        properties = schema.get("properties", {})
        patterns = "|".join(schema.get("patternProperties", {}))
        return [k for k in instance if k not in properties and not (patterns and re.search(patterns, k))]

    def in_order(plain: Any, oas30: bool) -> Any:
        def keyword(validator: Any, extra: Any, instance: Any, schema: Any) -> Any:
            if not validator.is_type(instance, "object"):
                return
            extras = _additional(instance, schema)
            if validator.is_type(extra, "object"):
                for key in extras:
                    yield from validator.descend(instance[key], extra, path=key)
            elif oas30 and extra is False and extras:
                listed = ", ".join(repr(e) for e in extras)
                verb = "was" if len(extras) == 1 else "were"
                yield ValidationError(f"Additional properties are not allowed ({listed} {verb} unexpected)")
            elif not oas30:
                yield from plain(validator, extra, instance, schema)

        return keyword

    for cls, oas30 in (
        (validators.Draft4Validator, False),
        (validators.Draft202012Validator, False),
        (OAS30Validator, True),
    ):
        table = dict(cls.VALIDATORS)
        table["additionalProperties"] = in_order(cls.VALIDATORS["additionalProperties"], oas30)
        monkeypatch.setattr(cls, "VALIDATORS", table)


def _normal(findings: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Sorted; where the validator stopped early (a spec so broken that the library falls over on it), the
    exception's name and wording left out: which Python exception a malformed node raises is not part of
    the verdict."""
    out = []
    for pointer, message, kind in findings:
        if "stopped early (" in message:
            message = message.split("stopped early (")[0] + "stopped early"
        if "Required list has not defined properties: " in message:  # the library lists a set: any order
            head, listed = message.split(": [", 1)
            message = f"{head}: [{', '.join(sorted(listed.rstrip(']').split(', ')))}]"
        out.append((pointer, message, kind))
    return sorted(out)


def _same(data: Any, label: str) -> list[tuple[str, str, str]]:
    version = _version(data)
    ours = _run_speccheck(data, version)
    theirs = _run_spec_validator(data, version)
    assert _normal(ours) == _normal(theirs), label
    return ours


def _own_specs() -> list[Path]:
    found = sorted((ROOT / "specs").glob("*.yaml"))
    found += sorted((ROOT / "tests" / "golden").glob("*/spec.yaml"))
    found += sorted((ROOT / "tests" / "bad").glob("*/spec.*"))
    found += sorted((ROOT / "tests" / "hostile").glob("**/*.yaml"))
    return found


@pytest.mark.parametrize("spec", _own_specs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_same_findings_on_our_own_specs(spec: Path) -> None:
    try:
        doc = upgrade(load(str(spec)))
    except Exception:  # a spec that does not load is the loader's business (tests/bad)
        pytest.skip("does not load")
    if not isinstance(doc.data, dict) or _version(doc.data) not in ("3.0", "3.1"):
        pytest.skip("not OpenAPI 3")
    _same(doc.data, str(spec))


def _corpus() -> list[Any]:
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CORPUS} is not there"))]
    return [
        pytest.param(p, marks=[pytest.mark.slow] if p.name in BIG else [], id=p.name)
        for p in sorted(CORPUS.iterdir())
        if p.suffix in (".yaml", ".yml", ".json") and p.name != "openai.yaml"  # the test below has it
    ]


@pytest.mark.parametrize("spec", _corpus())
def test_the_same_findings_on_every_corpus_spec(spec: Path) -> None:
    doc = upgrade(load(str(spec)))
    _same(doc.data, spec.name)


@pytest.mark.slow
def test_the_full_openai_spec_takes_a_fraction_of_the_time() -> None:
    """Not a timing assertion (bench/ measures speed): the findings, and both times, printed for the log."""
    spec = CORPUS / "openai.yaml"
    if not spec.exists():
        pytest.skip(f"{spec} is not there")
    data = load(str(spec)).data
    start = time.perf_counter()
    ours = _run_speccheck(data, "3.1")
    middle = time.perf_counter()
    theirs = _run_spec_validator(data, "3.1")
    end = time.perf_counter()
    print(
        f"speccheck {middle - start:.2f} s, openapi-spec-validator {end - middle:.2f} s, {len(ours)} findings"
    )
    assert _normal(ours) == _normal(theirs)
    assert len(ours) == 25


# -- broken on purpose ---------------------------------------------------------------------------------------

BASES = [
    "specs/images-variations.yaml",
    "tests/golden/models/spec.yaml",
    "tests/golden/params/spec.yaml",
    "tests/golden/bodies/spec.yaml",
    "tests/golden/nullable30/spec.yaml",
    "tests/golden/streaming/spec.yaml",
]
KEYS = [
    "type", "default", "nullable", "required", "enum", "const", "format", "pattern", "items", "properties",
    "additionalProperties", "allOf", "oneOf", "anyOf", "not", "discriminator", "readOnly", "writeOnly",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "uniqueItems", "multipleOf",
    "$ref", "$recursiveAnchor", "$schema", "$id", "$anchor", "$dynamicRef", "example", "examples", "style",
    "explode", "in", "name", "schema", "content", "description", "summary", "operationId", "parameters",
    "responses", "requestBody", "tags", "servers", "url", "variables", "x-extra", "unknownField", "title",
    "prefixItems", "unevaluatedProperties", "if", "then", "dependentRequired", "propertyNames", "contains",
    "$defs", "definitions", "dependentSchemas", "unevaluatedItems", "else", "contentSchema", "contentEncoding",
    "maxContains", "minProperties", "maxLength", "minLength", "maxItems", "$comment", "$dynamicAnchor",
    "deprecated", "xml", "externalDocs", "patternProperties", "dependencies", "$vocabulary", "$recursiveRef",
]  # fmt: skip
VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 2.5, 1e300, "", "x", "string", "integer", "object", "array", "null",
    "date", "date-time", "uuid", "email", "ipv4", "int32", "byte", "time", "regex", "(", "^a+$",
    "2020-13-45", "12:00:00", "not-a-uuid", "#/components/schemas", "#/nowhere", "query", "path", "form",
    [], ["a"], ["a", "a"], [1, "1", True], [None], [{}], ["string", "null"], {}, {"type": "string"},
    {"type": "integer", "default": "x"}, {"type": "object", "required": ["a", "a"]}, {"type": "strnig"},
    {"$ref": "#/components/schemas/Nope"}, {"x-a": 1}, {"enum": [1, 2], "default": 3},
    {"type": ["string", "null"], "default": None}, {"type": "string", "nullable": True, "default": None},
    {"allOf": [{"type": "object"}], "required": ["z"]}, {"description": 7}, {"format": "uuid", "default": "x"},
    {"type": "array", "items": {"type": "integer"}, "default": [1, "b"]}, {"exclusiveMinimum": True},
    {"propertyName": "kind"}, {"oneOf": [{"type": "string"}, {"type": "string"}], "default": "a"},
    2.0, -0.5, "a b", "x-", "http://[bad", {"a": {"type": "string"}}, {"a": ["b", "b"]}, {"a": 1},
    {"propertyName": "k", "mapping": {"a": 1}}, {"propertyName": "k", "extra": 1}, {"propertyName": "k", "x-y": 1},
    {"url": "https://example.test"}, {"name": "n", "wrapped": "yes"}, {"^a": {}}, {"(": {}},
]  # fmt: skip


def _nodes(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _nodes(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _nodes(value, (*at, index))
    return found


def _mutate(data: Any, rng: random.Random) -> str:
    at = rng.choice(_nodes(data))
    parent = data
    for part in at[:-1]:
        parent = parent[part]
    node = parent[at[-1]] if at else data
    what = rng.random()
    value = copy.deepcopy(rng.choice(VALUES))
    if isinstance(node, dict) and what < 0.45:
        key = rng.choice(KEYS)
        node[key] = value
        return f"set {'/'.join(map(str, at))}/{key} = {value!r}"
    if isinstance(node, dict) and node and what < 0.6:
        key = rng.choice(list(node))
        del node[key]
        return f"delete {'/'.join(map(str, at))}/{key}"
    if isinstance(node, list) and node and what < 0.6:
        node.append(copy.deepcopy(rng.choice(node)))
        return f"repeat an item of {'/'.join(map(str, at))}"
    if at:
        parent[at[-1]] = value
        return f"replace {'/'.join(map(str, at))} with {value!r}"
    return "nothing"


def test_the_same_findings_on_specs_broken_at_random() -> None:
    """Each case: one of our specs with one to three random changes (a keyword added, a node replaced or
    deleted, an item repeated). SDKGEN_FUZZ_CASES raises the count (CI runs the default)."""
    cases = int(os.environ.get("SDKGEN_FUZZ_CASES", "300"))
    seed = int(os.environ.get("SDKGEN_FUZZ_SEED", "20261202"))
    rng = random.Random(seed)
    bases = []
    for name in BASES:
        text = (ROOT / name).read_text(encoding="utf-8")
        bases.append(loads(text, name).data)
    with_findings = 0
    for case in range(cases):
        data = copy.deepcopy(rng.choice(bases))
        changes = [_mutate(data, rng) for _ in range(rng.randint(1, 3))]
        if not isinstance(data, dict):
            continue
        label = f"case {case} (seed {seed}): " + "; ".join(changes)
        with_findings += bool(_same(data, label))
    assert with_findings > cases // 4  # the changes do break things, mostly


def _schema_nodes(node: Any, out: list[Any]) -> None:
    """Every Schema Object of a 3.1 document's components, nested ones too (as the meta-check sees them)."""
    if isinstance(node, dict):
        out.append(node)
        for key, value in node.items():
            if key in ("properties", "$defs", "dependentSchemas", "patternProperties") and isinstance(value, dict):
                for sub in value.values():
                    _schema_nodes(sub, out)
            elif key in ("allOf", "anyOf", "oneOf", "prefixItems") and isinstance(value, list):
                for sub in value:
                    _schema_nodes(sub, out)
            elif key in ("items", "not", "additionalProperties", "if", "then", "else", "contains"):
                _schema_nodes(value, out)


def test_the_fast_meta_check_accepts_only_what_the_meta_schema_accepts() -> None:
    """speccheck's one-pass check of a 3.1 Schema Object says "valid" only where the interpreter (the
    meta-schemas, held against the library above) finds nothing: on every schema of the 3.1 specs we
    read, and on each again with a random change."""
    from generator import speccheck

    walk = speccheck._Walk(speccheck._Doc({}), "3.1")
    walk.meta_check({})  # makes the meta-schema validator
    meta = walk.meta
    assert meta is not None and meta.formats is not None
    registry = speccheck._meta_registry()
    root = registry.resources[speccheck.OAS31_DIALECT]

    def interpreter_finds(schema: Any) -> bool:
        try:
            return bool(meta.errors(root, schema, (), speccheck.OAS31_DIALECT, (), []))
        except Exception:
            return True

    nodes: list[Any] = []
    texts = [CORPUS / name for name in ("openai.yaml", "opc-3.1-specific.yaml", "opc-3.1-enums.yaml",
                                        "mermade-mega-3.1.yaml", "opc-baseline-3.1.yaml")]  # fmt: skip
    texts += [ROOT / name for name in BASES]
    for path in texts:
        if path.exists():
            data = load(str(path)).data
            if isinstance(data, dict) and _version(data) == "3.1":
                for schema in ((data.get("components") or {}).get("schemas") or {}).values():
                    _schema_nodes(schema, nodes)
    assert len(nodes) > 50
    rng = random.Random(20261203)
    checked = fast = 0
    for node in nodes:
        variants = [node]
        for _ in range(2):
            changed = copy.deepcopy(node)
            _mutate(changed, rng)
            variants.append(changed)
        for schema in variants:
            checked += 1
            if speccheck._dialect_valid(schema, meta.formats):
                fast += 1
                assert not interpreter_finds(schema), f"taken as valid, but it is not: {schema!r}"
    assert fast > checked // 2  # the point of it: most schemas need no interpreter
