"""The loader: YAML 1.2 meaning, locations, JSON, and every failure as one located diagnostic."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.load import load, loads

SHARED = Path(__file__).resolve().parents[3] / "shared"


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("Yes", "Yes"),
        ("2024-01-01", "2024-01-01"),
        ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
        ("0755", 755),
        ("1_000", "1_000"),
        ("12:30", "12:30"),
        ("0b101", "0b101"),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("FALSE", False),
        ("null", None),
        ("Null", None),
        ("~", None),
        ("", None),
        ("42", 42),
        ("-7", -7),
        ("+3", 3),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("-2.5e3", -2500.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("'yes'", "yes"),
        ('"42"', "42"),
        ("'null'", "null"),
        ("!!str 123", "123"),
        ("!!int '5'", 5),
        ("!!float 1", 1.0),
        ("!!str yes", "yes"),
    ],
)
def test_yaml_1_2_core_schema(scalar: str, value: object) -> None:
    doc = loads(f"openapi: 3.1.0\nv: {scalar}\n")
    assert doc.data["v"] == value and type(doc.data["v"]) is type(value)


def test_infinities_and_nan() -> None:
    data = loads("a: .inf\nb: -.Inf\nc: .NaN\n").data
    assert data["a"] == math.inf and data["b"] == -math.inf and math.isnan(data["c"])


def test_keys_are_strings_as_written() -> None:
    data = loads("responses:\n  200: {description: ok}\n  default: {}\n  yes: 1\n").data
    assert list(data["responses"]) == ["200", "default", "yes"]


def test_locations_of_nested_pointers() -> None:
    text = (
        "openapi: 3.1.0\npaths:\n  /images/variations:\n    post:\n      operationId: x\n      tags: [A, B]\n"
    )
    doc = loads(text, "spec.yaml")
    assert str(doc.locate("#/paths/~1images~1variations/post")) == "spec.yaml:5:7"
    assert str(doc.locate("#/paths/~1images~1variations/post/operationId")) == "spec.yaml:5:20"
    assert str(doc.locate("/paths/~1images~1variations/post/tags/1")) == "spec.yaml:6:17"
    # a pointer that goes nowhere: its closest existing ancestor
    assert str(doc.locate("#/paths/~1images~1variations/post/nothing/here")) == "spec.yaml:5:7"
    assert str(doc.locate("#")) == "spec.yaml:1:1"


def test_json_locations_are_computed_when_asked() -> None:
    text = '{\n  "openapi": "3.1.0",\n  "paths": {\n    "/a": {"get": {"operationId": "x"}}\n  }\n}\n'
    doc = loads(text, "spec.json")
    assert doc.data["paths"]["/a"]["get"]["operationId"] == "x"
    assert str(doc.locate("#/paths/~1a/get/operationId")) == "spec.json:4:35"


def test_anchors_share_objects_and_merge_keys_merge() -> None:
    data = loads("base: &b {type: string, maxLength: 3}\nx: *b\ny:\n  <<: *b\n  maxLength: 9\n").data
    assert data["x"] is data["base"]
    assert data["y"] == {"type": "string", "maxLength": 9}


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a' (first on line 1)", "s.yaml:2:1"),
        ("a: [1, 2\n", "YAML syntax error: did not find expected ',' or ']'", "s.yaml:2:1"),
        ("   \n", "the file is empty", "s.yaml:1:1"),
        ("- a\n", "the document is a list, not an OpenAPI mapping", "s.yaml:1:1"),
        ("just text\n", "the document is a str, not an OpenAPI mapping", "s.yaml:1:1"),
        ('{"a": 1,}', "JSON syntax error: Expecting property name enclosed in double quotes", "s.yaml:1:9"),
        ('{"a": 1, "a": 2}', "duplicate key 'a'", "s.yaml:1:10"),
    ],
)
def test_errors_are_one_located_diagnostic(text: str, message: str, where: str) -> None:
    with pytest.raises(SpecError) as info:
        loads(text, "s.yaml")
    (d,) = info.value.diagnostics
    assert d.severity == "error" and message in d.message and str(d.location) == where


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file"):
        load(tmp_path / "missing.yaml")
    big = tmp_path / "big.yaml"
    big.write_text("openapi: 3.1.0\n" + "#\n" * 100)
    with pytest.raises(SpecError, match="more than the limit of 50"):
        load(big, max_bytes=50)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"openapi: 3.1.0\ntitle: caf\xe9\n")
    with pytest.raises(SpecError) as info:
        load(latin)
    assert str(info.value.diagnostics[0].location).endswith("latin.yaml:2:11")
    assert "byte 0xe9 at offset 25" in info.value.diagnostics[0].message


def test_alias_bomb_fails_fast() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    prev = "a"
    for n in "bcdefghij":
        lines.append(f"{n}: &{n} [{', '.join(['*' + prev] * 10)}]")
        prev = n
    start = time.monotonic()
    with pytest.raises(SpecError, match="more than 5,000,000 nodes"):
        loads("\n".join(lines) + "\n")
    assert time.monotonic() - start < 5


def test_a_bom_is_ignored() -> None:
    assert loads("\ufeffopenapi: 3.1.0\n").data == {"openapi": "3.1.0"}


@pytest.mark.slow
def test_the_full_openai_spec_loads_with_locations() -> None:
    spec = SHARED / "corpus" / "openai.yaml"
    if not spec.exists():
        pytest.skip(f"the corpus is not beside the project ({spec})")
    doc = load(spec)
    assert len(doc.data["components"]["schemas"]) == 1422
    location = doc.locate("#/components/schemas/ImagesResponse")
    assert location is not None and location.line > 1
    assert doc.source_text.splitlines()[location.line - 2].strip() == "ImagesResponse:"
