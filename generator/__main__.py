"""`python -m generator` is the `sdkgen` command."""

import sys

from .cli import main

sys.exit(main())
