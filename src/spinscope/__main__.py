"""``python -m spinscope``: the same command line as the ``spinscope`` script."""

import sys

from spinscope.cli.main import main

sys.exit(main())
