"""The docs target: a Markdown reference per operation and per schema, from the same IR as the SDKs.

Names in examples come from the SDK targets' own naming code, so the docs can never disagree with them.
"""

from __future__ import annotations

import functools
import json
import keyword
import re
import shlex
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast
from urllib.parse import quote

from .. import jsontext
from ..diagnostics import Diagnostic
from ..escape import count_site_links, md_anchor, md_block, md_code, md_inline, md_text, site_link_filters
from ..ir.model import (
    Api,
    Array,
    Const,
    Enum,
    Field,
    File,
    Map,
    NamedType,
    Nullable,
    Object,
    Operation,
    Pagination,
    Primitive,
    Ref,
    Resource,
    Type,
    Union,
    Value,
)
from ..naming import singular, split_words
from .base import Job, PlannedFile, Target, query_pairs, shared_target
from .examples import example_value, ordered_fields, synthesize
from .perl import PerlTarget, perl_data
from .python import PythonTarget, _cli_method, cli_word, py_str, py_value
from .typescript import TypeScriptTarget, ts_identifier, ts_str

__all__ = ["DocsTarget"]

_SUMMARY_FIELDS = 3


def tree_entries(root: Mapping[str, Any], indent: str = "", step: str = "  ") -> list[tuple[str, Any]]:
    """A tree of entries (each with its `children`) in reading order, each with its indent: the docs lay out
    a tree in one loop instead of a macro calling itself once for each entry."""
    out: list[tuple[str, Any]] = []
    todo: list[tuple[str, Mapping[str, Any]]] = [(indent, root)]
    while todo:
        at, node = todo.pop()
        out.append((at, node))
        inner = at + step
        todo.extend((inner, child) for child in reversed(node["children"]))
    return out


