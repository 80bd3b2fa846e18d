# The two commands of the README: `make demo` and `make test`. Both set everything up from a fresh clone.
VENV  ?= .venv
PY    := $(VENV)/bin/python
BIN   := $(VENV)/bin
# CPU build first, so the test environment never pulls the multi-GB CUDA wheels; setup.py keeps torch>=2.3.
TORCH ?= torch==2.13.0
STAMP := $(VENV)/.installed

.PHONY: demo test setup sync lint nbtest pytest notebooks docs docs-check browser clean

$(STAMP): settings.ini setup.py
	$(PY) -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV) && python3 -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install -q "$(TORCH)"
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/wordvec demo

test: sync lint browser pytest notebooks docs-check      # (nbtest would run every notebook a second time)
	@echo "make test: all checks passed"

sync: $(STAMP)          ## notebooks and wordvec_nb/ in sync, notebooks clean, README generated
	$(PY) tools/check_sync.py

lint: $(STAMP)          ## lines of at most 120 characters in notebooks' code, tests, bench/ and tools/ (pyproject.toml)
	$(BIN)/ruff check .

nbtest: $(STAMP)        ## every notebook's test cells, nbdev's in-process runner (GPU kernels in Triton's interpreter without CUDA)
	cd $(CURDIR) && TRITON_INTERPRET=$$($(PY) -c 'import torch; print(0 if torch.cuda.is_available() else 1)') $(BIN)/nbdev_test --n_workers 2

pytest: $(STAMP)         ## two processes (pytest-xdist), a file's tests in one of them, in order
	$(BIN)/pytest -q -n 2 --dist loadfile tests

notebooks: $(STAMP)     ## every notebook once in a real Jupyter kernel, ≤ 60 s each; the executed copies feed the docs
	$(PY) tools/run_notebooks.py --save-to build/executed

docs: $(STAMP)          ## the documentation site, offline, into build/site/
	$(PY) tools/build_docs.py

browser:                ## headless Chromium and its driver for the site check (Debian packages)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

docs-check: docs browser   ## open every page in headless Chromium: directives, math, images, links, search, phone width
	$(PY) tools/check_site.py

clean:
	rm -rf $(VENV) _proc _docs build dist *.egg-info
