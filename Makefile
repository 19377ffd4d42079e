# Kandidat:innenportal — developer commands. Quick start: `make run`, `make test`.
#
# Everything runs from a virtualenv in .venv. pip only runs again when a
# requirements file changed (stamp files inside .venv).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
ADDR ?= 0.0.0.0:8000
# `make run SEED=0` skips the demo data.
SEED ?= 1
# pytest-xdist workers; the CI machine has 2 cores.
WORKERS ?= 2
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k district"`.
PYTEST_ARGS ?=
CHROMIUM := /usr/bin/chromium

RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

# Local development: SQLite (unless DATABASE_URL is set), DEBUG on, mail printed.
DEV_ENV := PORTAL_DEBUG=1
# Tests, checks and makemigrations use the test settings (they need no secret key).
TEST_ENV := DJANGO_SETTINGS_MODULE=portal.settings_test

.PHONY: help run migrate seed test lint check migrations-check pytest e2e chromium clean messages translations gettext

help:
	@echo "make run     install, migrate, demo data + staff login, start http://localhost:8000"
	@echo "make test    install dev tools and Chromium, then ruff, checks and pytest"
	@echo "make seed    demo data and a new staff login, without starting the server"
	@echo "make e2e     only the browser tests"
	@echo "make clean   remove .venv and caches (keeps db.sqlite3)"

# --- virtualenv and requirements ----------------------------------------------------

# The target is pip, not python: a venv whose ensurepip failed has bin/python but no pip.
$(VENV)/bin/pip:
	@$(PYTHON) -m venv $(VENV) || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "python3 -m venv failed; installing python3-venv"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-venv \
	      && $(PYTHON) -m venv $(VENV); \
	  else \
	    echo "Cannot create $(VENV) with $(PYTHON). On Debian/Ubuntu: sudo apt-get install python3-venv" >&2; \
	    exit 1; \
	  fi; \
	}

$(RUNTIME_STAMP): requirements.txt | $(VENV)/bin/pip
	$(PY) -m pip install -r requirements.txt
	@touch $@

# requirements-dev.txt includes requirements.txt, so it satisfies the runtime stamp too.
$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/pip
	$(PY) -m pip install -r requirements-dev.txt
	@touch $@ $(RUNTIME_STAMP)

# --- running the portal -------------------------------------------------------------

run: migrate translations
ifeq ($(SEED),1)
	@# Safe on every start: tops up the demo data and prints a fresh staff login.
	$(DEV_ENV) $(PY) manage.py seed_demo
endif
	$(DEV_ENV) $(PY) manage.py runserver $(ADDR)

# The 14 districts and all municipalities come with the migrations (data migration).
migrate: $(RUNTIME_STAMP)
	$(DEV_ENV) $(PY) manage.py migrate

seed: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo

# --- tests --------------------------------------------------------------------------

test: lint check migrations-check translations pytest

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .

check: $(DEV_STAMP)
	$(TEST_ENV) $(PY) manage.py check

migrations-check: $(DEV_STAMP)
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

# pytest exits 5 when it collected nothing: that is a failure, never a silent pass.
pytest: $(DEV_STAMP) chromium
	@$(VENV)/bin/pytest -n $(WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing." >&2; fi; \
	exit $$rc

e2e: $(DEV_STAMP) chromium
	$(VENV)/bin/pytest -m e2e $(PYTEST_ARGS)

# --- translations -------------------------------------------------------------------

# The public pages' texts are translated (locale/<lang>/LC_MESSAGES/django.po); the
# staff pages stay German, so their sources are left out of the catalogues. `make
# messages` updates the .po files after a text changed; the .mo files are never
# committed: `make run` and `make test` compile them.
LANGS := en ar ru uk pl
STAFF_ONLY := .venv bench tests staticfiles static '*/admin.py' '*/admin/*' 'admin/*' \
  'reports/*' 'accounts/*' 'account/*' 'allauth/*' 'mfa/*' 'usersessions/*' 'campaigns/*' \
  'notifications/*' '*/management/*' 'templates/lists/overview*' 'templates/lists/_overview*' \
  'templates/lists/print*' 'templates/lists/_print*' \
  'lists/admin.py' 'lists/views.py' 'lists/forms.py' 'lists/rules.py' 'lists/services.py' \
  'lists/coverage.py' 'lists/overview.py' 'lists/models.py' 'lists/selectors.py' \
  'embed/origins.py' 'districts/law.py' 'districts/councils.py' 'portal/admin_site.py' \
  'portal/admin_config.py'

messages: $(DEV_STAMP) gettext
	$(DEV_ENV) $(PY) manage.py makemessages --no-obsolete --no-location --add-location=file \
	  $(foreach lang,$(LANGS),-l $(lang)) $(foreach pattern,$(STAFF_ONLY),--ignore=$(pattern))

translations: $(RUNTIME_STAMP) gettext
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv -v0

# msgfmt (compiling) and xgettext (extracting) come with Debian's gettext.
gettext:
	@if ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's gettext for the translations"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gettext; \
	  else \
	    echo "msgfmt is missing: sudo apt-get install gettext" >&2; exit 1; \
	  fi; \
	fi

# Playwright drives Debian's Chromium; a browser is never downloaded.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	  else \
	    echo "WARNING: $(CHROMIUM) is missing (sudo apt-get install chromium); browser tests will be skipped." >&2; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
