"""Environment for every pytest run, including `pytest chapters/x.ipynb` alone (nbval's kernels
inherit it): no progress bars, whose timings would change committed outputs, and one BLAS thread,
because the matrices here are small and threads slow them down on a busy 2-core machine."""

import os

os.environ["GDCORE_QUIET"] = "1"
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
