"""The Perl target: a Perl 5 distribution (core modules only) and its POD, from the same IR.

Every name and every piece of spec text is computed and escaped here for its exact context: single-quoted
Perl string literals and POD paragraphs.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any

from .. import jsontext
from ..escape import site_links
from ..ir.model import (
    Api,
    Array,
    Const,
    Enum,
    Field,
    File,
    Map,
    Nullable,
    Object,
    Operation,
    Primitive,
    Ref,
    Type,
    Union,
)
from ..naming import pascal, snake, split_words
from .base import (
    Job,
    PlannedFile,
    Target,
    binary_media_types,
    event_stream,
    holds_file,
    json_like,
    unique,
)
from .examples import ordered_fields, synthesize

__all__ = ["PerlTarget", "perl_str", "pod_text"]

_PERL_RESERVED = {
    "new",
    "DESTROY",
    "AUTOLOAD",
    "BEGIN",
    "END",
    "INIT",
    "CHECK",
    "import",
    "unimport",
    "can",
    "isa",
    "VERSION",
    "DOES",
    "request",
    "api_key",
    "base_url",
    "timeout",
    "max_retries",
}


def perl_str(value: object) -> str:
    """A single-quoted Perl string literal: only backslash and quote are special there."""
    text = str(value)
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


#: control characters read as spaces; `<` and `>` as POD's escapes for them
_POD_CHARS = {c: " " for c in [*range(0x20), 0x7F] if c != ord("\n")} | {ord("<"): "E<lt>", ord(">"): "E<gt>"}


def pod_text(text: str) -> str:
    """Spec text as POD paragraphs: no commands, no formatting codes, no verbatim blocks of its own."""
    return _pod_text(str(text))


@functools.lru_cache(maxsize=4096)  # a schema's field docs appear on every page that shows the schema
def _pod_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _pod_codes(site_links(text).translate(_POD_CHARS))  # one pass, so no E<...> is escaped again
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        joined = " ".join(paragraph.split())
        if joined:
            # a paragraph starting with "=" would be a POD command; Z<> is POD's "nothing here"
            paragraphs.append("Z<>" + joined if joined.startswith("=") else joined)
    return "\n\n".join(paragraphs)


_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_MD_LINK = re.compile(r"\[([^\]]*)\]\(\s*(https?://[^)\s]+)[^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")


def _pod_codes(text: str) -> str:
    """Markdown's inline markup as POD formatting codes: `code` -> C<code>, **strong** -> B<strong>,
    *emphasis* -> I<emphasis>, [text](https://x) -> L<text|https://x> (text L<url> where a link's text
    cannot stand in L<>); code spans keep their content literal."""
    out = []
    for i, part in enumerate(_CODE.split(_MD_LINK.sub(_pod_link, text))):
        if i % 3 == 2:  # a code span's content
            out.append(f"C<{part.strip()}>" if part.strip() else part)
        elif i % 3 == 0:
            part = _STRONG.sub(lambda m: f"B<{m.group(2)}>", part)
            out.append(_EMPHASIS.sub(lambda m: f"I<{m.group(1)}>", part))
    return "".join(out)


def _pod_link(match: re.Match[str]) -> str:
    label, url = match.group(1).strip(), match.group(2)
    if any(c in url for c in "|<>") or url.endswith(("E", "E<gt")):
        return label or url
    if not label or label == url:
        return f"L<{url}>"
    if any(c in label for c in "|/<>"):  # L<text|url> cannot take these in its text
        return f"{label} (L<{url}>)"
    return f"L<{label}|{url}>"


def perl_data(value: object, indent: str = "") -> str:
    """A Perl data structure literal (hashes, arrays, strings, numbers, undef)."""
    if value is None:
        return "undef"
    if value is True:
        return "1"
    if value is False:
        return "0"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value) if isinstance(value, int) else perl_str(repr(value))
    if isinstance(value, str):
        return perl_str(value)
    inner = indent + "    "
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + "".join(f"{inner}{perl_data(v, inner)},\n" for v in value) + f"{indent}]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = "".join(f"{inner}{perl_str(k)} => {perl_data(v, inner)},\n" for k, v in value.items())
        return "{\n" + items + f"{indent}}}"
    return perl_str(value)


class PerlTarget(Target):
    name = "perl"
    filters: Mapping[str, Any] = {
        "perl_str": perl_str,
        "pod": pod_text,
        "pod_line": lambda text: " ".join(str(text).split()),
        "pod_inline": lambda text: pod_text(" ".join(str(text).split())),
        # inside C<...>: literal, no formatting codes of its own (POD does not nest C<> in C<>)
        "pod_code": lambda text: " ".join(str(text).translate(_POD_CHARS).split()),
        "perl_data": perl_data,
    }

    def __init__(self, api: Api, job: Job) -> None:
        self.api = api
        self.job = job
        client = re.sub(r"[^A-Za-z0-9]", "", pascal(split_words(api.title)) if api.title else "") or "Client"
        default = f"{client}::Client" if not client[0].isdigit() else "Api::Client"
        self.package = (
            job.package_name if "::" in job.package_name or _is_package(job.package_name) else default
        )
        if not _is_package(self.package):
            self.package = default
        self.env_prefix = (
            re.sub(r"[^A-Za-z0-9]", "", job.client_name or _client_word(api.title)).upper() or "API"
        )
        #: each named object schema's POD entry, made once (operations reach the same schemas)
        self._schema_entries: dict[str, dict[str, Any] | None] = {}

    # -- types as POD writes them ---------------------------------------------------------------

    def type_text(self, t: Type, seen: frozenset[str] = frozenset()) -> str:
        """A short name of a type for the docs; a named type reached again (a map of itself) by its name."""
        if isinstance(t, Nullable):
            return self.type_text(t.inner, seen)
        if isinstance(t, Primitive):
            return {"any": "any"}.get(t.kind, t.kind)
        if isinstance(t, Enum):
            return "string" if all(isinstance(v, str) for v in t.values) else "enum"
        if isinstance(t, Const):
            return "constant"
        if isinstance(t, File):
            return "file"
        if isinstance(t, Array):
            return f"array of {self.type_text(t.item, seen)}"
        if isinstance(t, Map):
            return f"map of {self.type_text(t.value, seen)}"
        if isinstance(t, Union):
            return "anyOf"
        if isinstance(t, Ref):
            named = self.api.named(t.name)
            inner = named.type.inner if isinstance(named.type, Nullable) else named.type
            if isinstance(inner, Object) or t.name in seen:
                return t.name
            return self.type_text(inner, seen | {t.name})
        return "object"

    def field_entry(self, f: Field) -> dict[str, Any]:
        t = self.api.resolve(f.type.inner if isinstance(f.type, Nullable) else f.type)
        t = t.inner if isinstance(t, Nullable) else t
        allowed = [str(v) for v in t.values] if isinstance(t, Enum) else []
        target = f.type.inner if isinstance(f.type, Nullable) else f.type
        shape = (
            target.name if isinstance(target, Ref) and isinstance(self.api.resolve(target), Object) else ""
        )
        return {
            "name": f.wire_name,
            "type": self.type_text(f.type),
            "required": f.required,
            "docs": f.docs,
            "default": json.dumps(f.default)
            if f.has_default and not isinstance(f.default, str)
            else (str(f.default) if f.has_default else ""),
            "allowed": allowed,
            "shape": shape,
        }

    def schemas_of(self, op: Operation) -> list[dict[str, Any]]:
        """The named object schemas an operation's request and response reach, alphabetically."""
        found: set[str] = set()

        def walk(t: Type | None) -> None:
            if t is None:
                return
            if isinstance(t, Nullable):
                walk(t.inner)
            elif isinstance(t, (Array,)):
                walk(t.item)
            elif isinstance(t, Map):
                walk(t.value)
            elif isinstance(t, Union):
                for v in t.variants:
                    walk(v)
            elif isinstance(t, Ref) and t.name not in found:
                found.add(t.name)
                walk(self.api.named(t.name).type)
            elif isinstance(t, Object):
                for f in t.fields:
                    walk(f.type)

        walk(op.body.type if op.body else None)
        success = op.success
        for media in success.contents if success else ():
            walk(media.type)
        return [entry for name in sorted(found) if (entry := self.schema_entry(name)) is not None]

    def schema_entry(self, name: str) -> dict[str, Any] | None:
        """A named schema's POD entry (None for one that is not an object), the same object each time."""
        if name in self._schema_entries:
            return self._schema_entries[name]
        named = self.api.named(name)
        inner = named.type.inner if isinstance(named.type, Nullable) else named.type
        entry = None
        if isinstance(inner, Object):
            fields = sorted(inner.fields, key=lambda f: f.wire_name)
            entry = {"name": name, "docs": named.docs, "fields": [self.field_entry(f) for f in fields]}
        self._schema_entries[name] = entry
        return entry

    # -- operations ----------------------------------------------------------------------------

    @staticmethod
    def reserved() -> set[str]:
        """The names the client's methods cannot take."""
        return set(_PERL_RESERVED)

    @staticmethod
    def method_name(op: Operation, taken: set[str]) -> str:
        """The client's method for `op`: its operationId in snake case, unique among `taken`."""
        return unique(_perl_ident(snake(split_words(op.id)) or op.method), taken)

    def sub_names(self) -> dict[str, dict[str, str]]:
        """Each operation's subs by the operation's pointer, as `plan` names them (without building
        every operation's view): `sub`, and a list's walkers `iter_sub` and `all_sub`."""
        taken = self.reserved()
        ops = self.api.operations()
        names = {op.pointer: {"sub": self.method_name(op, taken)} for op in ops}
        for op in ops:
            if op.pagination is not None:
                subs = names[op.pointer]
                subs["iter_sub"] = unique(f"{subs['sub']}_iter", taken)
                subs["all_sub"] = unique(f"{subs['sub']}_all", taken)
        return names

    def operation(self, op: Operation, subs: Mapping[str, str]) -> dict[str, Any]:
        method = subs["sub"]
        params = [
            {
                "name": p.wire_name,
                "in": p.location,
                "required": p.required,
                "style": p.style,
                "explode": p.explode,
            }
            for p in op.params
        ]
        body_kind, file_fields = "", []
        if op.body is not None:
            body_kind = op.body.kind
            resolved = self.api.resolve(op.body.type)
            if isinstance(resolved, Object):
                file_fields = [f.wire_name for f in resolved.fields if holds_file(self.api.resolve(f.type))]
        success = op.success
        response_media = success.contents[0] if success and success.contents else None
        example = ""
        if response_media is not None:
            if response_media.has_example:
                example = jsontext.dumps(response_media.example, indent=4, sort_keys=True)
            elif response_media.type is not None and (
                json_like(response_media.media_type) or event_stream(response_media.media_type)
            ):
                example = jsontext.dumps(synthesize(self.api, response_media.type), indent=4)
        security = []
        schemes = {s.name: s for s in self.api.security_schemes}
        for scheme_name in op.security:
            scheme = schemes.get(scheme_name)
            if scheme is None:
                continue
            how = (
                f"{scheme.location}:{scheme.parameter}"
                if scheme.kind == "apiKey"
                else ("basic" if scheme.kind == "basic" else "bearer")
            )
            if how not in security:
                security.append(how)
        body_params = []
        if op.body is not None:
            resolved = self.api.resolve(op.body.type)
            if isinstance(resolved, Object):
                body_params = [self.field_entry(f) for f in ordered_fields(resolved)]
        table: dict[str, Any] = {
            "method": op.method.upper(),
            "path": op.path,
            "params": params,
            "body": body_kind,
            "media_type": op.body.media_type if op.body else "",
            "files": file_fields,
            "security": security,
            **self.response_handling(op),
        }
        if op.pagination is not None:
            p = op.pagination
            table["paging"] = {
                "scheme": p.scheme,
                "items": list(p.items),
                "param": p.param,
                "has_more": list(p.has_more),
                "next": list(p.next),
                "item_field": p.item_field,
            }
        return {
            "sub": method,
            "id": op.id,
            "pointer": op.pointer,
            "paged": op.pagination is not None,
            "http_method": op.method.upper(),
            "path": op.path,
            "summary": op.summary,
            "description": op.description or op.summary,
            "deprecated": op.deprecated,
            "table": table,
            "returns": self.returns_doc(op),
            "params": [
                {
                    "name": p.wire_name,
                    "in": p.location,
                    "required": p.required,
                    "docs": p.docs,
                    "type": self.type_text(p.type),
                }
                for p in op.params
            ],
            "body_params": body_params,
            # the synopsis: only what this operation takes (its parameters by name, a body if it has one)
            "synopsis": [f"{perl_str(p.wire_name)} => ...," for p in op.params]
            + (["body => { ... },"] if op.body is not None else []),
            "status": success.status if success else "",
            "status_docs": success.description if success else "",
            "response_media": response_media.media_type if response_media else "",
            "response_example": example,
            "schemas": self.schemas_of(op),
        }

    def operations(self) -> list[dict[str, Any]]:
        """Every operation's method (and a list's walkers, named after every operation's own method)."""
        names = self.sub_names()
        ops = self.api.operations()
        return [{**self.operation(op, names[op.pointer]), **names[op.pointer]} for op in ops]

    def response_handling(self, op: Operation) -> dict[str, str]:
        """The `Accept` header (the success response's media types) and how its body comes back:
        "json" (decoded when the response says it is JSON) or "bytes" (as received, never decoded)."""
        success = op.success
        contents = success.contents if success else ()
        media = list(dict.fromkeys(" ".join(m.media_type.split()) for m in contents))
        # an event stream comes back as its text too: this client reads no events
        events = bool(media) and all(event_stream(m) for m in media)
        kind = "bytes" if binary_media_types(self.api, op) or events else "json"
        return {"accept": ", ".join(media) or "application/json", "response": kind}

    def returns_doc(self, op: Operation) -> str:
        """What a method returns: a POD paragraph (the spec's media types escaped)."""
        success = op.success
        if success is None or not success.contents:
            return (
                "The spec gives this response no body: returns C<undef> (a body the server sends anyway"
                " comes back decoded if it is JSON, else as its bytes)."
            )
        handling = self.response_handling(op)
        media = pod_text(handling["accept"])
        if handling["response"] == "bytes":
            return (
                f"Returns the response body ({media}) as a string of bytes, exactly as received: not"
                " decoded as UTF-8 or JSON (write it to a file opened with C<:raw>)."
            )
        return (
            f"Returns the decoded response ({media}): hash and array references as the JSON has them;"
            " a body the server sends as another media type comes back as its bytes."
        )

    def plan(self) -> list[PlannedFile]:
        header = f"# Generated by sdkgen from {self.api.spec_path}. Do not edit."
        operations = self.operations()
        module_path = "lib/" + self.package.replace("::", "/") + ".pm"
        paths: dict[str, list[dict[str, Any]]] = {}
        for op in operations:
            paths.setdefault(op["path"], []).append(op)
        path_pages: list[dict[str, Any]] = []
        taken_pages: set[str] = set()
        for path, ops in sorted(paths.items()):
            slug = unique("-".join(re.findall(r"[A-Za-z0-9_]+", path)) or "root", taken_pages, sep="-")
            path_pages.append(
                {
                    "path": path,
                    "slug": slug,
                    "ops": ops,
                    # the schemas its operations reach, each once, alphabetically
                    "schemas": sorted(
                        {s["name"]: s for op in ops for s in op["schemas"]}.values(), key=lambda s: s["name"]
                    ),
                    "file": "lib/" + self.package.replace("::", "/") + f"/Path/{slug}.pod",
                }
            )
        server = self.api.servers[0].default_url if self.api.servers else ""
        base: dict[str, Any] = {
            "header": header,
            "package": self.package,
            "version": self.job.package_version,
            "title": self.api.title,
            "description": self.api.description,
            "env_api_key": f"{self.env_prefix}_API_KEY",
            "env_base_url": f"{self.env_prefix}_BASE_URL",
            "default_base_url": server,
            **_server_context_of(self.api),
            "operations": operations,
            "paged": any(op["paged"] for op in operations),
            "table": {op["sub"]: op["table"] for op in operations},
            "path_pages": path_pages,
            "module_path": module_path,
            "dist_name": self.package.replace("::", "-"),
            "query_arrays": self.job.query_arrays,
            "query_objects": self.job.query_objects,
        }
        files = [
            PlannedFile("Makefile.PL", "Makefile.PL.jinja", base),
            PlannedFile(module_path, "module.pm.jinja", base),
            PlannedFile("t/00-load.t", "t_load.t.jinja", base),
            PlannedFile("t/01-multipart.t", "t_multipart.t.jinja", base),
        ]
        for page in path_pages:
            files.append(PlannedFile(page["file"], "path.pod.jinja", {**base, "page": page}))
        return files


