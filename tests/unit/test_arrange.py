"""Resources from paths, methods by REST shape, operationIds and tags as hints; the `names` table."""

from __future__ import annotations

import json

import pytest

from generator.config import ConfigError, job_from_mapping
from generator.diagnostics import SpecError
from generator.ir import build
from generator.ir.model import Api, Resource
from generator.load import loads

LIST = {"type": "object", "properties": {"data": {"type": "array", "items": {"type": "string"}}}}
ONE = {"type": "object", "properties": {"id": {"type": "string"}}}

# (method, path, operationId, tag or None[, response schema])
OPENAI_LIKE: list[tuple] = [
    ("get", "/chat/completions", "listChatCompletions", "Chat", LIST),
    ("post", "/chat/completions", "createChatCompletion", "Chat"),
    ("get", "/chat/completions/{completion_id}", "getChatCompletion", "Chat"),
    ("delete", "/chat/completions/{completion_id}", "deleteChatCompletion", "Chat"),
    ("get", "/chat/completions/{completion_id}/messages", "getChatCompletionMessages", "Chat"),
    ("post", "/images/variations", "createImageVariation", "Images"),
    ("post", "/images/edits", "createImageEdit", "Images"),
    ("post", "/audio/speech", "createSpeech", "Audio"),
    ("post", "/audio/transcriptions", "createTranscription", "Audio"),
    ("get", "/audio/voices/{voice_id}", "getVoice", "Audio"),
    ("post", "/fine_tuning/alpha/graders/run", "runGrader", "Fine-tuning"),
    ("post", "/fine_tuning/alpha/graders/validate", "validateGrader", "Fine-tuning"),
    ("post", "/fine_tuning/jobs", "createFineTuningJob", "Fine-tuning"),
    ("get", "/fine_tuning/jobs/{id}", "retrieveFineTuningJob", "Fine-tuning"),
    ("post", "/fine_tuning/jobs/{id}/cancel", "cancelFineTuningJob", "Fine-tuning"),
    ("get", "/fine_tuning/jobs/{id}/checkpoints", "listFineTuningJobCheckpoints", "Fine-tuning"),
    ("get", "/files/{file_id}", "retrieveFile", "Files"),
    ("get", "/files/{file_id}/content", "downloadFile", "Files"),
    ("post", "/uploads", "createUpload", "Uploads"),
    ("post", "/uploads/{upload_id}/parts", "addUploadPart", "Uploads"),
    ("post", "/uploads/{upload_id}/complete", "completeUpload", "Uploads"),
    ("post", "/threads/{t}/runs/{r}/submit_tool_outputs", "submitToolOutputsToRun", "Assistants"),
    ("get", "/organization/certificates", "listOrganizationCertificates", "Certificates", LIST),
    ("post", "/organization/certificates/activate", "activateOrganizationCertificates", "Certificates"),
    ("get", "/organization/data_retention", "getDataRetention", "Admin", ONE),
    ("post", "/organization/data_retention", "updateDataRetention", "Admin"),
    ("get", "/organization/usage/completions", "usage-completions", "Usage"),
    ("get", "/organization/usage/embeddings", "usage-embeddings", "Usage"),
    ("get", "/evals/{e}/runs", "getEvalRuns", "Evals", LIST),
    ("get", "/evals/{e}/runs/{r}", "getEvalRun", "Evals"),
    ("post", "/responses", "createResponse", "Responses"),
    ("post", "/responses/compact", "compactConversation", "Responses"),
    ("post", "/responses?beta=true", "beta_createResponse", "Responses"),
    ("get", "/containers", "ListContainers", None, LIST),
    ("get", "/containers/{c}/files", "ListContainerFiles", None, LIST),
    ("post", "/containers/{c}/files", "CreateContainerFile", None),
]


def spec(ops: list[tuple], tags: list[dict[str, str]] | None = None) -> str:
    paths: dict[str, dict[str, object]] = {}
    for method, path, op_id, tag, *schema in ops:
        response: dict[str, object] = {"description": "ok"}
        if schema:
            response["content"] = {"application/json": {"schema": schema[0]}}
        op: dict[str, object] = {"responses": {"200": response}}
        if op_id:
            op["operationId"] = op_id
        if tag:
            op["tags"] = [tag]
        params = [p.strip("{}") for p in path.split("?")[0].split("/") if p.startswith("{")]
        if params:
            op["parameters"] = [
                {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in params
            ]
        paths.setdefault(path, {})[method] = op
    doc: dict[str, object] = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}
    if tags:
        doc["tags"] = tags
    return json.dumps(doc)


