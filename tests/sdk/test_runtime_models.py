"""Models and descriptors: lenient, forward-compatible reading, user construction, dumping, typing."""

from __future__ import annotations

import copy
import importlib
import json
import pickle
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest

from tests.conftest import SDK_PATH
from tests.support.loopback import Loopback, Reply

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def models(sdk: ModuleType) -> ModuleType:
    return importlib.import_module("openai_images._models")


def test_unknown_fields_and_enum_values_are_returned_not_raised(
    loopback: Loopback, make_client: Callable[..., Any]
) -> None:
    loopback.default = Reply(
        200,
        {
            "created": 5,
            "background": "glitter",  # an enum value this SDK does not know
            "moderation": {"flagged": False},  # a field it does not know
            "data": [{"url": "u", "seed": 42}, "not an object"],
            "usage": {"input_tokens": "many", "total_tokens": 3},  # a wrong type: kept
        },
    )
    result = make_client().images.create_variation(image=PNG)
    assert result.created == 5
    assert result.background == "glitter"
    assert result.moderation == {"flagged": False}
    assert result.model_extra == {"moderation": {"flagged": False}}
    assert result.data[0].url == "u" and result.data[0].seed == 42
    assert result.data[1] == "not an object"
    assert result.usage.input_tokens == "many" and result.usage.total_tokens == 3
    assert result.usage.output_tokens_details is None  # optional and absent: None
    with pytest.raises(AttributeError):
        _ = result.no_such_field
    with pytest.raises(AttributeError):
        _ = result.usage.output_tokens  # required but absent: not invented


def test_construct_reads_nested_models_through_lazy_refs(sdk: ModuleType) -> None:
    wire = {
        "created": 1,
        "data": [{"url": "a", "revised_prompt": "p"}, {"b64_json": "Zg=="}],
        "usage": {
            "input_tokens": 1,
            "input_tokens_details": {"image_tokens": 1, "text_tokens": 0},
            "output_tokens": 2,
            "total_tokens": 3,
        },
    }
    result = sdk.types.ImagesResponse.construct(wire)
    assert isinstance(result.data[0], sdk.types.Image)
    assert isinstance(result.usage.input_tokens_details, sdk.types.ImageGenInputUsageDetails)
    assert result.to_dict() == wire
    assert json.loads(result.to_json()) == wire and "\n  " in result.to_json()
    assert result.model_fields_set == {"created", "data", "usage"}


def test_models_compare_print_copy_and_pickle(sdk: ModuleType) -> None:
    Image = sdk.types.Image
    a = Image.construct({"url": "x", "extra": 1})
    b = Image.construct({"url": "x", "extra": 1})
    assert a == b and a != Image.construct({"url": "x"}) and a != {"url": "x", "extra": 1}
    assert repr(a) == "Image(url='x', extra=1)"
    assert copy.deepcopy(a) == a and copy.copy(a) == a
    assert pickle.loads(pickle.dumps(a)) == a and pickle.loads(pickle.dumps(a)).extra == 1
    with pytest.raises(TypeError):
        hash(a)


def test_user_construction(sdk: ModuleType) -> None:
    Image, ImagesResponse = sdk.types.Image, sdk.types.ImagesResponse
    image = Image(url="https://x")
    assert image.url == "https://x" and image.b64_json is None and image.revised_prompt is None
    assert image.model_fields_set == {"url"} and image.to_dict() == {"url": "https://x"}
    assert Image(url=None).to_dict() == {"url": None}  # given as None: sent as None
    response = ImagesResponse(created=3, data=[image])
    assert response.to_dict() == {"created": 3, "data": [{"url": "https://x"}]}
    image.b64_json = "Zg=="
    assert image.model_fields_set == {"url", "b64_json"}
    with pytest.raises(TypeError, match="nope"):
        Image(nope=1)
    with pytest.raises(TypeError, match="created"):
        ImagesResponse()


def model_classes(models: ModuleType) -> tuple[type, type, type]:
    T, FieldInfo = models.T, models.FieldInfo

    class Cat(models.BaseModel):
        __sdk_fields__: ClassVar[tuple[Any, ...]] = (
            FieldInfo("kind", "kind", T.const("cat"), required=True),
            FieldInfo("lives", "lives", T.int()),
        )

    class Dog(models.BaseModel):
        __sdk_fields__: ClassVar[tuple[Any, ...]] = (
            FieldInfo("kind", "kind", T.const("dog"), required=True),
            FieldInfo("good", "good", T.bool(), required=True),
        )

    class Node(models.BaseModel):  # recursive, and with a Python name unlike its wire name
        __sdk_fields__: ClassVar[tuple[Any, ...]] = (
            FieldInfo("value", "value", T.float()),
            FieldInfo("next_", "next", T.nullable(T.ref("image", "Image"))),
            FieldInfo("tags", "tags", T.map(T.list(T.str()))),
        )

    return Cat, Dog, Node


