"""`python -m attendance_desk` runs the same entry point as `attendance-desk`."""

import sys

from attendance_desk.cli import main

sys.exit(main())
