"""Swagger 2.0 read as OpenAPI 3: each conversion, the positions it keeps, the pipeline end to end, the corpus."""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic
from generator.ir import Api
from generator.ir.model import Array, File, Object, Primitive, Ref
from generator.load import loads
from generator.pipeline import generate
from generator.swagger2 import Converted, convert, is_swagger2, notes, upgrade
from generator.targets.base import Job
from generator.validate import validate

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus"
HEAD = 'swagger: "2.0"\ninfo: {title: T, version: "1"}\n'


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own empty validator cache."""
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))


def conv(body: str, *, head: str = HEAD) -> Converted:
    return convert(loads(head + textwrap.dedent(body), "s.yaml"))


def data(body: str, *, head: str = HEAD) -> dict[str, Any]:
    out: dict[str, Any] = conv(body, head=head).data
    return out


def where(doc: Converted, pointer: str) -> str:
    location = doc.locate(pointer)
    assert location is not None
    return f"{location.line}:{location.column}"


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the one line of `text` holding `needle`."""
    (number,) = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return number


# -- the document -------------------------------------------------------------------------------------------


def test_only_swagger_2_is_converted() -> None:
    assert is_swagger2({"swagger": "2.0"}) and is_swagger2({"swagger": 2.0})
    assert not is_swagger2({"swagger": "1.2"}) and not is_swagger2({"openapi": "3.0.3", "swagger": "2.0"})
    doc = loads("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n")
    assert upgrade(doc) is doc and notes(doc) == ()
    assert isinstance(upgrade(loads(HEAD + "paths: {}\n")), Converted)


def test_root_info_and_key_order() -> None:
    doc = data(
        """\
        x-top: 1
        paths: {}
        tags: [{name: pets, x-tag: y}]
        security: [{key: []}]
        externalDocs: {url: "https://example.com"}
        """,
        head='swagger: "2.0"\ninfo: {title: Pets, version: "2", x-logo: {url: l.png}, license: {name: MIT}}\n',
    )
    assert doc == {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "2", "x-logo": {"url": "l.png"}, "license": {"name": "MIT"}},
        "tags": [{"name": "pets", "x-tag": "y"}],
        "security": [{"key": []}],
        "externalDocs": {"url": "https://example.com"},
        "paths": {},
        "x-top": 1,
    }
    assert list(doc) == ["openapi", "info", "tags", "security", "externalDocs", "paths", "x-top"]


@pytest.mark.parametrize(
    ("lines", "servers"),
    [
        ("host: api.example.com\nbasePath: /v1\nschemes: [http, https]\n",
         ["http://api.example.com/v1", "https://api.example.com/v1"]),
        ("host: api.example.com\nbasePath: /v1\n", ["https://api.example.com/v1"]),
        ("host: api.example.com:8080\n", ["https://api.example.com:8080"]),
        ("host: api.example.com\nbasePath: /\n", ["https://api.example.com"]),
        ("basePath: /v2\nschemes: [http]\n", ["/v2"]),
        ("schemes: [http]\n", None),
    ],
)
def test_servers_from_host_base_path_and_schemes(lines: str, servers: list[str] | None) -> None:
    doc = data(lines + "paths: {}\n")
    assert (None if "servers" not in doc else [s["url"] for s in doc["servers"]]) == servers


def test_servers_stand_at_their_scheme_and_host() -> None:
    doc = conv("host: h.example\nschemes:\n  - http\n  - https\npaths: {}\n")
    assert [where(doc, f"#/servers/{i}") for i in (0, 1)] == ["5:5", "6:5"]
    assert [where(doc, f"#/servers/{i}/url") for i in (0, 1)] == ["3:7", "3:7"]