class DocsTarget(Target):
    name = "docs"
    #: the pages' file names: a subclass writing another format (the HTML site) changes these
    page_suffix = ".md"
    index_page = "README.md"

    filters: Mapping[str, Any] = {
        "md_text": md_text,
        "md_code": md_code,
        "md_block": md_block,
        "md_anchor": md_anchor,
        "md_inline": md_inline,
        "tree_entries": tree_entries,
    }

    def __init__(self, api: Api, job: Job) -> None:
        self.api = api
        self.job = job
        #: links the spec writes relative to its owner's site (`/docs/guides/x`) are made absolute on it
        self.base_url = str(job.options.get("docs-base-url", ""))
        self.filters = {**type(self).filters, **site_link_filters(self.base_url)}
        # the SDK targets' views: those of this run's SDK jobs when their names are the same
        self.python = shared_target(PythonTarget, api, job)
        # the Perl example names what the Perl target generates; its package from the job's options
        perl_package = str(job.options.get("perl-package", ""))
        self.perl = shared_target(PerlTarget, api, replace(job, package_name=perl_package))
        ts_package = str(job.options.get("typescript-package", "")) or self.python.package.replace("_", "-")
        self.typescript = shared_target(TypeScriptTarget, api, replace(job, package_name=ts_package))
        #: operationId -> (the resource's path on the client, the TypeScript method): examples match that SDK
        self.ts_methods: dict[str, tuple[str, dict[str, Any]]] = {
            m["op_id"]: (".".join(view["path"]), m)
            for view in self.typescript.resource_views
            for m in view["methods"]
        }
        #: operation pointer -> the Perl method (and a list's walkers)
        self.perl_subs = self.perl.sub_names()
        self.schema_pages = {
            name: f"schemas/{view.class_name}{self.page_suffix}" for name, view in self.python.types.items()
        }
        self._subtrees: dict[tuple[str, str, frozenset[str]], list[dict[str, Any]]] = {}
        self._reached: dict[str, frozenset[str]] = {}
        self._examples: dict[str, str] = {}

    # -- type text as the reference pages write it ---------------------------------------------

    def type_text(self, t: Type, *, expand: bool = True) -> str:
        if isinstance(t, Nullable):
            return self.type_text(t.inner, expand=expand)
        if isinstance(t, Primitive):
            return {"string": "string", "integer": "number", "number": "number", "boolean": "boolean"}.get(
                t.kind, "unknown"
            )
        if isinstance(t, Enum):
            return " or ".join(json.dumps(v) for v in t.values)
        if isinstance(t, Const):
            return json.dumps(t.value)
        if isinstance(t, File):
            return "file"
        if isinstance(t, Array):
            return f"array of {self.type_text(t.item, expand=False)}"
        if isinstance(t, Map):
            return f"map of {self.type_text(t.value, expand=False)}"
        if isinstance(t, Union):
            return " or ".join(self.type_text(v, expand=False) for v in t.variants)
        if isinstance(t, Ref):
            named = self.api.named(t.name)
            inner = named.type.inner if isinstance(named.type, Nullable) else named.type
            if isinstance(inner, Object):
                return self.object_summary(inner) if expand else self.python.types[t.name].class_name
            return self.python.types[t.name].class_name
        if isinstance(t, Object):
            return self.object_summary(t)
        return "unknown"

    @staticmethod
    def object_summary(obj: Object) -> str:
        names = [f.wire_name for f in ordered_fields(obj)]
        if not names:
            return "object"
        shown = (
            names
            if len(names) <= _SUMMARY_FIELDS
            else names[:_SUMMARY_FIELDS] + [f"{len(names) - _SUMMARY_FIELDS} more"]
        )
        return "object { " + ", ".join(shown) + " }"

    def links(self, t: Type, prefix: str) -> list[dict[str, str]]:
        """Links to the schema pages of the named types `t` mentions."""
        names: list[str] = []

        def walk(x: Type) -> None:
            if isinstance(x, Nullable):
                walk(x.inner)
            elif isinstance(x, Array):
                walk(x.item)
            elif isinstance(x, Map):
                walk(x.value)
            elif isinstance(x, Union):
                for v in x.variants:
                    walk(v)
            elif isinstance(x, Ref) and x.name not in names:
                names.append(x.name)

        walk(t)
        return [
            {"name": self.python.types[n].class_name, "href": prefix + self.schema_pages[n]} for n in names
        ]

    # -- trees ---------------------------------------------------------------------------------

    def field_node(self, f: Field, prefix: str, seen: frozenset[str]) -> dict[str, Any]:
        t = f.type
        return {
            "code": f"{f.wire_name}: {'' if f.required else 'optional '}{self.type_text(t)}",
            "docs": f.docs,
            "facts": _facts(f.constraints, f.has_default, f.default, f.deprecated),
            "enum_values": self.enum_values(t),
            "links": self.links(t, prefix),
            "children": self.children(t, prefix, seen),
        }

    def enum_values(self, t: Type) -> list[str]:
        t = self.api.resolve(t.inner if isinstance(t, Nullable) else t)
        t = t.inner if isinstance(t, Nullable) else t
        return [json.dumps(v) for v in t.values] if isinstance(t, Enum) else []

    def children(self, t: Type, prefix: str, seen: frozenset[str]) -> list[dict[str, Any]]:
        """The fields of the object `t` is (or holds in an array), unless we are inside it already.

        A named type's subtree is made once for each prefix and each part of `seen` it can meet (most
        pages show the same types: made once, shown many times)."""
        while isinstance(t, (Nullable, Array)):
            t = t.inner if isinstance(t, Nullable) else t.item
        if isinstance(t, Ref):
            if t.name in seen:
                return []
            key = (t.name, prefix, seen & self.reach(t.name))
            found = self._subtrees.get(key)
            if found is None:
                resolved = self.api.resolve(t)
                resolved = resolved.inner if isinstance(resolved, Nullable) else resolved
                inside = seen | {t.name}
                found = self._subtrees[key] = (
                    [self.field_node(f, prefix, inside) for f in ordered_fields(resolved)]
                    if isinstance(resolved, Object)
                    else []
                )
            return found
        if isinstance(t, Object):
            return [self.field_node(f, prefix, seen) for f in ordered_fields(t)]
        return []

    def reach(self, name: str) -> frozenset[str]:
        """The named types a tree below `name` can meet: through nullables, arrays, references and object
        fields, as `children` walks (and through the aliases `resolve` follows)."""
        found = self._reached.get(name)
        if found is None:
            out: set[str] = set()
            todo = [name]
            while todo:
                n = todo.pop()
                if n not in out:
                    out.add(n)
                    todo.extend(_names_in(self.api.named(n).type))
            found = self._reached[name] = frozenset(out)
        return found

    def example_text(self, t: Type) -> str:
        """A synthesized example of `t` as indented JSON; a named type's made once (its schema page and
        the operations returning it show the same)."""
        if not isinstance(t, Ref):
            return jsontext.dumps(synthesize(self.api, t))
        found = self._examples.get(t.name)
        if found is None:
            found = self._examples[t.name] = jsontext.dumps(synthesize(self.api, t))
        return found

    def returns_tree(self, t: Type | None, prefix: str) -> dict[str, Any] | None:
        if t is None:
            return None
        docs = ""
        code = self.type_text(t)
        if isinstance(t, Ref):
            named = self.api.named(t.name)
            code = f"{self.python.types[t.name].class_name} = {self.type_text(t)}"
            docs = named.docs or named.title
        return {
            "code": code,
            "docs": docs,
            "facts": [],
            "enum_values": self.enum_values(t),
            "links": self.links(t, prefix),
            "children": self.children(t, prefix, frozenset()),
        }

    # -- examples ------------------------------------------------------------------------------

    def example_values(
        self, op: Operation, method: dict[str, Any]
    ) -> list[tuple[dict[str, Any], Value, bool]]:
        """The parameters an example passes (the required ones and those with examples), their values, and
        whether each is a file."""
        values: list[tuple[dict[str, Any], Value, bool]] = []
        fields = self.param_sources(op)
        for p in method["params"]:
            src = fields.get((p["location"], p["wire_name"]))
            if src is None:
                continue
            t, example, has_example, default, has_default, required = src
            if not (required or has_example):
                continue
            values.append(
                (
                    p,
                    example_value(self.api, t, p["wire_name"], example, has_example, default, has_default),
                    self.python.cli_kind(t)[0] == "file",
                )
            )
        return values

    def examples(
        self, op: Operation, method: dict[str, Any], resource: dict[str, Any]
    ) -> list[dict[str, str]]:
        values = self.example_values(op, method)
        client = self.python.client
        package = self.python.package
        result_var = self.result_name(op)
        out = [{"label": "curl", "language": "sh", "code": self.curl(op, values)}]

        py_args = _py_args(values)
        call = f"{result_var} = client.{resource['attr']}.{method['name']}("
        python = [f"from {package} import {client}", "", f"client = {client}()", ""]
        python += ([call] + py_args + [")"]) if py_args else [call + ")"]
        python.append(f"print({result_var})" if method["return_annotation"] != "None" else "")
        out.append({"label": "Python", "language": "python", "code": "\n".join(python).rstrip() + "\n"})

        ts_method = self.ts_methods[op.id]
        ts_path, ts_ctx = ts_method
        ts_result = ts_identifier(result_var)  # `import_`: a reserved word cannot name a variable
        ts_result += "Result" if ts_result in ("client", "fs") else ""
        ts_call = f"const {ts_result} = await client.{ts_path}.{ts_ctx['name']}({ts_ctx['example_args']});"
        ts = [
            "import fs from 'fs';" if ts_ctx["example_uses_fs"] else "",
            f"import {client} from {ts_str(self.typescript.package)};",
            "",
            f"const client = new {client}();",
            "",
            ts_call,
        ]
        ts.append(f"console.log({ts_result});" if ts_ctx["returns"] != "void" else "")
        out.append(
            {
                "label": "TypeScript",
                "language": "typescript",
                "code": "\n".join(ts).strip("\n") + "\n",
            }
        )

        out.append({"label": "CLI", "language": "sh", "code": self.cli_example(resource, method, values)})
        out.append({"label": "Perl", "language": "perl", "code": self.perl_example(op, values)})
        for spec_example in op.examples:
            out.append(
                {
                    "label": f"From the spec ({spec_example.language})",
                    "language": _fence_language(spec_example.language),
                    "code": spec_example.code,
                }
            )
        return _fenced(out)

    def pages(self, op: Operation, method: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any] | None:
        """A list operation's pages: how the next one is asked for, and how each SDK walks them all."""
        p = op.pagination
        if p is None:
            return None
        values = self.example_values(op, method)
        client = self.python.client
        name = singular(str(resource["attr"]).rpartition(".")[2])
        item = name if name.isidentifier() and not keyword.iskeyword(name) and name != "client" else "item"
        item = item if ts_identifier(item) == item else "item"
        py_args = _py_args(values)
        head = f"client.{resource['attr']}.{method['name']}("
        call = "\n".join([head, *py_args, ")"]) if py_args else head + ")"
        python = [f"from {self.python.package} import {client}", "", f"client = {client}()", ""]
        python += [f"for {item} in {call}:", f"    print({item})"]
        async_python = ["import asyncio", "", f"from {self.python.package} import Async{client}", ""]
        async_python += [f"client = Async{client}()", "", "", "async def main() -> None:"]
        async_python += [
            f"    async for {item} in " + call.replace("\n", "\n    ") + ":",
            f"        print({item})",
        ]
        async_python += ["", "", "asyncio.run(main())"]
        ts_path, ts_ctx = self.ts_methods[op.id]
        ts = [
            f"import {client} from {ts_str(self.typescript.package)};",
            "",
            f"const client = new {client}();",
            "",
        ]
        ts += [f"for await (const {item} of client.{ts_path}.{ts_ctx['name']}({ts_ctx['example_args']})) {{"]
        ts += [f"  console.log({item});", "}"]
        cli = self.cli_example(resource, method, values).rstrip("\n").split(" \\\n")
        cli[0] += " --all"
        perl_sub = self.perl_subs[op.pointer]
        package = self.perl.package
        perl = [f"use {package};", "", f"my $client = {package}->new;", ""]
        perl += [f"my $next = $client->{perl_sub['iter_sub']}({perl_data(_perl_args(values))});"]
        perl += ["while (defined(my $item = $next->())) {", '    print $item->{id}, "\\n";', "}"]
        if not any(f.wire_name == "id" for f in _fields(self.api, p.item_type)):
            perl[-2] = '    print JSON::PP->new->canonical->encode($item), "\\n";'
        examples = [
            {"label": "Python", "language": "python", "code": "\n".join(python) + "\n"},
            {"label": "Python (async)", "language": "python", "code": "\n".join(async_python) + "\n"},
            {"label": "TypeScript", "language": "typescript", "code": "\n".join(ts) + "\n"},
            {"label": "CLI (JSON Lines, an item a line)", "language": "sh", "code": " \\\n".join(cli) + "\n"},
            {"label": "Perl", "language": "perl", "code": "\n".join(perl) + "\n"},
        ]
        return {"how": _paging_text(p), "examples": _fenced(examples)}

    def cli_example(
        self,
        resource: dict[str, Any],
        method: dict[str, Any],
        values: list[tuple[dict[str, Any], Value, bool]],
    ) -> str:
        cli_name = self.job.cli_name or self.python.client.lower()
        command = self.cli_command(resource, method)  # the generated CLI's own table: same names, same flags
        flags = {f["dest"]: f["flag"] for f in command["flags"]}
        line = " ".join([cli_name, command["resource"], command["method"]])
        args = [
            f"  {flags[p['name']]} {shlex.quote(value if isinstance(value, str) else json.dumps(value))}"
            for p, value, _ in values
        ]
        return " \\\n".join([line] + args) + "\n"

    def perl_example(self, op: Operation, values: list[tuple[dict[str, Any], Value, bool]]) -> str:
        package = self.perl.package
        lines = [f"use {package};", "", f"my $client = {package}->new;", ""]
        call = f"my $result = $client->{self.perl_subs[op.pointer]['sub']}({perl_data(_perl_args(values))});"
        lines += [call, "print JSON::PP->new->pretty->canonical->encode($result);"]
        return "\n".join(lines) + "\n"

    def cli_command(self, resource: dict[str, Any], method: dict[str, Any]) -> dict[str, Any]:
        """The resource and method commands and the flags of one method, from the CLI's own table."""
        cli_method = cast(dict[str, Any], _cli_method(method))
        words = [cli_word(part) for part in str(resource["attr"]).split(".")]
        return {"resource": " ".join(words), "method": cli_method["command"], "flags": cli_method["flags"]}

    def param_sources(
        self, op: Operation
    ) -> dict[tuple[str, str], tuple[Type, Value, bool, Value, bool, bool]]:
        out: dict[tuple[str, str], tuple[Type, Value, bool, Value, bool, bool]] = {}
        for p in op.params:
            out[(p.location, p.wire_name)] = (
                p.type,
                p.example,
                p.has_example,
                p.default,
                p.has_default,
                p.required,
            )
        if op.body is not None:
            resolved = self.api.resolve(op.body.type)
            if isinstance(resolved, Object) and op.body.kind in ("json", "multipart", "form"):
                for f in resolved.fields:
                    out[("body", f.wire_name)] = (
                        f.type,
                        f.example,
                        f.has_example,
                        f.default,
                        f.has_default,
                        f.required,
                    )
            else:
                out[("body", "body")] = (op.body.type, None, False, None, False, op.body.required)
        return out

    def result_name(self, op: Operation) -> str:
        success = op.success
        if success and success.contents and isinstance(success.contents[0].type, Ref):
            return (
                "_".join(split_words(self.python.types[success.contents[0].type.name].class_name)) or "result"
            )
        return "result"

    def curl(self, op: Operation, values: list[tuple[dict[str, Any], Value, bool]]) -> str:
        server = self.api.servers[0].default_url if self.api.servers else "http://localhost"
        path = op.path
        query: list[tuple[str, str]] = []
        lines: list[str] = []
        styles = {p.wire_name: (p.style, p.explode) for p in op.params if p.location == "query"}
        for p, value, _ in values:
            text = value if isinstance(value, str) else json.dumps(value)
            if p["location"] == "path":
                path = path.replace("{" + p["wire_name"] + "}", str(text))
            elif p["location"] == "query":
                style, explode = styles.get(p["wire_name"], ("form", True))
                arrays, objects = self.job.query_arrays, self.job.query_objects
                query += query_pairs(p["wire_name"], value, style, explode, arrays, objects)
            elif p["location"] == "header":
                lines.append(f"-H {shlex.quote(p['wire_name'] + ': ' + str(text))}")
        # percent-encoded as the SDKs send it (so curl globs no `[]`)
        search = "&".join(f"{quote(k, safe='')}={quote(v, safe=',')}" for k, v in query)
        url = server.rstrip("/") + path + ("?" + search if search else "")
        head = (
            [f"curl -X {op.method.upper()} {shlex.quote(url)}"]
            if op.method != "get"
            else [f"curl {shlex.quote(url)}"]
        )
        auth = self.python.auth(op)
        env = f"${self.python.env_prefix}_API_KEY"
        if "bearer" in auth:
            head.append(f'-H "Authorization: Bearer {env}"')
        for how in auth:
            if how.startswith("header:"):
                head.append(f'-H "{how[7:]}: {env}"')
        body = op.body
        body_values = [(p, v, f) for p, v, f in values if p["location"] == "body"]
        if body is not None and body.kind == "multipart":
            for p, value, is_file in body_values:
                text = value if isinstance(value, str) else json.dumps(value)
                lines.append("-F " + shlex.quote(f"{p['wire_name']}={'@' if is_file else ''}{text}"))
        elif body is not None and body.kind == "form":
            for p, value, _ in body_values:
                text = value if isinstance(value, str) else json.dumps(value)
                lines.append("--data-urlencode " + shlex.quote(f"{p['wire_name']}={text}"))
        elif body is not None and body.kind == "json" and body_values:
            payload = {p["wire_name"]: v for p, v, _ in body_values}
            if list(payload) == ["body"] and body_values[0][0]["name"] == "body":
                payload_value: Value = payload["body"]
            else:
                payload_value = payload
            lines.append("-H 'Content-Type: application/json'")
            lines.append("-d " + shlex.quote(json.dumps(payload_value)))
        elif body is not None and body.kind == "binary" and body_values:
            lines.append("-H 'Content-Type: application/octet-stream'")
            lines.append("--data-binary " + shlex.quote(f"@{body_values[0][1]}"))
        return " \\\n  ".join(head + lines) + "\n"

    def operation_extras(
        self, op: Operation, method: dict[str, Any], resource: dict[str, Any], up: str
    ) -> dict[str, Any]:
        """More of an operation page's context, for a subclass (the HTML site adds its signatures)."""
        return {}

    def diagnostics(self) -> list[Diagnostic]:
        """One warning when descriptions link into their owner's site where no `docs-base-url` can lead."""
        count = sum(count_site_links(text, self.base_url) for text in _texts(self.api))
        if not count:
            return []
        how = "" if self.base_url else "; set the job option docs-base-url to link those from its root"
        return [
            Diagnostic(
                "warning",
                f"{count} links in descriptions lead into the API owner's site (/docs/..., ../x):"
                f" they are shown as text{how}",
            )
        ]

    # -- the plan ------------------------------------------------------------------------------

    def plan(self) -> list[PlannedFile]:
        spec = md_text(self.api.spec_path).replace("--", "-")  # nothing may close the comment early
        header = f"<!-- Generated by sdkgen from {spec}. Do not edit. -->"
        base = {"header": header, "title": self.api.title, "version": self.api.version}
        files: list[PlannedFile] = []
        index_resources = []
        # the Python SDK's own names, so examples match it
        for entry, py_resource in self.python.resource_contexts:
            resource, attr = entry.resource, entry.path
            if not resource.operations:
                continue
            folder = entry.path.replace(".", "/")
            up = "../" * (folder.count("/") + 1)  # from the page's folder back to the top
            methods = []
            for op, method in zip(resource.operations, py_resource["methods"], strict=True):
                page = f"{folder}/{method['name'].rstrip('_')}{self.page_suffix}"
                title = op.title or op.summary or f"{op.method.upper()} {op.path}"
                # the page's context is made where it is rendered, on either core (generator/produce.py)
                context = functools.partial(self.operation_page, base, op, method, py_resource, title, up)
                files.append(PlannedFile(page, "operation.md.jinja", context))
                methods.append(
                    {
                        "title": title,
                        "href": page,
                        "summary": op.summary or title,
                        "http": f"{op.method.upper()} {op.path}",
                        "call": f"client.{attr}.{method['name']}",
                    }
                )
            index_resources.append(
                {
                    "name": " / ".join(
                        " ".join(n.name.words).capitalize() or n.name.original
                        for n in _trail(self.api.resources, resource)
                    ),
                    "docs": resource.docs,
                    "methods": methods,
                }
            )

        schemas = []
        for named in self.api.types:
            view = self.python.types[named.name.original]
            page = self.schema_pages[named.name.original]
            schemas.append(
                {"name": view.class_name, "href": page, "summary": _first_line(named.docs or named.title)}
            )
            context = functools.partial(self.schema_page, base, named, page)
            files.append(PlannedFile(page, "schema.md.jinja", context))
        files.append(
            PlannedFile(
                self.index_page,
                "index.md.jinja",
                {
                    **base,
                    "description": self.api.description,
                    "resources": index_resources,
                    "schemas": sorted(schemas, key=lambda s: s["name"]),
                    "server": self.api.servers[0] if self.api.servers else None,
                },
            )
        )
        return files

    def operation_page(
        self,
        base: Mapping[str, Any],
        op: Operation,
        method: dict[str, Any],
        py_resource: dict[str, Any],
        title: str,
        up: str,
    ) -> dict[str, Any]:
        """An operation's page: `up` leads from its folder back to the top."""
        success = op.success
        media = success.contents[0] if success and success.contents else None
        params = []
        sources = self.param_sources(op)
        for p in method["params"]:
            src = sources.get((p["location"], p["wire_name"]))
            t = src[0] if src else Primitive("any")
            required = p["required"]
            params.append(
                {
                    "code": f"{p['wire_name']}: {'' if required else 'optional '}{self.type_text(t)}",
                    "location": p["location"],
                    "docs": p["docs"],
                    "facts": _param_facts(self.api, op, p),
                    "enum_values": self.enum_values(t),
                    "links": self.links(t, up),
                    "children": [],
                }
            )
        response_example = None
        if media is not None and media.type is not None:
            response_example = self.example_text(media.type)
        return {
            **base,
            "op_title": title,
            "method": op.method,
            "path": op.path,
            "description": op.description or op.summary,
            "deprecated": op.deprecated,
            "params": params,
            "returns": self.returns_tree(media.type if media else None, up),
            "returns_media": media.media_type if media else "",
            "examples": self.examples(op, method, py_resource),
            "pages": self.pages(op, method, py_resource),
            "response_example": response_example,
            "index_href": up + self.index_page,
            "python_call": f"client.{py_resource['attr']}.{method['name']}",
            **self.operation_extras(op, method, py_resource, up),
        }

    def schema_page(self, base: Mapping[str, Any], named: NamedType, page: str) -> dict[str, Any]:
        tree = self.returns_tree(Ref(named.name.original), "../")
        if tree is not None:  # no link from a schema's page to itself
            tree["links"] = [link for link in tree["links"] if link["href"] != "../" + page]
        return {
            **base,
            "name": self.python.types[named.name.original].class_name,
            "docs": named.docs,
            "tree": tree,
            "example": self.example_text(Ref(named.name.original)),
            "index_href": "../" + self.index_page,
            "deprecated": named.deprecated,
        }


