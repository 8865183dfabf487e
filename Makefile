# The two commands: `make site` builds the demo site, `make test` runs every test.
# Both create .venv and install what they need on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test check serve messages clean

site: $(VENV)/.installed
	$(BIN)/python build.py build

check: $(VENV)/.installed
	$(BIN)/python build.py check

# A live preview at http://127.0.0.1:8000/ that reloads on every save (PORT=… to change).
serve: $(VENV)/.installed
	$(BIN)/python build.py serve --port $(or $(PORT),8000)

test: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# After changing a theme's interface strings: refresh each theme's messages.pot and its
# catalogues (locale/<language>/LC_MESSAGES/messages.po), then translate what is new.
messages: $(VENV)/.installed
	for theme in themes/*/; do \
	  $(BIN)/pybabel extract -F themes/babel.cfg --no-location --omit-header --sort-output -o $$theme/locale/messages.pot $$theme && \
	  $(BIN)/pybabel update --no-location --omit-header -i $$theme/locale/messages.pot -d $$theme/locale || exit 1; \
	done

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --editable .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	touch $@ $(VENV)/.installed

# The test tools from npm (axe-core, vnu.jar), reinstalled whenever the lock file changes.
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the tests use the system java.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site .pytest_cache build *.egg-info
