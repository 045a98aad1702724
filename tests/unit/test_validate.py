"""The validator: each check's message, severity and location; strict mode; the verdict cache."""

from __future__ import annotations

import json
import multiprocessing
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from generator import speccheck
from generator import validate as validate_module
from generator.diagnostics import Diagnostic
from generator.load import load, loads
from generator.validate import cache_dir, validate

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus"
HEAD_31 = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n"
HEAD_30 = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test has its own empty verdict cache."""
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SDKGEN_NO_CACHE", raising=False)
    return tmp_path / "cache"


def run(body: str, *, head: str = HEAD_31, strict: bool = False) -> list[Diagnostic]:
    return validate(loads(head + textwrap.dedent(body), "s.yaml"), strict=strict)


def check(body: str, *, head: str = HEAD_31, strict: bool = False) -> list[tuple[str, str, str, str]]:
    """(severity, message, location, pointer) of each diagnostic."""
    return [(d.severity, d.message, str(d.location), d.pointer) for d in run(body, head=head, strict=strict)]


def test_a_clean_spec_has_no_diagnostics() -> None:
    assert check("paths: {}\n") == []
    assert check("paths: {}\n", head=HEAD_30) == []


# -- the version ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "location", "pointer"),
    [
        (
            "info: {title: T, version: '1'}\npaths: {}\n",
            "not an OpenAPI document: the 'openapi' field (e.g. 'openapi: 3.1.0') is missing",
            "s.yaml:1:1",
            "#",
        ),
        (
            "openapi: 3.1\npaths: {}\n",
            "'openapi' must be a string like \"3.1.0\", not 3.1",
            "s.yaml:1:10",
            "#/openapi",
        ),
        (
            "openapi: 2.5.0\npaths: {}\n",
            "OpenAPI 2.5.0 is not supported (supported: 3.0.x, 3.1.x)",
            "s.yaml:1:10",
            "#/openapi",
        ),
        (
            "openapi: '3.2.0'\npaths: {}\n",
            "OpenAPI 3.2.0 is not supported (supported: 3.0.x, 3.1.x)",
            "s.yaml:1:10",
            "#/openapi",
        ),
        (
            "swagger: '1.2'\npaths: {}\n",
            "Swagger 1.2 documents are not supported; convert to OpenAPI 3 (Swagger 2.0 is read)",
            "s.yaml:1:10",
            "#/swagger",
        ),
    ],
)
def test_version_errors_stop_there(text: str, message: str, location: str, pointer: str) -> None:
    # a dangling $ref and a missing operationId too, not reported: the version is wrong
    text += "x-paths:\n  /a:\n    get:\n      responses: {'200': {$ref: '#/nowhere'}}\n"
    (d,) = validate(loads(text, "s.yaml"))
    assert (d.severity, d.message, str(d.location), d.pointer) == ("error", message, location, pointer)


@pytest.mark.parametrize("version", ["3.0.0", "3.0.4", "3.1.0", "3.1.1"])
def test_supported_versions(version: str) -> None:
    assert validate(loads(f"openapi: {version}\ninfo: {{title: T, version: '1'}}\npaths: {{}}\n")) == []


# -- $refs --------------------------------------------------------------------------------------------------

REF_SPEC = """\
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pett'}
components:
  schemas:
    Pet: {type: object}
