"""The IR of each schema construct, built from small specs of our own."""

from __future__ import annotations

import textwrap

import pytest

from generator.diagnostics import SpecError
from generator.ir import build
from generator.ir.model import (
    Api,
    Array,
    Const,
    Enum,
    File,
    Map,
    Nullable,
    Object,
    Primitive,
    Ref,
    Union,
)
from generator.load import loads


def api_of(schemas: str, *, version: str = "3.1.0", paths: str = "{}") -> Api:
    text = f"openapi: {version}\ninfo: {{title: T, version: '1'}}\npaths: {paths}\ncomponents:\n  schemas:\n"
    text += textwrap.indent(textwrap.dedent(schemas), "    ")
    api, _ = build(loads(text, "t.yaml"))
    return api


def fields(api: Api, name: str) -> dict[str, object]:
    t = api.named(name).type
    assert isinstance(t, Object)
    return {f.wire_name: f for f in t.fields}


def test_primitives_and_formats() -> None:
    api = api_of("""
        P:
          type: object
          properties:
            s: {type: string}
            i: {type: integer, format: int64}
            n: {type: number}
            b: {type: boolean}
            f: {type: string, format: binary}
            anything: {}
          required: [s]
    """)
    f = fields(api, "P")
    assert f["s"].type == Primitive("string") and f["s"].required
    assert f["i"].type == Primitive("integer", "int64") and not f["i"].required
    assert f["n"].type == Primitive("number")
    assert f["b"].type == Primitive("boolean")
    assert f["f"].type == File()
    assert f["anything"].type == Primitive("any")


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ("{type: [integer, 'null']}", Nullable(Primitive("integer"))),
        ("{type: integer, nullable: true}", Nullable(Primitive("integer"))),
        ("{type: [string, 'null'], enum: [a, b, null]}", Nullable(Enum(("a", "b")))),
        ("{anyOf: [{type: string}, {type: 'null'}]}", Nullable(Primitive("string"))),
        (
            "{oneOf: [{type: string}, {type: integer}]}",
            Union((Primitive("string"), Primitive("integer")), exclusive=True),
        ),
        ("{type: [string, integer]}", Union((Primitive("string"), Primitive("integer")))),
        ("{const: dall-e-2}", Const("dall-e-2")),
        ("{enum: [1, 2, 3]}", Enum((1, 2, 3))),
        ("{enum: [a, 1, true]}", Enum(("a", 1, True))),
        ("{type: array, items: {type: string}}", Array(Primitive("string"))),
        ("{type: object, additionalProperties: {type: integer}}", Map(Primitive("integer"))),
        ("{type: object, additionalProperties: true}", Map(Primitive("any"))),
        ("{type: object}", Map(Primitive("any"))),
        ("{$ref: '#/components/schemas/Other'}", Ref("Other")),
    ],
)
def test_schema_constructs(schema: str, expected: object) -> None:
    api = api_of(f"""
        Holder:
          type: object
          properties:
            x: {schema}
        Other:
          type: object
          properties:
            y: {{type: string}}
    """)
    assert fields(api, "Holder")["x"].type == expected


def test_yaml_1_1_enum_values_stay_strings() -> None:
    api = api_of("""
        E:
          type: string
          enum: [yes, no, on, off, 2024-01-01]
    """)
    assert api.named("E").type == Enum(("yes", "no", "on", "off", "2024-01-01"))


def test_model_is_string_or_const_and_nullable_with_default() -> None:
    api = api_of("""
        R:
          type: object
          properties:
            model:
              anyOf: [{type: string}, {type: string, const: dall-e-2}, {type: 'null'}]
              default: dall-e-2
            n: {type: [integer, 'null'], minimum: 1, maximum: 10, default: 1}
    """)
    f = fields(api, "R")
    assert f["model"].type == Nullable(Union((Primitive("string"), Const("dall-e-2"))))
    assert f["model"].has_default and f["model"].default == "dall-e-2"
    assert f["n"].type == Nullable(Primitive("integer"))
    assert (f["n"].constraints.minimum, f["n"].constraints.maximum, f["n"].default) == (1, 10, 1)


