"""Words from spec names, case styles, and Python identifiers (reserved words, collisions)."""

from __future__ import annotations

import keyword
from pathlib import Path

import pytest

from generator.naming import camel, kebab, pascal, singular, snake, split_words
from generator.targets.base import unique
from generator.targets.python import _client_name, py_identifier


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
    assert py_identifier(text) == ident
    assert ident.isidentifier() and not keyword.iskeyword(ident)


def test_collisions_resolve_deterministically() -> None:
    taken: set[str] = set()
    assert [unique(py_identifier(t), taken) for t in ("a-b", "a_b", "a b", "A_B")] == [
        "a_b",
        "a_b_2",
        "a_b_3",
        "A_B",
    ]


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