def test_body_and_form_parameters_together_keep_the_body_and_say_so() -> None:
    doc = conv(
        """\
        paths:
          /a:
            post:
              parameters:
                - {name: f, in: formData, type: string}
                - {name: b, in: body, schema: {type: object}}
              responses: {"200": {description: ok}}
        """
    )
    body = doc.data["paths"]["/a"]["post"]["requestBody"]
    assert body == {"content": {"application/json": {"schema": {"type": "object"}}}}
    ((pointer, message),) = [(d.pointer, d.message) for d in doc.notes]
    assert pointer == "#/paths/~1a/post/requestBody" and "only the first body parameter is kept" in message
    assert where(doc, pointer) == "8:11"


def test_an_operation_s_own_schemes_become_its_servers() -> None:
    doc = data(
        """\
        host: h.example
        basePath: /b
        paths:
          /a:
            get:
              schemes: [wss]
              responses: {"200": {description: ok}}
        """
    )
    assert doc["paths"]["/a"]["get"]["servers"] == [{"url": "wss://h.example/b"}]


def test_components_and_refs() -> None:
    doc = data(
        """\
        paths:
          /pets/{id}:
            parameters: [{$ref: "#/parameters/Id"}]
            get:
              responses:
                "200": {description: ok, schema: {$ref: "#/definitions/Pet"}}
                "404": {$ref: "#/responses/NotFound"}
        definitions:
          Pet:
            type: object
            properties:
              owner: {$ref: "#/definitions/Owner"}
              tags: {type: array, items: {$ref: "#/definitions/Owner/properties/name"}}
          Owner: {type: object, properties: {name: {type: string}}}
        parameters:
          Id: {name: id, in: path, required: true, type: integer}
        responses:
          NotFound: {description: gone, schema: {$ref: "#/definitions/Owner"}}
        """
    )
    assert doc["paths"]["/pets/{id}"]["parameters"] == [{"$ref": "#/components/parameters/Id"}]
    get = doc["paths"]["/pets/{id}"]["get"]
    assert get["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Pet"
    }
    components = doc["components"]
    assert list(components) == ["schemas", "responses", "parameters"]
    assert components["schemas"]["Pet"]["properties"] == {
        "owner": {"$ref": "#/components/schemas/Owner"},
        "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Owner/properties/name"}},
    }
    assert components["parameters"]["Id"] == {
        "name": "id", "in": "path", "required": True, "schema": {"type": "integer"}
    }
    assert components["responses"]["NotFound"] == {
        "description": "gone",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}},
    }


# -- bodies -------------------------------------------------------------------------------------------------


def test_a_body_parameter_becomes_the_request_body_for_each_consumed_type() -> None:
    doc = data(
        """\
        consumes: [application/json, application/xml]
        paths:
          /pets:
            post:
              parameters:
                - {name: limit, in: query, type: integer}
                - name: pet
                  in: body
                  description: the pet
                  required: true
                  x-codegen-request-body-name: pet
                  x-body: 1
                  schema: {$ref: "#/definitions/Pet"}
              responses: {"201": {description: made}}
            put:
              consumes: [application/merge-patch+json]
              parameters: [{name: pet, in: body, schema: {type: object}}]
              responses: {"200": {description: ok}}
        definitions:
          Pet: {type: object}
        """
    )
    post = doc["paths"]["/pets"]["post"]
    assert list(post) == ["parameters", "requestBody", "responses"]
    assert post["parameters"] == [{"name": "limit", "in": "query", "schema": {"type": "integer"}}]
    pet = {"schema": {"$ref": "#/components/schemas/Pet"}}
    assert post["requestBody"] == {
        "description": "the pet",
        "content": {"application/json": pet, "application/xml": pet},
        "required": True,
        "x-body": 1,
    }
    put = doc["paths"]["/pets"]["put"]
    assert "parameters" not in put
    assert put["requestBody"] == {"content": {"application/merge-patch+json": {"schema": {"type": "object"}}}}


