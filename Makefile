# Set-up and everyday commands. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres test-replica fuzz install install-dev lint migrate load verify browser-deps gettext-deps messages compilemessages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

load: migrate
	$(BIN)/python manage.py load_articles

# The articles' records loaded into the configured database, then every quote checked against its article.
verify: load
	$(BIN)/python manage.py verify_evidence

run: load compilemessages
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests; skipped quietly where apt-get is not available.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] \
		&& (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium not installed: browser tests will be skipped"; }

# GNU gettext compiles the translation catalogs (locale/); installed like Chromium where apt-get is available.
gettext-deps:
	@command -v msgfmt >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] \
		&& (apt-get update -qq && apt-get install -y -qq gettext >/dev/null) \
		|| echo "gettext not installed: the pages stay in English"; }

# The compiled catalogs (.mo) are built here, not committed; unchanged catalogs are skipped.
compilemessages: install gettext-deps
	@if command -v msgfmt >/dev/null 2>&1; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; fi

# After changing an interface string: refresh the catalog, then translate every new entry in locale/.
messages: install gettext-deps
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete --add-location file \
		--ignore=.venv --ignore=staticfiles --ignore=bench --ignore=seeds --ignore=fixtures --ignore=docs --ignore=tests --ignore=screenshots

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

test: install-dev browser-deps compilemessages lint test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "DATABASE_URL not set: suite ran on SQLite only"; fi

test-sqlite: install-dev compilemessages
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install-dev compilemessages
	@echo "== test suite on $$(echo $$DATABASE_URL | sed -E 's#//[^@]*@#//#') =="
	$(BIN)/pytest

# A streaming replica of the local PostgreSQL on port 5433 (root, DATABASE_URL naming the primary), the
# replica router tests against it, then the replica is removed.
test-replica: install-dev
	.ci/replica

# Schemathesis against the app's own OpenAPI schema, served by gunicorn on 127.0.0.1 (a few minutes).
fuzz: install-dev
	$(BIN)/python bench/fuzz.py $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
