"""`python -m desktop` and the frozen bundle's entry point."""

import gc
import sys

import desktop.clock  # noqa: F401  (first: where the kernel keeps no start time, the clock starts here)

# Loading the program's modules makes a few hundred thousand objects and no
# garbage worth a collector's pass; the passes cost a tenth of the start.
gc.disable()
from desktop.cli import main  # noqa: E402

gc.enable()
code = main()
# Everything is closed by now; the collector's sweep over the whole heap at
# interpreter exit would only keep the office waiting for the window to go.
gc.freeze()
sys.exit(code)