def _is_package(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z_]\w*(::[A-Za-z_]\w*)*", name or ""))


def _perl_ident(text: str) -> str:
    ident = re.sub(r"\W", "_", text, flags=re.ASCII) or "call"
    if ident[0].isdigit():
        ident = "_" + ident
    return ident + "_" if ident in _PERL_RESERVED else ident


def _client_word(title: str) -> str:
    tokens = [t for t in re.split(r"[^A-Za-z0-9]+", title) if t]
    while len(tokens) > 1 and tokens[-1].lower() in ("api", "client", "rest", "sdk"):
        tokens.pop()
    return "".join(tokens) or "API"


def _server_context_of(api: Api) -> dict[str, Any]:
    """The constructor's arguments for the first server's URL variables (their wire names, unless one is
    an argument every client takes) and the URL as data: `{text}` pieces and `{variable, default}` ones,
    written by perl_data as string literals."""
    server = api.servers[0] if api.servers else None
    if server is None or not server.variables:
        return {"server_variables": [], "server_parts": []}
    taken = {"api_key", "base_url", "timeout", "max_retries"}
    keys = {v.wire_name: unique(v.wire_name, taken) for v in server.variables}
    variables = [
        {
            "key": keys[v.wire_name],
            "default": v.default,
            "doc": f"the server URL's {{{v.wire_name}}}"
            + (f" (one of {', '.join(repr(e) for e in v.enum)})" if v.enum else "")
            + f", default {v.default!r}",
        }
        for v in server.variables
    ]
    parts = [
        {"variable": keys[text], "default": v.default} if v is not None else {"text": text}
        for text, v in server.parts
    ]
    return {"server_variables": variables, "server_parts": parts}
