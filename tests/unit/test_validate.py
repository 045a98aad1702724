"""The validator: each check's message, severity and location; strict mode; the verdict cache."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.load import loads
from generator.validate import validate

SHARED = Path(__file__).resolve().parents[3] / "shared"
HEAD = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def check(body: str, *, strict: bool = False) -> list[tuple[str, str, str]]:
    doc = loads(HEAD + textwrap.dedent(body), "s.yaml")
    return [(d.severity, d.message, str(d.location)) for d in validate(doc, strict=strict)]


def test_a_clean_spec_has_no_diagnostics() -> None:
    assert check("paths: {}\n") == []


def test_duplicate_required_and_nullable_in_3_1_are_warnings() -> None:
    found = check("""\
        paths: {}
        components:
          schemas:
            A:
              type: object
              properties: {x: {type: string, nullable: true}}
              required: [x, x]
        """)
    assert ("warning", "`required` lists 'x' twice", "s.yaml:9:17") in found
    assert (
        "warning",
        "`nullable` is not part of OpenAPI 3.1; use type: [T, 'null'] (read as nullable)",
        "s.yaml:8:48",
    ) in found
    assert len(found) == 2  # the validator's own "non-unique elements" is not said twice
    assert all(severity == "warning" for severity, _, _ in found)
    assert {
        s
        for s, _, _ in check(
            "paths: {}\ncomponents: {schemas: {A: {type: object, required: [x, x]}}}\n", strict=True
        )
    } == {"error"}


def test_errors_refs_and_operation_ids() -> None:
    found = check("""\
        paths:
          /a/{id}:
            get:
              operationId: same
              responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pett'}}}}}
          /b:
            get: {operationId: same, responses: {'200': {description: ok}}}
            put: {responses: {'200': {description: ok}}}
        components:
          schemas:
            Pet: {type: object}
        """)
    messages = {m for _, m, _ in found}
    assert (
        "$ref '#/components/schemas/Pett' points at nothing; did you mean '#/components/schemas/Pet'?"
        in messages
    )
    assert "operationId 'same' is used twice (also at #/paths/~1a~1{id}/get)" in messages
    assert "PUT /b has no operationId; its method name is made from the path" in messages
    assert "path parameter 'id' of /a/{id} is not declared" in messages


def test_unsupported_versions() -> None:
    doc = loads("openapi: 2.5.0\ninfo: {title: T, version: '1'}\npaths: {}\n", "s.yaml")
    (d,) = validate(doc)
    assert (d.severity, d.message) == ("error", "OpenAPI 2.5.0 is not supported (supported: 3.0.x, 3.1.x)")


def test_spec_validator_findings_are_warnings_and_cached(cache: Path) -> None:
    body = "paths:\n  /a:\n    get:\n      responses: {'200': {description: 7}}\n"
    first = check(body)
    assert any(s == "warning" and m.startswith("openapi-spec-validator:") for s, m, _ in first)
    assert list(cache.rglob("*.json"))
    from generator import validate as module

    def boom(*args: object, **kwargs: object) -> object:
        raise AssertionError("the validator ran again despite the cache")

    original = module._run_spec_validator
    module._run_spec_validator = boom  # type: ignore[assignment]
    try:
        assert check(body) == first
    finally:
        module._run_spec_validator = original


@pytest.mark.slow
def test_the_openai_spec_has_warnings_and_no_errors() -> None:
    spec = SHARED / "corpus" / "openai.yaml"
    if not spec.exists():
        pytest.skip(f"the corpus is not beside the project ({spec})")
    from generator.load import load

    found = validate(load(spec))
    assert found and all(d.severity == "warning" for d in found)
    assert any("`required` lists" in d.message for d in found)
    assert any("`nullable` is not part of OpenAPI 3.1" in d.message for d in found)
    assert all(d.location is not None and d.location.line > 0 for d in found)
