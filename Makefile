# Tempo Coach: `make run` sets everything up and starts the app; `make test` sets everything
# up and runs the whole suite. Both work on a fresh Debian/Ubuntu machine: as root they
# install the system packages with apt-get, as a normal user they print the command to run.
# A second run is quick: each step leaves a stamp file in .venv/.

SHELL := /bin/bash
VENV := .venv
STAMPS := $(VENV)/.stamps
BIN := $(VENV)/bin
PY := $(BIN)/python

# A suitable Python: 3.11 first (Debian 12's own, and what the audio figures were measured
# with), then 3.12, 3.13, 3.10, then whatever python3 is. Override with `make PYTHON=...`.
# A candidate must really run (a pyenv shim for a version that is not selected does not).
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3.10 python3; do \
	$$p -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1 && \
	{ command -v $$p; break; }; done)

# Debian packages. RUN: what the app needs to build and start (simpleaudio compiles against
# ALSA; Qt's xcb platform needs the X libraries). TEST: the real audio stack and the virtual
# screen the tests drive (PulseAudio null sink, parec, Xvfb, xdotool).
DEBS_RUN := python3 python3-venv python3-dev build-essential libasound2-dev \
	libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0 libdbus-1-3 \
	libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core
DEBS_TEST := pulseaudio pulseaudio-utils libasound2-plugins alsa-utils xvfb xauth xdotool x11-utils \
	imagemagick

PYTEST_ARGS ?=

.PHONY: run test lint bench clean system-deps-run system-deps-test help

help:
	@echo "make run    set up and start Tempo Coach"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff, mypy (strict on core/), import-linter"
	@echo "make bench  run the benchmarks in bench/ and print their figures"

run: $(STAMPS)/installed
	$(BIN)/tempo-coach $(ARGS)

test: $(STAMPS)/system-test $(STAMPS)/installed-test
	$(MAKE) --no-print-directory lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMPS)/installed-test
	$(BIN)/ruff check tempo_coach tests bench
	$(BIN)/mypy tempo_coach
	$(BIN)/lint-imports

bench: $(STAMPS)/system-test $(STAMPS)/installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# --- system packages -------------------------------------------------------------------------
# Installs only what is missing. Not root: print the exact command and stop. Not Debian: say
# what is needed and go on (docs/INSTALL.md has the Windows and macOS notes).
define need_debs
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "note: not a Debian/Ubuntu system; see docs/INSTALL.md for what $(1) needs"; \
	else \
		missing=$$(for p in $(2); do \
			dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
		done | tr '\n' ' '); \
		if [ -n "$$missing" ]; then \
			if [ "$$(id -u)" = 0 ]; then \
				echo "installing system packages: $$missing"; \
				export DEBIAN_FRONTEND=noninteractive; \
				apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $$missing >/dev/null || exit 1; \
			else \
				echo "Tempo Coach needs these system packages ($(1)). Run:"; \
				echo "  sudo apt-get install -y --no-install-recommends $$missing"; \
				echo "then run make again."; \
				exit 1; \
			fi; \
		fi; \
	fi
endef

$(STAMPS)/system-run:
	$(call need_debs,the app,$(DEBS_RUN))
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/system-test: $(STAMPS)/system-run
	$(call need_debs,the tests,$(DEBS_TEST))
	@mkdir -p $(STAMPS) && touch $@

# --- the virtual environment ---------------------------------------------------------------
$(STAMPS)/venv: $(STAMPS)/system-run
	@if [ -z "$(PYTHON)" ]; then echo "no python3 found: install Python 3.10 or newer"; exit 1; fi
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || \
		{ echo "$(PYTHON) is too old: Tempo Coach needs Python 3.10 or newer"; exit 1; }
	@mkdir -p $(STAMPS)
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	@touch $@

$(STAMPS)/installed: $(STAMPS)/venv pyproject.toml setup.py
	$(PY) -m pip install -q -e .
	@touch $@

$(STAMPS)/installed-test: $(STAMPS)/venv pyproject.toml setup.py
	$(PY) -m pip install -q -e '.[test,dev]'
	@touch $@ $(STAMPS)/installed

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
