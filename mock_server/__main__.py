"""`python -m mock_server`: the same as the `tele2-ats-mock` console script."""

import sys

from mock_server.launcher import main

sys.exit(main())