def test_body_parameters_defined_once_and_on_the_path_are_written_out_where_used() -> None:
    doc = data(
        """\
        paths:
          /a:
            parameters: [{$ref: "#/parameters/Body"}, {name: q, in: query, type: string}]
            post:
              responses: {"200": {description: ok}}
            put:
              parameters: [{name: other, in: body, schema: {type: string}}]
              responses: {"200": {description: ok}}
        parameters:
          Body: {name: body, in: body, required: true, schema: {type: object}}
          Form: {name: f, in: formData, type: string}
        """
    )
    item = doc["paths"]["/a"]
    assert item["parameters"] == [{"name": "q", "in": "query", "schema": {"type": "string"}}]
    assert item["post"]["requestBody"] == {
        "content": {"application/json": {"schema": {"type": "object"}}}, "required": True
    }
    assert list(item["post"]) == ["requestBody", "responses"]
    assert item["put"]["requestBody"] == {"content": {"application/json": {"schema": {"type": "string"}}}}
    assert "components" not in doc  # body and form parameters are no components in OpenAPI 3


def test_form_parameters_become_a_urlencoded_object() -> None:
    doc = data(
        """\
        paths:
          /login:
            post:
              consumes: [application/x-www-form-urlencoded]
              parameters:
                - {name: user, in: formData, type: string, required: true, description: who}
                - {name: tries, in: formData, type: integer, minimum: 1, x-field: 1}
                - {name: ids, in: formData, type: array, items: {type: integer}, collectionFormat: multi}
                - {name: tags, in: formData, type: array, items: {type: string}}
              responses: {"200": {description: ok}}
        """
    )
    body = doc["paths"]["/login"]["post"]["requestBody"]
    assert body == {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "user": {"type": "string", "description": "who"},
                        "tries": {"type": "integer", "minimum": 1, "x-field": 1},
                        "ids": {"type": "array", "items": {"type": "integer"}},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["user"],
                },
                "encoding": {
                    "ids": {"style": "form", "explode": True},
                    "tags": {"style": "form", "explode": False},
                },
            }
        },
        "required": True,
    }


