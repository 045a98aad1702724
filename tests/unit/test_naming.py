"""Words from spec names, case styles, and Python identifiers (reserved words, collisions)."""

from __future__ import annotations

import keyword
from pathlib import Path

import pytest

from generator.naming import camel, kebab, pascal, singular, snake, split_words
from generator.targets.base import unique
from generator.targets.python import (
    _METHOD_RESERVED,
    _MODEL_RESERVED,
    _client_name,
    _qualify_builtins,
    py_identifier,
    py_name,
    py_names,
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("createImageVariation", ("create", "image", "variation")),
        ("ImagesResponse", ("images", "response")),
        ("image_gen_usage", ("image", "gen", "usage")),
        ("HTTPServer", ("http", "server")),
        ("b64_json", ("b64", "json")),
        ("X-Request-ID", ("x", "request", "id")),
        ("response format", ("response", "format")),
        ("1024x1024", ("1024x", "1024")),
        ("Ünïcödé name", ("unicode", "name")),
        ("", ()),
    ],
)
def test_split_words(text: str, words: tuple[str, ...]) -> None:
    assert split_words(text) == words


def test_cases() -> None:
    words = ("create", "variation")
    assert (snake(words), kebab(words), pascal(words), camel(words)) == (
        "create_variation",
        "create-variation",
        "CreateVariation",
        "createVariation",
    )


@pytest.mark.parametrize(
    ("plural", "one"),
    [("images", "image"), ("companies", "company"), ("boxes", "box"), ("status", "status"), ("data", "data")],
)
def test_singular(plural: str, one: str) -> None:
    assert singular(plural) == one


@pytest.mark.parametrize(
    ("text", "ident"),
    [
        ("class", "class_"),
        ("from", "from_"),
        ("match", "match_"),  # soft keyword
        ("type", "type_"),
        ("self", "self_"),
        ("b64_json", "b64_json"),
        ("camelCase", "camelCase"),  # valid identifiers keep the wire spelling
        ("content-type", "content_type"),
        ("2fa", "_2fa"),
        ("$ref", "ref"),
        ("???", "field"),
    ],
)
def test_python_identifiers(text: str, ident: str) -> None:
    """Modules, resources and methods: what the code around them names may not be taken."""
    assert py_identifier(text) == ident
    assert ident.isidentifier() and not keyword.iskeyword(ident)


@pytest.mark.parametrize(
    ("wire", "ident"),
    [
        # snake_case of the wire name
        ("labelSelector", "label_selector"),
        ("HTTPServer", "http_server"),
        ("userID", "user_id"),
        ("userIDs", "user_ids"),
        ("fooBar2", "foo_bar2"),
        ("X-Request-ID", "x_request_id"),
        ("sexual/minors", "sexual_minors"),
        ("None", "none"),
        # otherwise as on the wire: builtins and soft keywords are fine names
        ("response_format", "response_format"),
        ("type", "type"),
        ("bytes", "bytes"),
        ("id", "id"),
        ("object", "object"),
        ("format", "format"),
        ("input", "input"),
        ("list", "list"),
        ("str", "str"),
        ("match", "match"),
        ("case", "case"),
        ("_", "_"),
        ("_links", "_links"),
        ("a__b", "a__b"),
        ("foo_", "foo_"),
        # keywords and what is no identifier
        ("class", "class_"),
        ("from", "from_"),
        ("global", "global_"),
        ("async", "async_"),
        ("2fa", "_2fa"),
        ("$ref", "ref"),
        ("???", "field"),
        ("", "field"),
        # a leading double underscore would be mangled in a class body, or be a dunder
        ("__typename", "_typename"),
        ("__init__", "_init__"),
    ],
)
def test_field_and_parameter_names(wire: str, ident: str) -> None:
    assert py_name(wire) == ident
    assert ident.isidentifier() and not keyword.iskeyword(ident)