def tree(api: Api) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}

    def walk(resources: tuple[Resource, ...], prefix: str) -> None:
        for r in resources:
            key = prefix + "_".join(r.name.words)
            out[key] = ["_".join(op.name.words) for op in r.operations]
            walk(r.children, key + ".")

    walk(api.resources, "")
    return out


def test_resources_from_paths_methods_by_rest_shape() -> None:
    api, _ = build(loads(spec(OPENAI_LIKE), "s.json"))
    assert tree(api) == {
        "chat": [],
        "chat.completions": ["list", "create", "retrieve", "delete"],
        "chat.completions.messages": ["list"],  # a GET on a plural sub-path of an item: a sub-collection
        # a group of single calls: methods of the parent, named by the operationId (seed 002)
        "images": ["create_variation", "create_edit"],
        # sub-paths beside a resource of their own: resources, REST verbs
        "audio": [],
        "audio.speech": ["create"],
        "audio.transcriptions": ["create"],
        "audio.voices": ["retrieve"],
        "fine_tuning": [],
        "fine_tuning.alpha": [],
        "fine_tuning.alpha.graders": ["run", "validate"],  # calls named by their sub-paths
        "fine_tuning.jobs": ["create", "retrieve", "cancel"],  # a POST on an action sub-path is the action
        "fine_tuning.jobs.checkpoints": ["list"],
        "files": ["retrieve", "content"],  # a GET on a non-collection sub-path is named by it
        "uploads": ["create", "complete"],
        "uploads.parts": ["create"],  # `add...` on a plural sub-path: a member of a sub-collection
        "threads": [],
        "threads.runs": ["submit_tool_outputs"],  # an action, though its last word is plural
        "organization": [],
        "organization.certificates": ["list", "activate"],
        "organization.data_retention": ["retrieve", "update"],  # a singleton: its GET returns one object
        "organization.usage": ["completions", "embeddings"],
        "evals": [],
        "evals.runs": ["list", "retrieve"],
        # the call on the plain path keeps the REST name; its `?beta=true` twin its operationId's words
        "responses": ["create", "compact", "beta_create"],
        "containers": ["list"],
        "containers.files": ["list", "create"],
    }


def test_one_call_alone_below_a_namespace_or_a_collection() -> None:
    ops = [
        ("post", "/chat/completions", "createChatCompletion", "Chat"),
        ("post", "/images/variations", "createImageVariation", "Images"),
    ]
    api, _ = build(loads(spec(ops), "s.json"))
    assert tree(api) == {"chat": [], "chat.completions": ["create"], "images": ["create_variation"]}


def test_flat_rpc_paths_take_the_tag_or_the_dotted_prefix() -> None:
    ops = [
        ("post", "/getUser", "getUser", "Users"),
        ("post", "/deleteUser", "deleteUser", "Users"),
        ("post", "/chat.postMessage", "chatPostMessage", None),
        ("get", "/conversations.list", "conversationsList", None),
        ("get", "/ping", "ping", None),
        ("post", "/search", "searchEverything", "Search"),
        ("post", "/sendMessage", "sendMessage", None),
        ("get", "/pets", "listPets", None, LIST),  # a plural noun is a collection
    ]
    api, _ = build(loads(spec(ops), "s.json"))
    assert tree(api) == {
        "users": ["get", "delete"],
        "chat": ["post_message"],
        "conversations": ["list"],
        "ping": ["retrieve"],  # a singular noun: its one object
        "search": ["everything"],
        "message": ["send"],  # no tag: the verb is the method, the rest the resource
        "pets": ["list"],
    }


def test_a_shared_path_prefix_is_no_resource() -> None:
    ops = [
        ("get", "/api/v1/pets", "listPets", None, LIST),
        ("get", "/api/v1/pets/{id}", "showPet", None),
        ("get", "/api/v1/stores/{id}/Orders.json", "listOrders", None, LIST),
    ]
    api, _ = build(loads(spec(ops), "s.json"))
    assert tree(api) == {"pets": ["list", "retrieve"], "stores": [], "stores.orders": ["list"]}


