"""Sandboxed auto-grading of Jupyter notebook homework (NumPy and PyTorch course)."""

__version__ = "0.1.0"
