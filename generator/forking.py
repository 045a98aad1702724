"""Whether this process may fork a helper onto the other core (produce.py's render worker, render.py's
template compiler): fork exists, it is not turned off (SDKGEN_NO_FORK), there is another core, and no
other thread runs (a fork copies only the calling thread, and the locks the others hold)."""

from __future__ import annotations

import os
import threading

__all__ = ["may_fork"]


def may_fork() -> bool:
    return (
        hasattr(os, "fork")
        and not os.environ.get("SDKGEN_NO_FORK")
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
    )
