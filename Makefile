# The two commands: `make site` builds the demo site, `make test` runs every test.
# Both create .venv and install what they need on first use, at the exact
# versions (with hashes) of the lock files in requirements/: a new release of
# anything upstream cannot change what they install. `make lock` refreshes them.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
SITE_LOCK := requirements/site.txt
TEST_LOCK := requirements/test.txt
# The tool that writes the lock files (only `make lock` installs it).
UV_VERSION := 0.13.9
LOCK := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --upgrade

.PHONY: site test lint check serve messages lock clean

site: $(VENV)/.installed
	$(BIN)/python build.py build

check: $(VENV)/.installed
	$(BIN)/python build.py check

# A live preview at http://127.0.0.1:8000/ that reloads on every save (PORT=… to change).
serve: $(VENV)/.installed
	$(BIN)/python build.py serve --port $(or $(PORT),8000)

test: lint $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The rules chosen are in pyproject.toml, [tool.ruff].
lint: $(VENV)/.installed-test
	$(BIN)/ruff check --quiet .
	$(BIN)/ruff format --check --quiet .

# After changing a theme's interface strings: refresh each theme's messages.pot and its
# catalogues (locale/<language>/LC_MESSAGES/messages.po), then translate what is new.
messages: $(VENV)/.installed
	for theme in themes/*/; do \
	  $(BIN)/pybabel extract -F themes/babel.cfg --no-location --omit-header --sort-output -o $$theme/locale/messages.pot $$theme && \
	  $(BIN)/pybabel update --ignore-obsolete -i $$theme/locale/messages.pot -d $$theme/locale || exit 1; \
	done

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# The locked dependencies, then timeline itself (editable, built by the locked
# setuptools). Reinstalled whenever a lock file or the packaging changes.
$(VENV)/.installed: $(SITE_LOCK) pyproject.toml setup.py | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes --no-deps -r $(SITE_LOCK)
	$(PIP) install --quiet --no-deps --no-build-isolation --editable .
	touch $@

$(VENV)/.installed-test: $(TEST_LOCK) pyproject.toml setup.py | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes --no-deps -r $(TEST_LOCK)
	$(PIP) install --quiet --no-deps --no-build-isolation --editable .
	touch $@ $(VENV)/.installed

# After changing the dependencies in pyproject.toml, or to take new releases:
# the newest versions pyproject.toml allows, for every platform and Python
# 3.11+, with hashes. Then run `make test` and commit requirements/.
# The test lock is constrained by the site lock, so both share their versions.
lock: | $(VENV)/bin/python
	$(PIP) install --quiet uv==$(UV_VERSION)
	$(LOCK) pyproject.toml requirements/build.in -o $(SITE_LOCK)
	$(LOCK) pyproject.toml requirements/build.in --extra test -c $(SITE_LOCK) -o $(TEST_LOCK)

# The test tools from npm (axe-core, vnu.jar), reinstalled whenever the lock file changes.
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the tests use the system java.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site .pytest_cache .ruff_cache build *.egg-info