def test_allof_merges_fields_and_inherited_required() -> None:
    api = api_of("""
        Base:
          type: object
          properties:
            id: {type: string}
            kind: {type: string}
          required: [id]
        Child:
          allOf:
            - $ref: '#/components/schemas/Base'
            - type: object
              properties:
                extra: {type: integer}
              required: [extra, kind]
    """)
    f = fields(api, "Child")
    assert list(f) == ["id", "kind", "extra"]
    assert f["id"].required and f["kind"].required and f["extra"].required


def test_single_allof_ref_is_the_ref() -> None:
    api = api_of("""
        A: {type: object, properties: {x: {type: string}}}
        H:
          type: object
          properties:
            a: {allOf: [{$ref: '#/components/schemas/A'}], description: the a}
    """)
    f = fields(api, "H")["a"]
    assert f.type == Ref("A") and f.docs == "the a"


def test_discriminated_union_maps_tags_to_variants() -> None:
    api = api_of("""
        Cat:
          type: object
          properties: {pet_type: {type: string, const: cat}, meows: {type: boolean}}
        Dog:
          type: object
          properties: {pet_type: {type: string, enum: [dog]}, barks: {type: boolean}}
        Pet:
          oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
          discriminator:
            propertyName: pet_type
    """)
    pet = api.named("Pet").type
    assert isinstance(pet, Union) and pet.discriminator is not None
    assert pet.discriminator.property == "pet_type"
    assert dict(pet.discriminator.mapping) == {"cat": Ref("Cat"), "dog": Ref("Dog")}


def test_explicit_discriminator_mapping() -> None:
    api = api_of("""
        A: {type: object, properties: {t: {type: string}}}
        B: {type: object, properties: {t: {type: string}}}
        U:
          anyOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
          discriminator:
            propertyName: t
            mapping: {first: '#/components/schemas/A', second: '#/components/schemas/B'}
    """)
    u = api.named("U").type
    assert isinstance(u, Union) and u.discriminator is not None
    assert dict(u.discriminator.mapping) == {"first": Ref("A"), "second": Ref("B")}


def test_recursive_and_mutually_recursive_schemas_are_refs() -> None:
    api = api_of("""
        Node:
          type: object
          properties:
            children: {type: array, items: {$ref: '#/components/schemas/Node'}}
            owner: {$ref: '#/components/schemas/Owner'}
        Owner:
          type: object
          properties:
            nodes: {type: array, items: {$ref: '#/components/schemas/Node'}}
    """)
    assert fields(api, "Node")["children"].type == Array(Ref("Node"))
    assert fields(api, "Owner")["nodes"].type == Array(Ref("Node"))


def test_inline_objects_are_named_from_where_they_stand() -> None:
    api = api_of("""
        Outer:
          type: object
          properties:
            inner_thing:
              type: object
              properties: {x: {type: string}}
        OuterInnerThing:
          type: object
          properties: {taken: {type: string}}
    """)
    ref = fields(api, "Outer")["inner_thing"].type
    assert ref == Ref(
        "OuterInnerThing2"
    )  # the plain name is taken by a component: numbered, deterministically
    assert api.named("OuterInnerThing2").inline


def test_an_inherited_inline_object_keeps_the_name_of_the_component_it_stands_in() -> None:
    """`Early` (built first, by name) extends `Late`: Late's inline object is `LateParams`, not
    `EarlyParams`, and both models' fields are that one type."""
    api = api_of("""
        Early:
          allOf:
            - $ref: '#/components/schemas/Late'
            - type: object
              properties: {extra: {type: string}}
        Late:
          type: object
          properties:
            params:
              type: object
              properties: {x: {type: string}}
    """)
    assert fields(api, "Early")["params"].type == Ref("LateParams")
    assert fields(api, "Late")["params"].type == Ref("LateParams")
    assert not any(t.name.original == "EarlyParams" for t in api.types)


def test_a_long_chain_of_refs_is_not_a_chain_of_calls() -> None:
    """Each schema refers to the next, 3,000 deep: built without running out of stack."""
    count = 3000
    schemas = "".join(
        f"S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{i + 1}'}},"
        f" own: {{type: object, properties: {{v: {{type: integer}}}}}}}}}}\n"
        for i in range(count)
    )
    api = api_of(schemas + f"S{count}: {{type: string}}\n")
    assert fields(api, "S0")["next"].type == Ref("S1")
    assert fields(api, f"S{count - 1}")["next"].type == Ref(f"S{count}")
    assert fields(api, "S7")["own"].type == Ref("S7Own")
    assert len(api.types) == 2 * count + 1