@pytest.mark.parametrize(
    ("consumes", "field"),
    [
        ("", "{name: data, in: formData, type: file, required: true}"),
        ("consumes: [multipart/form-data]", "{name: data, in: formData, type: string}"),
    ],
)
def test_form_parameters_with_a_file_or_consuming_multipart_are_multipart(consumes: str, field: str) -> None:
    doc = data(
        f"""\
        paths:
          /upload:
            post:
              {consumes}
              parameters: [{field}, {{name: note, in: formData, type: string}}]
              responses: {{"200": {{description: ok}}}}
        """
    )
    content = doc["paths"]["/upload"]["post"]["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    data_schema = content["multipart/form-data"]["schema"]["properties"]["data"]
    assert data_schema == ({"type": "string", "format": "binary"} if "file" in field else {"type": "string"})
    assert "encoding" not in content["multipart/form-data"]


# -- parameters ---------------------------------------------------------------------------------------------


def test_parameter_types_and_constraints_move_under_schema() -> None:
    doc = data(
        """\
        paths:
          /a:
            get:
              parameters:
                - name: size
                  in: query
                  description: how many
                  required: false
                  allowEmptyValue: true
                  type: integer
                  format: int32
                  minimum: 1
                  maximum: 10
                  exclusiveMaximum: true
                  default: 5
                  multipleOf: 1
                  x-nullable: true
                  x-example: 3
                - {name: mode, in: header, type: string, enum: [a, b], pattern: "^[ab]$", maxLength: 1}
              responses: {"200": {description: ok}}
        """
    )
    size, mode = doc["paths"]["/a"]["get"]["parameters"]
    assert size == {
        "name": "size",
        "in": "query",
        "description": "how many",
        "required": False,
        "allowEmptyValue": True,
        "schema": {
            "type": "integer", "format": "int32", "minimum": 1, "maximum": 10, "exclusiveMaximum": True,
            "default": 5, "multipleOf": 1, "nullable": True,
        },
        "x-example": 3,
    }
    assert list(size) == ["name", "in", "description", "required", "allowEmptyValue", "schema", "x-example"]
    assert mode == {
        "name": "mode", "in": "header",
        "schema": {"type": "string", "enum": ["a", "b"], "pattern": "^[ab]$", "maxLength": 1},
    }


@pytest.mark.parametrize(
    ("location", "fmt", "style"),
    [
        ("query", None, {"style": "form", "explode": False}),
        ("query", "csv", {"style": "form", "explode": False}),
        ("query", "multi", {"style": "form", "explode": True}),
        ("query", "ssv", {"style": "spaceDelimited", "explode": False}),
        ("query", "pipes", {"style": "pipeDelimited", "explode": False}),
        ("query", "tsv", {"style": "form", "explode": False}),
        ("path", "csv", {}),
        ("header", None, {}),
        ("header", "pipes", {}),
    ],
)
def test_collection_formats(location: str, fmt: str | None, style: dict[str, Any]) -> None:
    written = f", collectionFormat: {fmt}" if fmt else ""
    doc = conv(
        f"""\
        paths:
          /a/{{ids}}:
            get:
              parameters:
                - {{name: ids, in: {location}, required: true, type: array, items: {{type: string}}{written}}}
              responses: {{"200": {{description: ok}}}}
        """
    )
    (param,) = doc.data["paths"]["/a/{ids}"]["get"]["parameters"]
    assert {k: v for k, v in param.items() if k in ("style", "explode")} == style
    assert param["schema"] == {"type": "array", "items": {"type": "string"}}
    said = [(d.severity, d.pointer, d.message) for d in doc.notes]
    if fmt == "tsv" or (location != "query" and fmt not in (None, "csv")):
        ((severity, pointer, message),) = said
        assert severity == "warning" and pointer == "#/paths/~1a~1{ids}/get/parameters/0"
        assert f"`collectionFormat: {fmt}` has no OpenAPI 3 equivalent" in message
        assert where(doc, pointer) == "7:11"  # the parameter, in the original file
    else:
        assert said == []


# -- responses ----------------------------------------------------------------------------------------------


def test_responses_content_headers_and_examples() -> None:
    doc = data(
        """\
        produces: [application/json]
        paths:
          /a:
            get:
              produces: [application/json, text/csv]
              responses:
                "200":
                  description: ok
                  schema: {type: array, items: {type: string}}
                  headers:
                    X-Rate: {type: integer, format: int32, description: left, x-h: 1}
                    X-Ids: {type: array, items: {type: string}, collectionFormat: csv}
                  examples:
                    application/json: ["a", "b"]
                    application/xml: "<a/>"
                  x-resp: true
                "204": {description: none}
                default: {description: error, schema: {$ref: "#/definitions/Error"}}
                x-more: 1
          /file:
            get:
              produces: [application/octet-stream]
              responses:
                "200": {description: bytes, schema: {type: file}}
        definitions:
          Error: {type: object}
        """
    )
    responses = doc["paths"]["/a"]["get"]["responses"]
    strings = {"type": "array", "items": {"type": "string"}}
    assert responses["200"] == {
        "description": "ok",
        "headers": {
            "X-Rate": {"description": "left", "schema": {"type": "integer", "format": "int32"}, "x-h": 1},
            "X-Ids": {"schema": {"type": "array", "items": {"type": "string"}}},
        },
        "content": {
            "application/json": {"schema": strings, "example": ["a", "b"]},
            "text/csv": {"schema": strings},
            "application/xml": {"schema": strings, "example": "<a/>"},
        },
        "x-resp": True,
    }
    assert responses["204"] == {"description": "none"}
    assert responses["default"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}},
        "text/csv": {"schema": {"$ref": "#/components/schemas/Error"}},
    }
    assert responses["x-more"] == 1
    assert doc["paths"]["/file"]["get"]["responses"]["200"]["content"] == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }


def test_the_default_media_type_is_json() -> None:
    doc = data('paths: {/a: {get: {responses: {"200": {description: ok, schema: {type: string}}}}}}\n')
    assert list(doc["paths"]["/a"]["get"]["responses"]["200"]["content"]) == ["application/json"]


# -- schemas and security -----------------------------------------------------------------------------------


