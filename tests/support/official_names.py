"""What the official `openai` Python package calls each HTTP call, read from its own source.

Walks the resources of `openai.OpenAI` (attributes that are API resources), and in each public method
finds the calls to `self._get`, `self._post`, ... with their path (a literal, an f-string or
`path_template("...")`) and HTTP method (`method="post"` overrides, as `_get_api_list` takes it).
Paths are compared with parameters as `{}`: `("get", "/batches/{}")` -> ["batches.retrieve"].
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from functools import cached_property
from typing import Any

__all__ = ["official_names", "route"]

_VERBS = {"_get": "get", "_post": "post", "_put": "put", "_patch": "patch", "_delete": "delete", "_get_api_list": "get"}


def route(method: str, path: str) -> tuple[str, str]:
    """`("GET", "/a/{id}?x=1")` -> ("get", "/a/{}")."""
    return method.lower(), re.sub(r"\{[^}]*\}", "{}", path.split("?", 1)[0])


def _calls(function: Any) -> list[tuple[str, str]]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    out: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _VERBS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "self"
            and node.args
        ):
            continue
        arg = node.args[0]
        if isinstance(arg, ast.Call) and arg.args:  # path_template("/a/{id}", id=id)
            arg = arg.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            path = arg.value
        elif isinstance(arg, ast.JoinedStr):
            path = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in arg.values)
        else:
            continue
        verb = _VERBS[node.func.attr]
        for kw in node.keywords:
            if kw.arg == "method" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                verb = kw.value.value
        out.append(route(verb, path))
    return out


def official_names() -> dict[tuple[str, str], list[str]]:
    """Every HTTP call of the official client, with the dotted names of the methods that make it."""
    import openai
    from openai._resource import SyncAPIResource

    out: dict[tuple[str, str], list[str]] = {}

    def walk(obj: object, trail: tuple[str, ...]) -> None:
        cls = type(obj)
        for name in sorted(dir(cls)):
            if name.startswith("_") or name.startswith("with_"):
                continue
            attr = inspect.getattr_static(cls, name)
            if isinstance(attr, cached_property):
                child = getattr(obj, name)
                if isinstance(child, SyncAPIResource):
                    walk(child, (*trail, name))
            elif inspect.isfunction(attr) and trail:
                for key in _calls(attr):
                    names = out.setdefault(key, [])
                    if ".".join((*trail, name)) not in names:
                        names.append(".".join((*trail, name)))

    walk(openai.OpenAI(api_key="sk-none", base_url="http://127.0.0.1:9"), ())
    return out