def test_unions_with_and_without_a_discriminator(models: ModuleType) -> None:
    T = models.T
    Cat, Dog, _ = model_classes(models)
    tagged = T.union(
        T.model(Cat), T.model(Dog), discriminator=("kind", {"cat": T.model(Cat), "dog": T.model(Dog)})
    )
    assert isinstance(tagged.parse({"kind": "dog", "good": True}), Dog)
    assert isinstance(tagged.parse({"kind": "cat"}), Cat)
    untagged = T.union(T.model(Cat), T.model(Dog))
    assert isinstance(untagged.parse({"kind": "dog", "good": True}), Dog)  # the const tells
    assert isinstance(untagged.parse({"kind": "cat", "lives": 9}), Cat)
    assert tagged.parse({"kind": "bird"}) == {"kind": "bird"}  # no variant fits: kept as received
    scalars = T.union(T.int(), T.str(), T.list(T.int()))
    assert scalars.parse(3) == 3 and scalars.parse("x") == "x" and scalars.parse([1]) == [1]
    assert scalars.parse(True) is True and scalars.parse(None) is None


def test_descriptors_keep_what_does_not_fit(models: ModuleType) -> None:
    T = models.T
    _, _, Node = model_classes(models)
    node = T.model(Node).parse({"value": 1, "next": {"url": "u"}, "tags": {"a": ["x"]}, "z": 0})
    assert node.value == 1.0 and isinstance(node.value, float)
    assert type(node.next_).__name__ == "Image" and node.next_.url == "u"
    assert node.tags == {"a": ["x"]} and node.z == 0
    assert node.to_dict() == {"value": 1.0, "next": {"url": "u"}, "tags": {"a": ["x"]}, "z": 0}
    assert T.model(Node).parse("text") == "text"
    assert T.list(T.int()).parse({"a": 1}) == {"a": 1}
    assert T.map(T.int()).parse([1]) == [1]
    assert T.nullable(T.model(Node)).parse(None) is None
    assert T.enum("a", "b").parse("c") == "c"
    assert T.none().parse({"anything": 1}) is None
    assert T.any().parse({"a": [1]}) == {"a": [1]}
    assert T.int().fits(True) is False and T.bool().fits(True) is True


def test_refs_resolve_once_and_lazily(models: ModuleType, sdk: ModuleType) -> None:
    ref = models.T.ref("image_gen_output_tokens_details", "ImageGenOutputTokensDetails")
    first = ref.parse({"image_tokens": 1, "text_tokens": 2})
    assert type(first) is sdk.types.ImageGenOutputTokensDetails
    assert ref.cls is sdk.types.ImageGenOutputTokensDetails


def test_the_sdk_types_check_under_mypy_strict(sdk: ModuleType, tmp_path: Path) -> None:
    """What a user's type checker sees: typed results, typed constructors, no unknown attributes."""
    snippet = tmp_path / "snippet.py"
    snippet.write_text(textwrap.dedent("""
            from openai_images import APIResponse, OpenAI
            from openai_images.types import Image, ImagesResponse

            client = OpenAI(api_key="k")
            result = client.images.create_variation(image=b"x", n=2, size="256x256")
            reveal_type(result)
            raw = client.images.with_raw_response.create_variation(image=b"x")
            reveal_type(raw)
            reveal_type(raw.parse())
            image = Image(url="x")
            reveal_type(image.url)
            Image(nope=1)
            ImagesResponse()
            result.no_such_field
            client.images.create_variation(image=b"x", size="7x7")
            """))
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            "/dev/null",
            "--no-error-summary",
            "--hide-error-context",
            str(snippet),
        ],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(SDK_PATH), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    lines = [line.split(": ", 1)[1] for line in out.stdout.splitlines() if ": " in line]
    assert 'note: Revealed type is "openai_images.types.images_response.ImagesResponse"' in lines
    assert (
        'note: Revealed type is "openai_images._response.APIResponse'
        '[openai_images.types.images_response.ImagesResponse]"'
    ) in lines
    assert any(
        line.startswith("note: Revealed type is") and "str" in line and "None" in line for line in lines
    )
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 4, out.stdout
    assert any('Unexpected keyword argument "nope"' in e for e in errors)
    assert any('Missing named argument "created"' in e for e in errors)
    assert any('has no attribute "no_such_field"' in e for e in errors)
    assert any('"size"' in e for e in errors)