def test_schema_keywords() -> None:
    doc = data(
        """\
        paths: {}
        definitions:
          Animal:
            type: object
            discriminator: kind
            required: [kind]
            properties:
              kind: {type: string, x-nullable: false}
              x-nullable: {type: string}
              nick: {type: string, x-nullable: true, x-go-name: Nick}
              photo: {type: file}
              extra: {type: object, additionalProperties: {$ref: "#/definitions/Animal"}}
            example: {kind: cat, $ref: "#/definitions/not-a-ref"}
            x-model: 1
          Cat:
            allOf: [{$ref: "#/definitions/Animal"}, {type: object, properties: {lives: {type: integer}}}]
        """
    )
    schemas = doc["components"]["schemas"]
    assert schemas["Animal"] == {
        "type": "object",
        "discriminator": {"propertyName": "kind"},
        "required": ["kind"],
        "properties": {
            "kind": {"type": "string"},
            "x-nullable": {"type": "string"},  # a property named so is a property
            "nick": {"type": "string", "nullable": True, "x-go-name": "Nick"},
            "photo": {"type": "string", "format": "binary"},
            "extra": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Animal"}},
        },
        "example": {"kind": "cat", "$ref": "#/definitions/not-a-ref"},  # examples are data, left alone
        "x-model": 1,
    }
    assert schemas["Cat"]["allOf"][0] == {"$ref": "#/components/schemas/Animal"}


def test_security_definitions() -> None:
    doc = data(
        """\
        paths: {}
        securityDefinitions:
          basic: {type: basic, description: user and password}
          key: {type: apiKey, name: X-Key, in: header, x-k: 1}
          implicit: {type: oauth2, flow: implicit, authorizationUrl: "https://a/auth", scopes: {read: Read}}
          password: {type: oauth2, flow: password, tokenUrl: "https://a/token", scopes: {}}
          application: {type: oauth2, flow: application, tokenUrl: "https://a/token"}
          accessCode:
            type: oauth2
            flow: accessCode
            authorizationUrl: "https://a/auth"
            tokenUrl: "https://a/token"
            scopes: {write: Write}
        """
    )
    assert doc["components"]["securitySchemes"] == {
        "basic": {"type": "http", "scheme": "basic", "description": "user and password"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header", "x-k": 1},
        "implicit": {
            "type": "oauth2",
            "flows": {"implicit": {"authorizationUrl": "https://a/auth", "scopes": {"read": "Read"}}},
        },
        "password": {"type": "oauth2", "flows": {"password": {"tokenUrl": "https://a/token", "scopes": {}}}},
        "application": {
            "type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a/token", "scopes": {}}}
        },
        "accessCode": {
            "type": "oauth2",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"write": "Write"}
                }
            },
        },
    }


# -- positions, determinism, validation ---------------------------------------------------------------------

POSITIONED = """\
swagger: "2.0"
info:
  title: T
  version: "1"
host: h.example
paths:
  /pets:
    post:
      operationId: addPet
      parameters:
        - name: pet
          in: body
          schema:
            $ref: "#/definitions/Pet"
        - name: dry
          in: query
          type: boolean
      responses:
        "200":
          description: ok
          schema:
            $ref: "#/definitions/Pet"
definitions:
  Pet:
    type: object
    required: [name, name]
    properties:
      name:
        type: string
        x-nullable: true
securityDefinitions:
  basic:
    type: basic
"""


@pytest.mark.parametrize("as_json", [False, True])
def test_positions_point_at_the_original_lines(as_json: bool) -> None:
    text = POSITIONED
    if as_json:  # JSON works its positions out lazily: the same lines, found another way
        import yaml

        text = json.dumps(yaml.safe_load(POSITIONED), indent=2)
    doc = convert(loads(text, "s.json" if as_json else "s.yaml"))

    def line(pointer: str) -> int:
        location = doc.locate(pointer)
        assert location is not None and location.file == ("s.json" if as_json else "s.yaml")
        return location.line

    def at(needle: str, after: str = "") -> int:
        lines = text.splitlines()
        start = line_of(text, after) if after else 0
        return next(i for i, t in enumerate(lines, 1) if i > start and needle in t)

    if not as_json:
        assert line("#/components/schemas/Pet") == at("  Pet:")
        assert line("#/components/schemas/Pet/properties/name/nullable") == at("x-nullable")
        assert line("#/paths/~1pets/post/requestBody") == at("- name: pet")
        assert line("#/paths/~1pets/post/requestBody/content/application~1json/schema") == at("schema:")
        assert line("#/paths/~1pets/post/parameters/0/schema") == at("type: boolean")
        assert line("#/paths/~1pets/post/responses/200/content/application~1json/schema/$ref") == at(
            "$ref", after='"200"'
        )
        assert line("#/servers/0/url") == at("host:")
        assert line("#/components/securitySchemes/basic/type") == at("type: basic")
    assert line("#/components/schemas/Pet/required") == at("required: [name, name]" if not as_json else '"required"')
    assert line("#/paths/~1pets/post/operationId") == at("operationId")
    assert line("#/components/schemas/Pet/properties/name/type") == at("string")
    # the validator's findings on a 2.0 spec point into the original file
    (duplicate,) = [d for d in validate(doc) if "required" in d.message]
    assert duplicate.pointer == "#/components/schemas/Pet/required/1"
    assert duplicate.location is not None and duplicate.location.line == line("#/components/schemas/Pet/required/1")


def test_a_document_without_positions_converts_without_positions() -> None:
    from generator.load import Document

    doc = convert(Document("x.yaml", {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}}, ""))
    assert doc.data["openapi"] == "3.0.3" and doc.locate("#/info") is None


def test_the_same_input_gives_the_same_output() -> None:
    first = conv(POSITIONED.split("\n", 1)[1], head='swagger: "2.0"\n')
    second = conv(POSITIONED.split("\n", 1)[1], head='swagger: "2.0"\n')
    assert json.dumps(first.data) == json.dumps(second.data)
    assert first.original is not None and first.original.data["swagger"] == "2.0"
    assert first.original.data["definitions"]["Pet"]["properties"]["name"] == {"type": "string", "x-nullable": True}


def test_validate_reads_a_swagger_2_document_and_reports_the_notes() -> None:
    text = HEAD + textwrap.dedent(
        """\
        paths:
          /a:
            get:
              operationId: a
              parameters: [{name: ids, in: query, type: array, items: {type: string}, collectionFormat: tsv}]
              responses: {"200": {description: ok}}
        """
    )
    found = validate(loads(text, "s.yaml"))
    assert [(d.severity, str(d.location), d.pointer) for d in found] == [
        ("warning", "s.yaml:7:20", "#/paths/~1a/get/parameters/0")
    ]
    assert "tsv" in found[0].message
    assert [d.severity for d in validate(loads(text, "s.yaml"), strict=True)] == ["error"]


def test_swagger_1_is_still_an_error() -> None:
    found: list[Diagnostic] = validate(loads("swagger: '1.2'\npaths: {}\n", "s.yaml"))
    assert [(d.severity, d.pointer) for d in found] == [("error", "#/swagger")]
    assert "Swagger 1.2 documents are not supported" in found[0].message


# -- end to end ---------------------------------------------------------------------------------------------

