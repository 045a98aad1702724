"""Resources nest where paths nest; method names drop the nouns of the resources they sit in; `names`."""

from __future__ import annotations

import json

import pytest

from generator.config import ConfigError, job_from_mapping
from generator.diagnostics import SpecError
from generator.ir import build
from generator.ir.model import Api, Resource
from generator.load import loads

# (method, path, operationId, tag or None)
OPENAI_LIKE = [
    ("get", "/chat/completions", "listChatCompletions", "Chat"),
    ("post", "/chat/completions", "createChatCompletion", "Chat"),
    ("get", "/chat/completions/{completion_id}", "getChatCompletion", "Chat"),
    ("delete", "/chat/completions/{completion_id}", "deleteChatCompletion", "Chat"),
    ("post", "/images/variations", "createImageVariation", "Images"),
    ("post", "/images/edits", "createImageEdit", "Images"),
    ("post", "/fine_tuning/alpha/graders/run", "runGrader", "Fine-tuning"),
    ("post", "/fine_tuning/alpha/graders/validate", "validateGrader", "Fine-tuning"),
    ("post", "/fine_tuning/jobs", "createFineTuningJob", "Fine-tuning"),
    ("get", "/fine_tuning/jobs/{id}", "retrieveFineTuningJob", "Fine-tuning"),
    ("post", "/fine_tuning/jobs/{id}/cancel", "cancelFineTuningJob", "Fine-tuning"),
    ("post", "/organization/certificates/activate", "activateOrganizationCertificates", "Certificates"),
    (
        "post",
        "/organization/projects/{p}/certificates/activate",
        "activateProjectCertificates",
        "Certificates",
    ),
    ("get", "/evals/{e}/runs", "getEvalRuns", "Evals"),
    ("get", "/evals/{e}/runs/{r}", "getEvalRun", "Evals"),
    ("get", "/containers", "ListContainers", None),
    ("get", "/containers/{c}/files", "ListContainerFiles", None),
    ("post", "/containers/{c}/files", "CreateContainerFile", None),
]


def spec(ops: list[tuple[str, str, str, str | None]]) -> str:
    paths: dict[str, dict[str, object]] = {}
    for method, path, op_id, tag in ops:
        op: dict[str, object] = {"operationId": op_id, "responses": {"204": {"description": "ok"}}}
        if tag:
            op["tags"] = [tag]
        params = [p.strip("{}") for p in path.split("/") if p.startswith("{")]
        if params:
            op["parameters"] = [
                {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in params
            ]
        paths.setdefault(path, {})[method] = op
    return json.dumps({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths})


def tree(api: Api) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}

    def walk(resources: tuple[Resource, ...], prefix: str) -> None:
        for r in resources:
            key = prefix + "_".join(r.name.words)
            out[key] = ["_".join(op.name.words) for op in r.operations]
            walk(r.children, key + ".")

    walk(api.resources, "")
    return out


def test_resources_nest_where_paths_nest() -> None:
    api, _ = build(loads(spec(OPENAI_LIKE), "s.json"))
    assert tree(api) == {
        "chat": [],
        "chat.completions": ["list", "create", "get", "delete"],
        "images": ["create_variation", "create_edit"],  # one call per sub-path: methods of `images`
        "fine_tuning": [],
        "fine_tuning.alpha": [],
        "fine_tuning.alpha.graders": ["run", "validate"],
        "fine_tuning.jobs": ["create", "retrieve", "cancel"],  # /jobs/{id}/cancel: one call, a method
        # the same call on two parents is no resource of its own
        "certificates": ["activate_organization", "activate_project"],
        # both would be `get`: they keep the resource's own noun
        "evals": [],
        "evals.runs": ["get_runs", "get_run"],
        # untagged: the path's first segment
        "containers": ["list"],
        "containers.files": ["list", "create"],
    }


def test_names_table_places_operations() -> None:
    names = {
        "createImageEdit": "images.edit",
        "getEvalRuns": "evals.runs.list",
        "createChatCompletion": "chat.completions.send",
    }
    api, _ = build(loads(spec(OPENAI_LIKE), "s.json"), names)
    got = tree(api)
    assert got["images"] == ["create_variation", "edit"]
    assert got["evals.runs"] == ["list", "get"]  # the other one is alone with its name now
    assert got["chat.completions"] == ["list", "send", "get", "delete"]


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ({"nope": "a.b"}, "no operation has operationId 'nope'"),
        ({"createImageEdit": "edit"}, "must be 'resource.method' or 'resource.sub.method'"),
        ({"createImageEdit": "images..edit"}, "must be 'resource.method'"),
    ],
)
def test_bad_names_are_clear_errors(names: dict[str, str], message: str) -> None:
    with pytest.raises(SpecError) as caught:
        build(loads(spec(OPENAI_LIKE), "s.json"), names)
    (d,) = caught.value.diagnostics
    assert message in d.message and d.location is not None


def test_names_in_the_job_config() -> None:
    job = job_from_mapping(
        {"spec": "s", "target": "python", "out": "o", "names": {"createImageEdit": "images.edit"}},
        where="pyproject.toml",
    )
    assert job.names == {"createImageEdit": "images.edit"}
    with pytest.raises(ConfigError, match="'names' must be a table"):
        job_from_mapping({"spec": "s", "target": "python", "out": "o", "names": {"a": 1}}, where="x")
