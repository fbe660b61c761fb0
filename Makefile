# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test postgres check format bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot

# The whole suite twice: on SQLite, then on a throwaway PostgreSQL server it starts itself.
test: $(STAMP) postgres
	$(PY) -m pytest
	KLETSPOT_TEST_BACKEND=postgresql $(PY) -m pytest

# PostgreSQL's server programs for the second run: Debian's package, installed when missing.
postgres:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	|| { [ "$$(id -u)" = 0 ] && apt-get update -qq \
	     && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } \
	|| { echo "PostgreSQL ontbreekt: installeer het pakket postgresql (als root doet make test dat zelf)," \
	          "of zet KLETSPOT_TEST_DATABASE_URL op een eigen server."; exit 1; }

check: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) *.egg-info