def test_field_docs_fall_back_to_the_referenced_schema() -> None:
    api = api_of("""
        Usage: {type: object, description: Token usage., properties: {n: {type: integer}}}
        R:
          type: object
          properties:
            usage: {$ref: '#/components/schemas/Usage'}
    """)
    assert fields(api, "R")["usage"].docs == "Token usage."


def test_dangling_ref_is_a_spec_error() -> None:
    with pytest.raises(SpecError) as info:
        api_of("""
            R:
              type: object
              properties:
                x: {$ref: '#/components/schemas/Missing'}
        """)
    assert "Missing" in info.value.diagnostics[0].message


OPERATIONS = """
  /pets/{pet_id}:
    parameters:
      - {name: pet_id, in: path, required: true, schema: {type: integer}}
    get:
      operationId: getPet
      tags: [Pets]
      parameters:
        - {name: verbose, in: query, schema: {type: boolean}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: ids, in: query, style: form, explode: false, schema: {type: array, items: {type: integer}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '404': {description: missing}
  /pets:
    post:
      operationId: createPet
      tags: [Pets]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '201':
          description: created
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
  /pets/{pet_id}/photo:
    put:
      operationId: uploadPetPhoto
      tags: [Pets]
      parameters:
        - {name: pet_id, in: path, required: true, schema: {type: integer}}
      requestBody:
        content:
          application/octet-stream: {}
      responses:
        '204': {description: done}
"""


def test_operations_params_bodies_and_method_names() -> None:
    api = api_of("Pet: {type: object, properties: {name: {type: string}}}", paths="\n" + OPERATIONS)
    (pets,) = api.resources
    assert pets.name.words == ("pets",)
    ops = {op.id: op for op in pets.operations + pets.children[0].operations}
    assert [op.name.words for op in pets.operations] == [("retrieve",), ("create",)]
    assert [(c.name.words, [op.name.words for op in c.operations]) for c in pets.children] == [
        (("photo",), [("update",)])
    ]
    get = ops["getPet"]
    assert [(p.wire_name, p.location) for p in get.params] == [
        ("pet_id", "path"),
        ("verbose", "query"),
        ("X-Trace", "header"),
        ("session", "cookie"),
        ("ids", "query"),
    ]
    ids = get.params[-1]
    assert (ids.style, ids.explode, ids.type) == ("form", False, Array(Primitive("integer")))
    assert get.success is not None and get.success.contents[0].type == Ref("Pet")
    create = ops["createPet"]
    assert create.body is not None and (create.body.kind, create.body.type) == ("json", Ref("Pet"))
    upload = ops["uploadPetPhoto"]
    assert upload.body is not None and (upload.body.kind, upload.body.type) == ("binary", File())


def test_the_fragment() -> None:
    from generator.load import load

    api, warnings = build(load("specs/images-variations.yaml"))
    assert not warnings
    (images,) = api.resources
    (op,) = images.operations
    assert (op.id, op.name.words, op.method, op.path) == (
        "createImageVariation",
        ("create", "variation"),
        "post",
        "/images/variations",
    )
    assert op.title == "Create image variation"
    assert op.body is not None and op.body.kind == "multipart"
    assert [t.name.original for t in api.types] == [
        "CreateImageVariationRequest",
        "Image",
        "ImageGenInputUsageDetails",
        "ImageGenOutputTokensDetails",
        "ImageGenUsage",
        "ImagesResponse",
    ]


def test_an_allof_cycle_is_a_spec_error_even_unvalidated() -> None:
    with pytest.raises(SpecError) as info:
        api_of("""
            A:
              allOf:
                - $ref: '#/components/schemas/B'
                - {type: object, properties: {a: {type: string}}}
            B:
              allOf:
                - $ref: '#/components/schemas/A'
                - {type: object, properties: {b: {type: string}}}
        """)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.message.startswith("allOf cycle #/components/schemas/")
    assert diagnostic.message.endswith(": a schema cannot include itself")