def _names_in(t: Type) -> list[str]:
    """The named types `t` refers to, through nullables, arrays and object fields."""
    while isinstance(t, (Nullable, Array)):
        t = t.inner if isinstance(t, Nullable) else t.item
    if isinstance(t, Ref):
        return [t.name]
    if isinstance(t, Object):
        return [n for f in t.fields for n in _names_in(f.type)]
    return []


def _py_args(values: list[tuple[dict[str, Any], Value, bool]]) -> list[str]:
    """A Python call's arguments, a line each: the positional one first, as the method takes it."""
    return [
        ("    " if p["positional"] else f"    {p['name']}=")
        + (f'open({py_str(str(value))}, "rb")' if is_file else py_value(value))
        + ","
        for p, value, is_file in values
    ]


def _perl_args(values: list[tuple[dict[str, Any], Value, bool]]) -> dict[str, Value]:
    """A Perl method's argument: the parameters by name, the body's fields under `body`."""
    body = {p["wire_name"]: v for p, v, _ in values if p["location"] == "body"}
    top: dict[str, Value] = {p["wire_name"]: v for p, v, _ in values if p["location"] != "body"}
    return {**top, **({"body": body} if body else {})}


def _fenced(examples: list[dict[str, str]]) -> list[dict[str, str]]:
    """The examples, each with a code fence longer than any run of backticks in its code."""
    for e in examples:
        longest = max((len(run) for run in re.findall(r"`{3,}|~{3,}", e["code"])), default=2)
        e["fence"] = "`" * max(3, longest + 1)
    return examples


