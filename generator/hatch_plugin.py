"""A hatchling build hook: run the project's sdkgen jobs before its wheel or sdist is built.

Enable it in the project that ships generated code:

    [build-system]
    requires = ["hatchling", "sdkgen"]
    build-backend = "hatchling.build"

    [tool.hatch.build.hooks.sdkgen]

It runs the jobs of `[tool.sdkgen]` in that project's pyproject.toml, so the package always ships code
generated from the spec it is built from, and adds the outputs to the build even when git ignores them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from .changes.changelog import with_changelog
from .config import ConfigError, load_jobs
from .diagnostics import SpecError
from .pipeline import generate
from .write import OutputError, write

__all__ = ["SdkgenBuildHook", "hatch_register_build_hook"]


class SdkgenBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "sdkgen"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        config = root / str(self.config.get("config", "pyproject.toml"))
        try:
            jobs = load_jobs(config)
            for job in jobs:
                result = generate(job)
                done = write(job.resolve(job.out), with_changelog(job, result))
                out = Path(job.resolve(job.out))
                relative = out.resolve().relative_to(root.resolve()) if out.is_absolute() else out
                build_data["artifacts"].append(f"/{relative.as_posix()}/**")
                self.app.display_info(
                    f"sdkgen: {job.spec} -> {job.out} ({len(done.written)} written,"
                    f" {len(done.unchanged)} unchanged, {len(done.removed)} removed)"
                )
        except SpecError as exc:
            for d in exc.diagnostics:
                print(d.format(), file=sys.stderr)
            raise SystemExit("sdkgen: the spec has errors; the package was not built") from None
        except (ConfigError, OutputError) as exc:
            raise SystemExit(f"sdkgen: error: {exc}") from None


@hookimpl
def hatch_register_build_hook() -> type[SdkgenBuildHook]:
    return SdkgenBuildHook
