# vanban: the two commands are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= data/processed/vanban.duckdb
CORPUS ?= ../shared/corpus

.PHONY: run test install score bench bench-real clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dask,synth,web]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/vanban run data/raw --db $(DB)
	$(BIN)/vanban flags --db $(DB)
	$(BIN)/vanban compare --db $(DB) --by province_2025 --metric citations
	$(BIN)/vanban compare --db $(DB) --by province_2025 --metric staffing

test: $(STAMP)
	VANBAN_CORPUS=$(CORPUS) $(BIN)/python -m pytest -q

score: $(STAMP)
	rm -f /tmp/vanban-score.duckdb
	$(BIN)/vanban run $(CORPUS)/raw --db /tmp/vanban-score.duckdb --quiet
	$(BIN)/python $(CORPUS)/../score.py /tmp/vanban-score.duckdb $(CORPUS)/gold

bench: $(STAMP)
	$(BIN)/python bench/bench.py --docs $(or $(DOCS),2000) --keep

ARCHIVE ?= ../shared/archive/raw

bench-real: $(STAMP)
	VANBAN_ARCHIVE=$(or $(VANBAN_ARCHIVE),$(ARCHIVE)) $(BIN)/python bench/bench_real.py

clean:
	rm -rf $(VENV) data/processed/*.duckdb *.egg-info