def _fields(api: Api, t: Type) -> tuple[Field, ...]:
    resolved = api.resolve(t)
    return resolved.fields if isinstance(resolved, Object) else ()


def _paging_text(p: Pagination) -> str:
    """How the next page is asked for, in a sentence of Markdown."""

    def code(path: tuple[str, ...] | str) -> str:
        return md_code(".".join(path) if isinstance(path, tuple) else path)

    where = f"the response's {code(p.items)}" if p.items else "the response"
    if p.scheme == "single":
        return f"The whole list comes in one response ({where}); the SDKs iterate over it as over pages."
    how = {
        "cursor": f"the query parameter {code(p.param)} takes "
        + (f"the response's {code(p.next)}" if p.next else f"the last item's {code(p.item_field)}"),
        "page": f"the page number {code(p.param)} counts up from the one asked for (1 when none is)",
        "offset": f"the offset {code(p.param)} moves on by the number of items received",
        "next_url": f"the next page is the URL in the response's {code(p.next)}",
        "link_header": 'the next page is the URL of the `Link` response header\'s `rel="next"`',
    }[p.scheme]
    stop = "a page without items" + (f", {code(p.has_more)} false" if p.has_more else "")
    return (
        f"It answers one page of the list ({where}). The SDKs walk every page for you: {how}; "
        f"the other parameters stay as given. The walk ends at {stop}, or a cursor or URL seen before."
    )