def test_an_undeclared_path_parameter_is_a_required_string() -> None:
    paths = """
  /pets/{petId}/toys/{toyId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: integer}}
      - {name: toyId, in: query, schema: {type: integer}}
    get:
      operationId: getToy
      responses: {"200": {description: ok}}
"""
    api = api_of("{}", paths=paths)
    (op,) = api.operations()
    assert [(p.location, p.wire_name, p.type, p.required) for p in op.params] == [
        ("path", "petId", Primitive("integer"), True),
        ("query", "toyId", Primitive("integer"), False),
        ("path", "toyId", Primitive("string"), True),
    ]


@pytest.mark.parametrize(
    "schemas",
    [
        "A: {type: object, required: [[], {}, x], properties: {x: {type: string}}}",  # 'required' not names
        "A: {type: [{}, string]}",  # a type that is no name
        "A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}\nB: true",  # a boolean schema
        "A: {allOf: [{allOf: []}, {type: string}]}",  # an empty allOf inside an allOf
        "A: {allOf: [{type: object, allOf: []}, {properties: {x: {type: string}}}]}",
    ],
)
def test_what_the_mutation_test_found_builds(schemas: str) -> None:
    """Each of these once raised a TypeError, AttributeError or IndexError (an internal error)."""
    assert api_of(schemas).named("A")


def test_tags_that_are_no_list_are_ignored() -> None:
    text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\ntags: true\npaths: {}\n"
    api, _ = build(loads(text, "t.yaml"))
    assert api.resources == ()


def test_a_nullable_value_documented_inside_its_any_of_keeps_its_docs() -> None:
    """`{anyOf: [{type: number, description, default, maximum}, {type: "null"}]}`, as a field and a parameter."""
    member = "{anyOf: [{type: number, description: How hot., default: 1, maximum: 2}, {type: 'null'}]}"
    paths = (
        "\n  /x:\n    get:\n      operationId: getX\n      parameters:\n"
        f"        - {{name: temperature, in: query, schema: {member}}}\n"
        "      responses: {'204': {description: ok}}"
    )
    api = api_of(f"S: {{type: object, properties: {{temperature: {member}}}}}", paths=paths)
    field = fields(api, "S")["temperature"]
    (param,) = api.resources[0].operations[0].params
    for item in (field, param):
        assert (item.docs, item.default, item.constraints.maximum) == ("How hot.", 1, 2)  # type: ignore[attr-defined]


def test_a_reference_documented_beside_its_ref_keeps_the_words_its_place_gives() -> None:
    """3.1 lets a `$ref` have a description beside it: inside a nullable `anyOf`, inside a one-member
    `allOf`, or beside an `allOf` wrapper; the field's words are those, not the referenced schema's."""
    schemas = """
    E: {type: string, enum: [low, high], description: An effort.}
    S:
      type: object
      properties:
        nullable: {anyOf: [{$ref: '#/components/schemas/E', description: How hard.}, {type: 'null'}]}
        inside: {allOf: [{$ref: '#/components/schemas/E', description: How long.}]}
        beside: {allOf: [{$ref: '#/components/schemas/E'}], description: How far.}
        plain: {$ref: '#/components/schemas/E'}
    """
    got = {k: (f.docs, f.type) for k, f in fields(api_of(schemas), "S").items()}  # type: ignore[attr-defined]
    assert got == {
        "nullable": ("How hard.", Nullable(Ref("E"))),
        "inside": ("How long.", Ref("E")),
        "beside": ("How far.", Ref("E")),
        "plain": ("An effort.", Ref("E")),
    }


def test_an_object_whose_one_of_only_says_what_is_required_keeps_its_fields() -> None:
    """`{properties: {a, b}, oneOf: [{required: [a]}, {required: [b]}]}` is one object, not a union."""
    schemas = """
    S:
      type: object
      properties:
        a: {type: string, description: The first.}
        b: {type: integer, description: The second.}
      oneOf: [{required: [a]}, {required: [b]}]
      not: {required: [a, b]}
    """
    api = api_of(schemas)
    assert {k: f.docs for k, f in fields(api, "S").items()} == {  # type: ignore[attr-defined]
        "a": "The first.",
        "b": "The second.",
    }
    assert api_of("T: {anyOf: [{required: [a]}, {required: [b]}]}").named("T").type == Primitive("any")