"""


def test_a_dangling_ref_is_an_error_with_a_suggestion() -> None:
    assert check(REF_SPEC) == [
        (
            "error",
            "$ref '#/components/schemas/Pett' points at nothing; did you mean '#/components/schemas/Pet'?",
            "s.yaml:12:30",
            "#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref",
        )
    ]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        # a typo in any segment
        ("#/components/schema/Pet", "did you mean '#/components/schemas/Pet'?"),
        ("#/components/schemas/pet", "did you mean '#/components/schemas/Pet'?"),
        # nothing close: no suggestion
        ("#/components/schemas/Zebra", ""),
        ("#/definitions/Pet", ""),
    ],
)
def test_suggestions_for_dangling_refs(ref: str, message: str) -> None:
    (d,) = run(REF_SPEC.replace("#/components/schemas/Pett", ref))
    assert d.message == f"$ref '{ref}' points at nothing" + (f"; {message}" if message else "")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (
            "https://example.com/schemas.yaml#/Pet",
            "$ref 'https://example.com/schemas.yaml#/Pet' is remote: sdkgen uses no network; bundle the spec"
            " into one file",
        ),
        (
            "//example.com/schemas.yaml",
            "$ref '//example.com/schemas.yaml' is remote: sdkgen uses no network; bundle the spec into one file",
        ),
        (
            "pet.yaml",
            "$ref 'pet.yaml' points to another file, which is not supported yet; bundle the spec into one file",
        ),
        (
            "../common.yaml#/components/schemas/Pet",
            "$ref '../common.yaml#/components/schemas/Pet' points to another file, which is not supported yet;"
            " bundle the spec into one file",
        ),
        (
            "#components/schemas/Pet",
            "$ref '#components/schemas/Pet' is not a JSON pointer: after '#' it must start with '/'",
        ),
    ],
)
def test_refs_we_do_not_follow_are_errors(ref: str, message: str) -> None:
    (d,) = run(REF_SPEC.replace("#/components/schemas/Pett", ref))
    assert (d.severity, d.message, str(d.location)) == ("error", message, "s.yaml:12:30")


def test_a_ref_that_is_not_a_string() -> None:
    (d,) = run(REF_SPEC.replace("{$ref: '#/components/schemas/Pett'}", "{$ref: [1, 2]}"))
    assert (d.severity, d.message, str(d.location)) == (
        "error",
        "$ref must be a string, not [1, 2]",
        "s.yaml:12:30",
    )


def test_refs_that_resolve_are_fine_even_percent_encoded() -> None:
    assert check(REF_SPEC.replace("#/components/schemas/Pett", "#/components/schemas/P%65t")) == []


def test_what_looks_like_a_ref_in_data_is_not_checked() -> None:
    body = """\
        paths: {}
        components:
          schemas:
            Pet:
              type: object
              properties:
                $ref: {type: string}
                example: {$ref: '#/components/schemas/Pet'}
              example: {$ref: '#/nowhere'}
              enum: [{$ref: '#/nowhere'}]
              examples: [{$ref: '#/nowhere'}]
              x-vendor: {$ref: '#/nowhere'}
          examples:
            One: {value: {$ref: '#/nowhere'}}
        """
    assert check(body) == []
    # openapi-spec-validator does follow such a `$ref` in a default, and stops there
    assert check(body.replace("enum: [{$ref: '#/nowhere'}]", "default: {$ref: '#/nowhere'}")) == [
        (
            "warning",
            "openapi-spec-validator stopped early (PointerToNowhere: '/nowhere' does not exist); the spec was"
            " only partly checked",
            "s.yaml:1:1",
            "#",
        )
    ]


def test_a_cycle_of_refs_is_an_error() -> None:
    body = """\
        paths: {}
        components:
          schemas:
            A: {$ref: '#/components/schemas/B'}
            B: {$ref: '#/components/schemas/A'}
            C: {$ref: '#/components/schemas/C'}
            D: {type: object, properties: {a: {$ref: '#/components/schemas/D'}}}
        """
    assert [(m, loc) for _, m, loc, _ in check(body)] == [
        (
            "$ref cycle #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B never reaches"
            " a schema",
            "s.yaml:6:15",
        ),
        (
            "$ref cycle #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A never reaches"
            " a schema",
            "s.yaml:7:15",
        ),
        ("$ref cycle #/components/schemas/C -> #/components/schemas/C never reaches a schema", "s.yaml:8:15"),
    ]


# -- operations ---------------------------------------------------------------------------------------------


def test_duplicate_operation_ids_name_both_places() -> None:
    body = """\
        paths:
          /a:
            get: {operationId: same, responses: {'200': {description: ok}}}
          /b:
            get: {operationId: same, responses: {'200': {description: ok}}}
            post: {operationId: other, responses: {'200': {description: ok}}}
        """
    assert check(body) == [
        (
            "error",
            "operationId 'same' is used twice (also at #/paths/~1a/get)",
            "s.yaml:7:24",
            "#/paths/~1b/get/operationId",
        )
    ]


def test_an_operation_id_used_three_times_and_in_webhooks_and_callbacks() -> None:
    body = """\
        paths:
          /a:
            get:
              operationId: same
              responses: {'200': {description: ok}}
              callbacks:
                done:
                  '{$request.body#/url}':
                    post: {operationId: same, responses: {'200': {description: ok}}}
        webhooks:
          ping:
            post: {operationId: same, responses: {'200': {description: ok}}}
        """
    found = check(body)
    where = "#/paths/~1a/get/callbacks/done/{$request.body#~1url}/post"
    assert found == [
        (
            "error",
            "operationId 'same' is used 3 times (also at #/paths/~1a/get, #/webhooks/ping/post)",
            "s.yaml:11:33",
            f"{where}/operationId",
        ),
        (
            "error",
            f"operationId 'same' is used 3 times (also at #/paths/~1a/get, {where})",
            "s.yaml:14:25",
            "#/webhooks/ping/post/operationId",
        ),
    ]


def test_an_operation_without_operation_id_is_a_warning_at_its_method() -> None:
    body = """\
        paths:
          /images/variations:
            post:
              responses: {'200': {description: ok}}
        webhooks:
          ping:
            post: {responses: {'200': {description: ok}}}
        """
    assert check(body) == [
        (
            "warning",
            "POST /images/variations has no operationId; its method name is made from the path",
            "s.yaml:5:5",
            "#/paths/~1images~1variations/post",
        )
    ]


PARAMS = """\
paths:
  /a/{id}/b/{name}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getB
      parameters:
        - {$ref: '#/components/parameters/Name'}
        - {name: extra, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
    put:
      operationId: putB
      parameters:
        - {name: name, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
components:
  parameters:
    Name: {name: name, in: path, required: true, schema: {type: string}}
"""


def test_path_parameters_must_be_declared_and_used() -> None:
    found = check(PARAMS)
    assert found == [
        (
            "warning",
            "parameter 'extra' is declared in: path, but the path /a/{id}/b/{name} has no {extra}",
            "s.yaml:11:11",
            "#/paths/~1a~1{id}~1b~1{name}/get/parameters/1",
        ),
        # declared in the query, not in the path
        (
            "warning",
            "path parameter 'name' of /a/{id}/b/{name} is not declared; taken as a required string",
            "s.yaml:13:5",
            "#/paths/~1a~1{id}~1b~1{name}/put",
        ),
    ]


# -- schemas ------------------------------------------------------------------------------------------------


def test_duplicate_required_entries_are_a_warning_said_once() -> None:
    body = """\
        paths: {}
        components:
          schemas:
            A:
              type: object
              properties: {x: {type: string}, y: {type: string}}
              required:
                - x
                - y
                - x
                - y
                - y
        """
    for head in (HEAD_31, HEAD_30):
        # the validator's own "has non-unique elements" is not said again
        assert check(body, head=head) == [
            ("warning", "`required` lists 'x' twice", "s.yaml:12:11", "#/components/schemas/A/required/2"),
            ("warning", "`required` lists 'y' 3 times", "s.yaml:13:11", "#/components/schemas/A/required/3"),
        ]


def test_nullable_in_3_1_is_a_warning_once_per_schema() -> None:
    body = """\
        paths:
          /a:
            get:
              operationId: a
              parameters:
                - {name: q, in: query, schema: {type: string, nullable: true}}
              responses: {'200': {description: ok}}
        components:
          schemas:
            A:
              type: object
              properties:
                x: &x {type: string, nullable: true}
                y: *x
                z: {type: string, nullable: false}
              example: {type: string, nullable: true}
        """
    assert check(body) == [
        (
            "warning",
            "`nullable` is not part of OpenAPI 3.1; use type: [T, 'null'] (read as nullable)",
            "s.yaml:8:65",
            "#/paths/~1a/get/parameters/0/schema/nullable",
        ),
        (
            "warning",
            "`nullable` is not part of OpenAPI 3.1; use type: [T, 'null'] (read as nullable)",
            "s.yaml:15:40",
            "#/components/schemas/A/properties/x/nullable",
        ),
        (
            "warning",
            "`nullable` is not part of OpenAPI 3.1 (ignored)",
            "s.yaml:17:37",
            "#/components/schemas/A/properties/z/nullable",
        ),
    ]
    assert check(body, head=HEAD_30) == []


# -- openapi-spec-validator -------------------------------------------------------------------------------


def test_the_spec_validators_findings_are_located_warnings() -> None:
    body = """\
        paths:
          /a:
            get:
              operationId: a
              title: A
              responses:
                '200': {description: 7}
        components:
          schemas:
            B:
              type: object
              properties:
                n: {type: integer, default: 'x'}
                m: {$ref: '#/components/schemas/C'}
            C: {type: string, exclusiveMinimum: true}
        """
    assert check(body) == [
        (
            "warning",
            "openapi-spec-validator: Unevaluated properties are not allowed ('title' was unexpected)",
            "s.yaml:7:14",
            "#/paths/~1a/get/title",
        ),
        (
            "warning",
            "openapi-spec-validator: 7 is not of type 'string'",
            "s.yaml:9:30",
            "#/paths/~1a/get/responses/200/description",
        ),
        (
            "warning",
            "openapi-spec-validator: `default`: 'x' is not of type 'integer'",
            "s.yaml:15:37",
            "#/components/schemas/B/properties/n/default",
        ),
        # found through B's property m, reported where it is written
        (
            "warning",
            "openapi-spec-validator: True is not of type 'number'",
            "s.yaml:17:41",
            "#/components/schemas/C/exclusiveMinimum",
        ),
    ]


def test_long_instances_are_cut_short() -> None:
    body = """\
        paths:
          /a:
            get:
              operationId: a
              parameters:
                - name: q
                  in: query
                  content:
                    application/json: {schema: {type: string, description: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}
                    text/plain: {schema: {type: string, description: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb}}
              responses: {'200': {description: ok}}
        """
    (d,) = run(body, head=HEAD_30)
    assert d.message == (
        "openapi-spec-validator: {'application/json': …, 'text/plain': …} has too many properties"
    )
    assert (d.severity, str(d.location)) == ("warning", "s.yaml:10:11")


def test_the_validator_falling_over_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: Any, version: str) -> Any:
        raise RecursionError("maximum recursion depth exceeded")
        yield

    monkeypatch.setattr(speccheck, "spec_errors", broken)
    assert check("paths: {}\n") == [
        (
            "warning",
            "openapi-spec-validator stopped early (RecursionError: maximum recursion depth exceeded); the spec"
            " was only partly checked",
            "s.yaml:1:1",
            "#",
        )
    ]


def test_the_validator_is_stopped_when_we_find_errors(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It starts in a child beside our own checks; when they find an error, its verdict is not wanted: the
    child is stopped at once and leaves nothing behind. Where there is no child, it does not run at all."""

    def slow(*args: object) -> object:
        time.sleep(60)
        raise AssertionError("the validator's verdict was waited for")

    monkeypatch.setattr(validate_module, "_run_speccheck", slow)
    start = time.perf_counter()
    assert [s for s, *_ in check(REF_SPEC)] == ["error"]
    assert time.perf_counter() - start < 20
    assert multiprocessing.active_children() == []
    assert not list(cache.glob("validator/*.json"))

    def boom(*args: object) -> object:
        raise AssertionError("the validator ran")

    monkeypatch.setattr(validate_module, "_run_speccheck", boom)
    monkeypatch.setenv("SDKGEN_NO_FORK", "1")
    assert [s for s, *_ in check(REF_SPEC)] == ["error"]


# -- strict mode and order ------------------------------------------------------------------------------------


def test_strict_makes_every_warning_an_error() -> None:
    body = """\
        paths:
          /b:
            get: {responses: {'200': {description: ok}}}
          /a:
            get: {responses: {'200': {description: 7}}}
        """
    relaxed = check(body)
    strict = check(body, strict=True)
    assert {s for s, *_ in relaxed} == {"warning"} and {s for s, *_ in strict} == {"error"}
    assert [rest for _, *rest in strict] == [rest for _, *rest in relaxed]
    # sorted by line, then column, then message
    assert [loc for _, _, loc, _ in relaxed] == ["s.yaml:5:10", "s.yaml:7:10", "s.yaml:7:44"]


# -- the cache ----------------------------------------------------------------------------------------------

FINDING = "paths:\n  /a:\n    get:\n      operationId: a\n      responses: {'200': {description: 7}}\n"


def test_the_verdict_is_cached_by_content(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = check(FINDING)
    assert [m for _, m, _, _ in first] == ["openapi-spec-validator: 7 is not of type 'string'"]
    entries = list((cache / "validator").glob("*.json"))  # by the text, and by its structure
    assert len(entries) == 2
    for entry in entries:
        assert json.loads(entry.read_text()) == [
            [
                "#/paths/~1a/get/responses/200/description",
                "openapi-spec-validator: 7 is not of type 'string'",
                "type",
            ]
        ]

    calls: list[object] = []

    def counted(*args: object) -> object:
        calls.append(args)
        return []

    monkeypatch.setattr(validate_module, "_run_speccheck", counted)
    monkeypatch.setenv("SDKGEN_NO_FORK", "1")  # in this process, where the calls are counted
    assert check(FINDING) == first  # from the cache: the validator did not run
    assert calls == []
    # the same spec under another name or place: the same verdict
    assert validate(loads(HEAD_31 + FINDING, "elsewhere/t.yaml"))[0].message == first[0][1]
    assert calls == []
    # another text: the validator runs
    check(FINDING + "x-note: changed\n")
    assert len(calls) == 1
    assert len(list((cache / "validator").glob("*.json"))) == 4


def test_a_changed_description_reuses_the_verdict(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (
        "paths:\n  /a:\n    get:\n      operationId: a\n      summary: Get a.\n"
        "      description: The first words.\n      responses: {'200': {description: 7}}\n"
        "components:\n  schemas:\n    S:\n      type: object\n"
        "      properties: {description: {type: string}}\n"
    )
    first = check(body)
    calls: list[object] = []
    monkeypatch.setattr(validate_module, "_run_speccheck", lambda *a: calls.append(a) or [])
    monkeypatch.setenv("SDKGEN_NO_FORK", "1")
    edited = body.replace("The first words.", "Other words, longer.").replace("Get a.", "Fetch a.")
    assert check(edited) == first and calls == []  # prose changed: the same verdict, no validation
    check(body.replace("description: 7", "description: 8"))  # a description that is no string: runs
    check(body.replace("{description: {type: string}}", "{description: {type: integer}}"))  # a property
    assert len(calls) == 2


def test_the_validator_runs_in_a_child_process_with_the_same_findings(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own, later = validate_module.validate_deferred(loads(HEAD_31 + FINDING, "t.yaml"))
    assert own == []  # our own checks: nothing; the validator's verdict comes later, from the child
    beside = later()
    assert [d.message for d in beside] == ["openapi-spec-validator: 7 is not of type 'string'"]
    assert later() is beside  # waited for once
    for entry in (cache / "validator").glob("*.json"):
        entry.unlink()
    monkeypatch.setenv("SDKGEN_NO_FORK", "1")
    assert validate(loads(HEAD_31 + FINDING, "t.yaml")) == beside


def test_a_broken_cache_entry_is_ignored(cache: Path) -> None:
    first = check(FINDING)
    for junk in ("{not json", '{"a": "bcd"}', "[[1, 2, 3]]", '[["a", "b"]]'):
        entries = sorted((cache / "validator").glob("*.json"))
        for broken in (entries[:1], entries[1:], entries):  # one of the two keys, the other, both
            for entry in broken:
                entry.write_text(junk)
            assert check(FINDING) == first
        for entry in entries:  # with both broken, the validator ran and both were written anew
            assert json.loads(entry.read_text()) != junk


def test_a_cache_that_cannot_be_written_does_not_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(blocker / "cache"))
    assert [m for _, m, _, _ in check(FINDING)] == ["openapi-spec-validator: 7 is not of type 'string'"]


def test_no_cache_when_asked(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKGEN_NO_CACHE", "1")
    check(FINDING)
    assert not cache.exists()


def test_where_the_cache_is(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("SDKGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "sdkgen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "sdkgen"


# -- the full OpenAI spec -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_openai_spec_has_warnings_and_no_errors(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    spec = CORPUS / "openai.yaml"
    if not spec.exists():
        pytest.skip(f"the corpus is not beside the project ({spec} is missing)")
    # a cache kept between runs (pytest's own), so that only the first run waits for the validator
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(request.config.cache.mkdir("sdkgen")))
    found = validate(load(spec))
    assert found and all(d.severity == "warning" for d in found)
    messages = {d.message for d in found}
    assert "`required` lists 'id' twice" in messages
    assert "`nullable` is not part of OpenAPI 3.1; use type: [T, 'null'] (read as nullable)" in messages
    assert not any("non-unique" in m for m in messages)  # said once, by us
    assert all(d.location is not None and d.location.line > 1 and d.pointer.startswith("#/") for d in found)
    required = next(d for d in found if d.message == "`required` lists 'id' twice")
    assert required.pointer.startswith("#/components/schemas/ContainerResource/required/")


def test_the_library_itself_when_asked(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SDKGEN_SPEC_VALIDATOR=openapi-spec-validator runs openapi-spec-validator instead of speccheck: the same
    verdict, cached apart (the cache key names what produced it)."""
    ours = check(FINDING)
    monkeypatch.setenv("SDKGEN_SPEC_VALIDATOR", "openapi-spec-validator")
    monkeypatch.setattr(validate_module, "_run_speccheck", lambda *a: pytest.fail("speccheck ran"))
    assert check(FINDING) == ours
    assert len(list((cache / "validator").glob("*.json"))) == 4


def test_an_allof_cycle_is_one_error_naming_it() -> None:
    body = """\
        paths: {}
        components:
          schemas:
            B:
              allOf:
                - $ref: '#/components/schemas/C'
            C: {$ref: '#/components/schemas/A'}
            A:
              allOf:
                - $ref: '#/components/schemas/B'
                - {type: object, properties: {x: {type: string}}}
            S: {allOf: [{$ref: '#/components/schemas/S'}]}
            Base: {type: object, properties: {id: {type: string}}}
            Child: {allOf: [{$ref: '#/components/schemas/Base'}, {properties: {p: {$ref: '#/components/schemas/Child'}}}]}
        """
    assert [(m, loc, p) for _, m, loc, p in check(body) if "cycle" in m] == [
        (
            "allOf cycle #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/C ->"
            " #/components/schemas/A: a schema cannot include itself",
            "s.yaml:12:17",
            "#/components/schemas/A/allOf/0/$ref",
        ),
        (
            "allOf cycle #/components/schemas/S -> #/components/schemas/S: a schema cannot include itself",
            "s.yaml:14:24",
            "#/components/schemas/S/allOf/0/$ref",
        ),
    ]


def test_a_schema_ref_to_what_is_not_a_schema_is_an_error() -> None:
    body = """\
        paths: {}
        x-shared: {Name: {type: string}}
        components:
          parameters:
            limit: {name: limit, in: query, schema: {type: integer}}
          schemas:
            T:
              type: object
              properties:
                a: {$ref: '#/info'}
                b: {$ref: '#/components/parameters/limit'}
                c: {$ref: '#/info/version'}
                d: {$ref: '#'}
                ok1: {$ref: '#/components/parameters/limit/schema'}
                ok2: {$ref: '#/x-shared/Name'}
                ok3: {$ref: '#/components/schemas/T/properties/a'}
        """
    assert [(m, loc) for _, m, loc, _ in check(body) if "not a schema" in m] == [
        ("$ref '#/info' points at the document's 'info', which is not a schema", "s.yaml:12:19"),
        ("$ref '#/components/parameters/limit' points at a parameter, which is not a schema", "s.yaml:13:19"),
        ("$ref '#/info/version' points at a string, which is not a schema", "s.yaml:14:19"),
        ("$ref '#' points at the whole document, which is not a schema", "s.yaml:15:19"),
    ]
