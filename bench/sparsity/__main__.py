"""``python -m bench.sparsity``: see the package docstring."""

import sys

from bench.sparsity.cli import main

sys.exit(main())