PETSTORE2 = """\
swagger: "2.0"
info: {title: Petstore API, version: "2.0.0"}
host: pets.example.com
basePath: /v2
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  api_key: {type: apiKey, name: api_key, in: header}
security: [{api_key: []}]
paths:
  /pets:
    get:
      tags: [pets]
      operationId: listPets
      parameters:
        - {name: status, in: query, type: array, items: {type: string, enum: [available, sold]}, collectionFormat: multi}
        - {name: limit, in: query, type: integer, format: int32, minimum: 1, default: 20}
      responses:
        "200": {description: pets, schema: {type: array, items: {$ref: "#/definitions/Pet"}}}
    post:
      tags: [pets]
      operationId: createPet
      parameters:
        - {name: pet, in: body, required: true, schema: {$ref: "#/definitions/Pet"}}
      responses:
        "201": {description: made, schema: {$ref: "#/definitions/Pet"}}
  /pets/{petId}/photo:
    parameters:
      - {name: petId, in: path, required: true, type: integer, format: int64}
    post:
      tags: [pets]
      operationId: uploadPhoto
      consumes: [multipart/form-data]
      parameters:
        - {name: file, in: formData, type: file, required: true}
        - {name: caption, in: formData, type: string}
      responses:
        "200": {description: ok}
definitions:
  Pet:
    type: object
    required: [name]
    properties:
      id: {type: integer, format: int64}
      name: {type: string}
      tag: {type: string, x-nullable: true}
"""


def test_a_swagger_2_spec_generates_a_python_sdk(tmp_path: Path) -> None:
    spec = tmp_path / "petstore2.yaml"
    spec.write_text(PETSTORE2)
    result = generate(Job(spec=str(spec), target="python", out="x", package_name="petstore2"))
    api: Api = result.api
    assert api.openapi == "3.0.3" and api.title == "Petstore API"
    assert [s.url for s in api.servers] == ["https://pets.example.com/v2"]
    assert [(s.name, s.kind, s.location, s.parameter) for s in api.security_schemes] == [
        ("api_key", "apiKey", "header", "api_key")
    ]
    ops = {op.id: op for op in api.operations()}
    assert sorted(ops) == ["createPet", "listPets", "uploadPhoto"]

    listing = ops["listPets"]
    assert (listing.method, listing.path, listing.body) == ("get", "/pets", None)
    status, limit = listing.params
    assert (status.wire_name, status.location, status.style, status.explode) == ("status", "query", "form", True)
    assert isinstance(status.type, Array)
    assert (limit.type, limit.has_default, limit.default) == (Primitive("integer", "int32"), True, 20)
    assert limit.constraints.minimum == 1
    success = listing.success
    assert success is not None and [m.media_type for m in success.contents] == ["application/json"]
    assert success.contents[0].type == Array(Ref("Pet"))

    create = ops["createPet"]
    assert create.body is not None
    assert (create.body.kind, create.body.media_type, create.body.type, create.body.required) == (
        "json", "application/json", Ref("Pet"), True
    )

    upload = ops["uploadPhoto"]
    assert [(p.wire_name, p.location, p.required) for p in upload.params] == [("petId", "path", True)]
    assert upload.body is not None and upload.body.kind == "multipart" and upload.body.required
    body_type = api.resolve(upload.body.type)
    assert isinstance(body_type, Object)
    fields = {f.wire_name: f for f in body_type.fields}
    assert isinstance(fields["file"].type, File) and fields["file"].required
    assert fields["caption"].type == Primitive("string") and not fields["caption"].required

    pet = api.resolve(Ref("Pet"))
    assert isinstance(pet, Object) and [f.wire_name for f in pet.fields] == ["id", "name", "tag"]
    assert any("petstore2" in path for path in result.files)
    assert not [d for d in result.diagnostics if d.severity == "error"]


# -- the corpus ---------------------------------------------------------------------------------------------


def manifest_ops(name: str) -> int:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            if row["file"] == name:
                return int(row["ops"])
    raise AssertionError(f"{name} is not in MANIFEST.tsv")


@pytest.mark.parametrize("name", ["oai-v2-petstore-expanded.yaml", "oai-v2-uber.yaml"])
def test_corpus_swagger_2_specs_generate(name: str) -> None:
    spec = CORPUS / name
    if not spec.is_file() or not (CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip(f"the shared corpus is not beside the project ({spec} or its MANIFEST.tsv is missing)")
    result = generate(Job(spec=str(spec), target="python", out="x", package_name="pkg"))
    assert len(result.api.operations()) == manifest_ops(name)
    assert not [d for d in result.diagnostics if d.severity == "error"]
    assert result.files
