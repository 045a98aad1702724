"""`python -m generator` is the `sdkgen` command."""

from .cli import run

run()
