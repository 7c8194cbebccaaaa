"""Public examples of `digits`: inputs only; expected values come from the reference.

A network is random until trained, so its examples use the student's `make_model`
only through the hidden checks (which load fixed parameters into it). The public
examples check `predict` on a model the reference builds with fixed parameters.
"""

EXAMPLES: list = []
