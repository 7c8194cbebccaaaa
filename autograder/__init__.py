"""Sandboxed auto-grading of Jupyter notebook homework (NumPy and PyTorch course)."""

import os as _os

__version__ = "0.1.0"

# One BLAS/OpenMP thread in the grader, as in the jail (sandbox/launcher.py ENV), unless the
# user asked for more. A grader's NumPy work is small arrays: OpenBLAS's own threads only
# start up and spin at import (about 0.1 CPU-s a process) on the cores the jail grades on,
# and one thread gives the same floating-point sums on every machine. Set here, before
# anything imports NumPy; without effect where NumPy was imported first.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_variable, "1")
