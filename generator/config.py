"""Jobs from `[tool.sdkgen]` in pyproject.toml, or from command-line arguments."""

from __future__ import annotations

import keyword
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .ir.paginate import PaginationError, overrides
from .targets.base import QUERY_ARRAYS, QUERY_OBJECTS, Job

__all__ = ["QUERY_FORMATS", "TARGETS", "ConfigError", "job_from_mapping", "load_jobs"]

TARGETS = ("python", "typescript", "docs", "perl", "site")
_KEYS = {
    "spec": "spec",
    "target": "target",
    "out": "out",
    "package-name": "package_name",
    "client-name": "client_name",
    "package-version": "package_version",
    "cli-name": "cli_name",
    "templates": "templates",
    "strict": "strict",
    "query-arrays": "query_arrays",
    "query-objects": "query_objects",
    "changelog": "changelog",
    "changelog-date": "changelog_date",
}
#: the values the query-format keys allow (README.md, "Query formats")
QUERY_FORMATS = {"query-arrays": QUERY_ARRAYS, "query-objects": QUERY_OBJECTS}
_FLAGS = ("strict", "changelog")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PERL_PACKAGE = re.compile(r"[A-Za-z_]\w*(?:::[A-Za-z_]\w*)*", re.ASCII)
_COMMAND = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_NPM_PACKAGE = re.compile(r"(?:@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~-][a-z0-9._~-]*", re.ASCII)


class ConfigError(Exception):
    """The configuration is missing or wrong; the message says where."""


def job_from_mapping(raw: Mapping[str, Any], *, where: str, base: Path | None = None) -> Job:
    tables = ("names", "options", "pagination")
    unknown = sorted(set(raw) - set(_KEYS) - set(tables))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key '{unknown[0]}' (known: {', '.join(sorted([*_KEYS, *tables]))})"
        )
    for key in ("spec", "target", "out"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ConfigError(f"{where}: '{key}' is required and must be a string")
    package_checks = {
        "perl": (_PERL_PACKAGE, "a Perl package name, like OpenAI::Images"),
        "typescript": (_NPM_PACKAGE, "an npm package name in lower case, like openai-images or @acme/api"),
    }
    checks = {
        "package-name": package_checks.get(
            raw.get("target", ""), (_IDENTIFIER, "a Python identifier, like openai_images")
        ),
        "client-name": (_IDENTIFIER, "a class name, like OpenAI"),
        "cli-name": (_COMMAND, "a command name: letters, digits, '-', '_' and '.'"),
    }
    for key, (pattern, what) in checks.items():
        value = raw.get(key)
        if isinstance(value, str) and (not pattern.fullmatch(value) or keyword.iskeyword(value)):
            raise ConfigError(f"{where}: '{key}' must be {what} (got {value!r})")
    if raw["target"] not in TARGETS:
        raise ConfigError(f"{where}: unknown target '{raw['target']}' (known: {', '.join(TARGETS)})")
    values: dict[str, Any] = {}
    for key, attr in _KEYS.items():
        if key in raw:
            value = raw[key]
            expected = bool if key in _FLAGS else str
            if not isinstance(value, expected):
                raise ConfigError(f"{where}: '{key}' must be a {expected.__name__}")
            values[attr] = value
    for key, allowed in QUERY_FORMATS.items():
        if key in raw and raw[key] not in allowed:
            raise ConfigError(
                f"{where}: '{key}' must be one of {', '.join(repr(a) for a in allowed)} (got {raw[key]!r})"
            )
    if "changelog_date" in values and not _DATE.fullmatch(values["changelog_date"]):
        raise ConfigError(f"{where}: 'changelog-date' must be a date, YYYY-MM-DD")
    if values.get("changelog") and raw["target"] in ("docs", "site"):
        sdks = "python, typescript, perl"
        raise ConfigError(f"{where}: 'changelog' is for an SDK ({sdks}), not {raw['target']}")
    if base is not None and base != Path("."):
        values["root"] = str(base)
    options = raw.get("options", {})
    if not isinstance(options, Mapping):
        raise ConfigError(f"{where}: 'options' must be a table")
    names = raw.get("names", {})
    if not isinstance(names, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in names.items()
    ):
        raise ConfigError(f"{where}: 'names' must be a table of operationId = \"resource.method\" strings")
    pagination = raw.get("pagination", {})
    if not isinstance(pagination, Mapping):
        raise ConfigError(f"{where}: 'pagination' must be a table of operationId = scheme or table")
    try:
        overrides(pagination)
    except PaginationError as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    return Job(**values, options=dict(options), names=dict(names), pagination=dict(pagination))


def load_jobs(pyproject: str | Path = "pyproject.toml") -> list[Job]:
    path = Path(pyproject)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(
            f"{path}: not found (give a SPEC, or run where pyproject.toml has [tool.sdkgen])"
        ) from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read: {exc}") from exc
    tool = data.get("tool", {}).get("sdkgen")
    if not isinstance(tool, Mapping) or not isinstance(tool.get("jobs"), list) or not tool["jobs"]:
        raise ConfigError(f"{path}: no [[tool.sdkgen.jobs]] tables")
    base = path.parent
    jobs = []
    for i, raw in enumerate(tool["jobs"]):
        if not isinstance(raw, Mapping):
            raise ConfigError(f"{path}: tool.sdkgen.jobs[{i}] must be a table")
        jobs.append(job_from_mapping(raw, where=f"{path}: tool.sdkgen.jobs[{i}]", base=base))
    return jobs
