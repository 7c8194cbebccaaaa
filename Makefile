# `make demo` and `make test` each work from a fresh clone: they create the
# virtual environment first when it is missing or out of date.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= demo-out

.PHONY: install demo test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,cluster]'
	# as pip does for a regular install: the jail's modules get their bytecode now, since
	# the jail itself writes none (its code is mounted read-only) and compiles them at every start
	$(BIN)/python -m compileall -q autograder/sandbox/inside
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/autograder assign --out $(OUT)/student-notebooks
	@for a in activations perceptron xor_numpy torch_xor neuron torch_basics digits; do \
	  if [ -d samples/$$a ]; then \
	    echo "== grading samples/$$a"; \
	    $(BIN)/autograder grade --assignment $$a samples/$$a --out $(OUT)/$$a || exit $$?; \
	  fi; \
	done

test: $(STAMP)
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_batch.py --single --baseline 10

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache
