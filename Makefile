# The two commands a new machine needs: `make run` and `make test`. Everything else is set-up they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app lms
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test setup system-packages vendor translations fonts db demo content lint bench clean

run: setup db
	@scripts/run.sh

test: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

setup: system-packages $(VENV)/.installed node_modules/.installed vendor translations fonts

system-packages:
	@scripts/install-system-packages.sh

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Browser libraries the app serves itself (the CSP allows scripts from 'self' only): copied from
# node_modules (package.json "dependencies") with their licences; lms/static/vendor/ is not committed.
VENDOR := lms/static/vendor
vendor: node_modules/.installed
	@mkdir -p $(VENDOR)
	@cp node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/cytoscape.min.js
	@cp node_modules/cytoscape/LICENSE $(VENDOR)/cytoscape.LICENSE
	@cp node_modules/cytoscape-dagre/dist/cytoscape-dagre.min.js $(VENDOR)/cytoscape-dagre.min.js
	@cp node_modules/cytoscape-dagre/LICENSE $(VENDOR)/cytoscape-dagre.LICENSE

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d lms/translations >/dev/null

# The CJK face PDFs embed, extracted from fonts-noto-cjk and subset (about 40 s, once per machine).
fonts: .cache/fonts/NotoSansTC-Regular-big5-gb2312.otf

.cache/fonts/NotoSansTC-Regular-big5-gb2312.otf: $(VENV)/.installed
	$(FLASK) lms fonts

db: setup
	$(FLASK) db upgrade
	$(FLASK) lms content import
	$(FLASK) lms demo
	$(FLASK) lms onboarding

# Ruff (with the complexity rule C901) and the shape rules of scripts/check_shape.py; `make test` runs it first.
lint: setup
	$(BIN)/ruff check lms tests scripts bench
	$(BIN)/python scripts/check_shape.py

bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis
