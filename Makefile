# Set-up and everyday commands. `make run` and `make test` work on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
CORPUS ?= ../shared/corpus/pdf
INDEX ?= index
HOST ?= 127.0.0.1
PORT ?= 7860
Q ?= How many people of Mexican heritage live in the United States?

.PHONY: setup index run ask test eval

setup: $(VENV)/.installed

# torch first, pinned: the local CPU build. Unpinned, pip would pull gigabytes of CUDA packages.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[test,postgres,ray]"
	touch $@

index: setup
	HF_HUB_OFFLINE=1 $(PY) -m indexer build --corpus $(CORPUS) --index $(INDEX)

run: index
	HF_HUB_OFFLINE=1 $(PY) -m chat --index $(INDEX) --host $(HOST) --port $(PORT)

ask: index
	HF_HUB_OFFLINE=1 $(PY) -m chat ask --index $(INDEX) "$(Q)"

# A real OpenAI-compatible server and a small model for the LLM tests; llama.cpp compiles (~7 min).
# Not for the build machine's own CPU: built natively (AVX-512, AMX), llama.cpp 0.3.36 died with a
# general protection fault in libggml-cpu on the first request here. AVX2 runs on any recent x86-64.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
$(VENV)/.llm-server: $(VENV)/.installed
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install --quiet --no-cache-dir -e ".[llm-server]"
	touch $@

test: setup $(VENV)/.llm-server
	HF_HUB_OFFLINE=1 $(PY) -m pytest

eval: index
	HF_HUB_OFFLINE=1 $(PY) -m evals run --questions ../shared/evals/dev.jsonl --out runs/dev --index $(INDEX)