def test_collisions_between_methods_and_with_resources() -> None:
    ops = [
        ("get", "/pets/{id}", "getPet", None),
        ("put", "/pets/{id}", "replacePet", None),
        ("patch", "/pets/{id}", "patchPet", None),  # both `update`: the later one takes its operationId
        ("get", "/pets/{id}/owner", "getPetOwner", None),  # a method `owner`...
        ("get", "/pets/owner/{x}", "getOwnerRecord", None),  # ...and a resource `owner`: the method yields
    ]
    api, _ = build(loads(spec(ops), "s.json"))
    got = tree(api)
    assert got["pets"] == ["retrieve", "update", "patch", "get_owner"]
    assert got["pets.owner"] == ["retrieve"]
    assert len(set(got["pets"])) == len(got["pets"])


def test_resource_docs_come_from_the_tag_that_names_them() -> None:
    ops = [
        ("get", "/batches", "listBatches", "Batch", LIST),
        ("get", "/threads", "listThreads", "Assistants", LIST),
    ]
    tags = [
        {"name": "Batch", "description": "Run jobs in bulk."},
        {"name": "Assistants", "description": "Build."},
    ]
    api, _ = build(loads(spec(ops, tags), "s.json"))
    docs = {r.name.original: r.docs for r in api.resources}
    assert docs == {"batches": "Run jobs in bulk.", "threads": "Build."}  # the only tag of its operations


def test_names_table_places_operations_and_whole_resources() -> None:
    names = {
        "createImageEdit": "images.edit",
        "getEvalRuns": "evals.runs.list_all",
        "POST /images/variations": "images.create_variation",  # by route, for specs without operationIds
        "/organization": "admin.organization",  # a path prefix: every operation under it
        "/audio/speech": "beta.speech",
        "/responses?beta=true": "beta.responses",  # a prefix with a query: only the paths that carry it
    }
    api, _ = build(loads(spec(OPENAI_LIKE), "s.json"), names)
    got = tree(api)
    assert got["images"] == ["create_variation", "edit"]
    assert got["evals.runs"] == ["list_all", "retrieve"]
    assert got["admin.organization.certificates"] == ["list", "activate"]
    assert got["admin.organization.usage"] == ["completions", "embeddings"]
    assert got["beta.speech"] == ["create"]
    assert got["beta.responses"] == ["create"]
    assert got["responses"] == ["create", "compact"]
    assert "organization" not in got and "audio.speech" not in got


def test_a_prefix_entry_makes_a_call_its_resource_call() -> None:
    api, _ = build(loads(spec(OPENAI_LIKE), "s.json"), {"/images/variations": "images.variations"})
    got = tree(api)
    assert got["images.variations"] == ["create"] and got["images"] == ["create_edit"]


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ({"nope": "a.b"}, "no operation has operationId 'nope'"),
        ({"GET /nowhere": "a.b"}, "no operation has operationId 'GET /nowhere'"),
        ({"/nowhere": "a"}, "no path starts with '/nowhere'"),
        ({"/images": ""}, "must be 'resource'"),
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
        {
            "spec": "s",
            "target": "python",
            "out": "o",
            "names": {"createImageEdit": "images.edit", "/a": "b.a"},
        },
        where="pyproject.toml",
    )
    assert job.names == {"createImageEdit": "images.edit", "/a": "b.a"}
    with pytest.raises(ConfigError, match="'names' must be a table"):
        job_from_mapping({"spec": "s", "target": "python", "out": "o", "names": {"a": 1}}, where="x")


def test_a_paged_get_is_a_list_whatever_its_object_looks_like() -> None:
    """DigitalOcean's shape: the list under the resource's own name, the next page in `links`: pages
    make it a list (`list`), where the object alone would read as a singleton (`retrieve`)."""
    droplets = {
        "type": "object",
        "properties": {
            "droplets": {"type": "array", "items": {"type": "object"}},
            "links": {
                "type": "object",
                "properties": {"pages": {"type": "object", "properties": {"next": {"type": "string"}}}},
            },
        },
    }
    doc = json.loads(
        spec(
            [
                ("get", "/droplets", "droplets_list", None, droplets),
                ("post", "/droplets", "droplets_create", None),
            ]
        )
    )
    doc["paths"]["/droplets"]["get"]["parameters"] = [
        {"name": "page", "in": "query", "schema": {"type": "integer"}}
    ]
    api, _ = build(loads(json.dumps(doc), "s.json"))
    assert tree(api) == {"droplets": ["list", "create"]}
    (listed, _) = api.resources[0].operations
    assert listed.pagination is not None and listed.pagination.next == ("links", "pages", "next")