def test_names_our_runtime_takes_get_an_underscore() -> None:
    for reserved in (_MODEL_RESERVED, _METHOD_RESERVED):
        for taken in reserved:
            assert py_name(taken, reserved) == taken + "_"
    assert py_name("to_dict", _MODEL_RESERVED) == "to_dict_"
    assert py_name("toDict", _MODEL_RESERVED) == "to_dict_"  # reserved after snake-casing, too
    assert py_name("self", _MODEL_RESERVED) == "self_"  # BaseModel.__init__(self, **fields)
    assert py_name("timeout", _METHOD_RESERVED) == "timeout_"
    assert py_name("cast", _METHOD_RESERVED) == "cast_"  # the method body calls typing.cast
    assert py_name("type", _MODEL_RESERVED) == "type" and py_name("bytes", _METHOD_RESERVED) == "bytes"


@pytest.mark.parametrize(
    ("wires", "names"),
    [
        # the one spelled so on the wire keeps the name, whatever the order
        (["fooBar", "foo_bar"], ["foo_bar_2", "foo_bar"]),
        (["foo_bar", "fooBar"], ["foo_bar", "foo_bar_2"]),
        (["fooBar", "FooBar", "foo-bar"], ["foo_bar", "foo_bar_2", "foo_bar_3"]),
        (["class", "class_"], ["class__2", "class_"]),
        (["ID", "id", "Id"], ["id_2", "id", "id_3"]),
    ],
)
def test_wire_names_that_snake_alike_stay_distinct(wires: list[str], names: list[str]) -> None:
    assert py_names(wires, frozenset(), set()) == names
    assert py_names(wires, frozenset(), set()) == names  # the same every time


def test_collisions_resolve_deterministically() -> None:
    taken: set[str] = set()
    assert [unique(py_identifier(t), taken) for t in ("a-b", "a_b", "a b", "A_B")] == [
        "a_b",
        "a_b_2",
        "a_b_3",
        "A_B",
    ]
    assert py_names(["a-b", "a_b", "a b", "A_B"], frozenset(), set()) == ["a_b_2", "a_b", "a_b_3", "a_b_4"]


@pytest.mark.parametrize(
    ("annotation", "qualified"),
    [
        ("str", "builtins.str"),
        ("Optional[Dict[str, object]]", "Optional[Dict[builtins.str, builtins.object]]"),
        # literal values are not names; a name that only contains a builtin's is another name
        ('Literal["str", \'object\', "a\\"str"]', 'Literal["str", \'object\', "a\\"str"]'),
        ("List[strings.str]", "List[strings.str]"),
        ("Union[str_, bytes]", "Union[str_, bytes]"),
    ],
)
def test_builtins_a_field_shadows_are_qualified(annotation: str, qualified: str) -> None:
    assert _qualify_builtins(annotation, {"str", "object"}) == qualified


@pytest.mark.parametrize(
    ("title", "client"),
    [
        ("OpenAI API", "OpenAI"),
        ("Swagger Petstore", "SwaggerPetstore"),
        ("my-service API", "MyService"),
        ("", "Client"),
        ("3D API", "Client3D"),
        ("None", "NoneClient"),
        ("True API", "TrueClient"),
    ],
)
def test_client_name_from_title(title: str, client: str) -> None:
    assert _client_name(title) == client


@pytest.mark.parametrize("text", ["aYZ\n", "ok\n", "A\r", "x\u2028"])
def test_a_trailing_newline_is_not_part_of_an_identifier(text: str) -> None:
    from generator.targets.python import _class_name

    assert py_identifier(text).isidentifier() and "\n" not in py_identifier(text)
    assert _class_name(text).isidentifier()


def test_resources_named_like_keywords_get_importable_modules(tmp_path: Path) -> None:
    from generator.pipeline import generate
    from generator.targets.base import Job

    ops = "".join(
        f"  /{tag}:\n    get:\n      operationId: list{i}\n      tags: [{tag}]\n      responses: {{'200': {{description: ok}}}}\n"
        for i, tag in enumerate(["import", "class", "None", "match"])
    )
    spec = tmp_path / "s.yaml"
    spec.write_text(f"openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\npaths:\n{ops}")
    files = generate(Job(spec=str(spec), target="python", out="o", package_name="pkg")).files
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")  # every module name in every import is valid
    assert "pkg/resources/import_.py" in files and "pkg/resources/class_.py" in files