def _first_line(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def _number(v: float) -> str:
    return json.dumps(v)


def _facts(constraints: Any, has_default: bool, default: Value, deprecated: bool) -> list[str]:
    facts = []
    pairs = (
        ("minimum", constraints.minimum),
        ("maximum", constraints.maximum),
        ("exclusive minimum", constraints.exclusive_minimum),
        ("exclusive maximum", constraints.exclusive_maximum),
        ("min length", constraints.min_length),
        ("max length", constraints.max_length),
        ("min items", constraints.min_items),
        ("max items", constraints.max_items),
    )
    for label, value in pairs:
        if value is not None:
            facts.append(f"{label} {_number(value)}")
    if constraints.pattern is not None:
        facts.append("pattern " + md_code(constraints.pattern))
    if has_default:
        facts.append("default " + md_code(json.dumps(default, ensure_ascii=False)))
    if deprecated:
        facts.append("deprecated")
    return facts


def _param_facts(api: Api, op: Operation, p: dict[str, Any]) -> list[str]:
    for param in op.params:
        if (param.location, param.wire_name) == (p["location"], p["wire_name"]):
            return _facts(param.constraints, param.has_default, param.default, param.deprecated)
    if op.body is not None:
        resolved = api.resolve(op.body.type)
        if isinstance(resolved, Object):
            for f in resolved.fields:
                if f.wire_name == p["wire_name"]:
                    return _facts(f.constraints, f.has_default, f.default, f.deprecated)
    return []


def _fence_language(label: str) -> str:
    lowered = label.lower()
    for key, lang in (
        ("curl", "sh"),
        ("python", "python"),
        ("node", "javascript"),
        ("javascript", "javascript"),
        ("typescript", "typescript"),
        ("go", "go"),
        ("java", "java"),
        ("ruby", "ruby"),
        ("csharp", "csharp"),
        ("c#", "csharp"),
    ):
        if key in lowered:
            return lang
    return ""


def _trail(resources: tuple[Resource, ...], target: Resource) -> list[Resource]:
    """The resources from the top down to `target` (`Chat`, `completions`)."""
    for resource in resources:
        if resource is target:
            return [resource]
        below = _trail(resource.children, target)
        if below:
            return [resource, *below]
    return []


def _texts(api: Api) -> list[str]:
    """Every description the pages show: the API's, its resources', operations', parameters', types' and
    their fields' (inline objects included)."""
    out = [api.description]

    def fields(t: Type) -> None:
        if isinstance(t, Nullable):
            fields(t.inner)
        elif isinstance(t, Array):
            fields(t.item)
        elif isinstance(t, Map):
            fields(t.value)
        elif isinstance(t, Union):
            for v in t.variants:
                fields(v)
        elif isinstance(t, Object):
            for f in t.fields:
                out.append(f.docs)
                fields(f.type)

    def resources(items: tuple[Resource, ...]) -> None:
        for r in items:
            out.append(r.docs)
            for op in r.operations:
                out.extend([op.description, op.summary])
                for p in op.params:
                    out.append(p.docs)
                    fields(p.type)
                if op.body is not None:
                    out.append(op.body.docs)
                    fields(op.body.type)
            resources(r.children)

    resources(api.resources)
    for named in api.types:
        out.append(named.docs)
        fields(named.type)
    return out
