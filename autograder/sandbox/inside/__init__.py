"""Code that runs inside the jail: stdlib, NumPy and (when present) torch only.

This folder is bind-mounted alone into the jail, so nothing here may import
``autograder``; the modules import each other relatively.
"""
