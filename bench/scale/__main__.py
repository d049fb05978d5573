"""``python -m bench.scale``: see the package docstring."""

import sys

from bench.scale.cli import main

sys.exit(main())
