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
	imagemagick desktop-file-utils appstream

PYTEST_ARGS ?=

.PHONY: run test lint bench clean system-deps-run system-deps-test help

help:
	@echo "make run    set up and start Tempo Coach"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff, mypy (strict on core/), import-linter"
	@echo "make bench  run the benchmarks in bench/ and print their figures"
	@echo "make package          build the sdist, the wheel and the Linux bundle (dist/), check them"
	@echo "make install-desktop  put Tempo Coach in your desktop's menu (~/.local/share)"

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
	$(PY) -m pip install -q -e '.[simpleaudio]'
	@touch $@

$(STAMPS)/installed-test: $(STAMPS)/venv pyproject.toml setup.py
	$(PY) -m pip install -q -e '.[simpleaudio,test,dev]'
	@touch $@ $(STAMPS)/installed

# --- packages and the desktop (packaging/README.md) -----------------------------------------
.PHONY: package install-desktop
APP_ID := io.github.tempo_coach.TempoCoach
VERSION = $(shell sed -n 's/^__version__ = "\(.*\)"$$/\1/p' tempo_coach/__init__.py)
DIST := dist
BUNDLE_TARBALL = $(DIST)/tempo-coach-$(VERSION)-linux-$(shell uname -m).tar.gz
# What the menu entry starts: the tempo-coach on PATH (pipx, pip --user), else this checkout's.
TEMPO_COACH_EXEC ?= $(or $(shell command -v tempo-coach 2>/dev/null),$(CURDIR)/$(BIN)/tempo-coach)

$(STAMPS)/installed-package: $(STAMPS)/venv pyproject.toml setup.py
	$(PY) -m pip install -q -e '.[simpleaudio,package]'
	@touch $@ $(STAMPS)/installed

# The sdist and wheel (python -m build), the wheel installed with its dependencies in a fresh
# venv as pipx would, the PyInstaller bundle; both installations pass packaging/check_app.py
# (version, the committed sounds byte for byte, the window); then the bundle's tarball.
package: $(STAMPS)/system-run $(STAMPS)/installed-package
	rm -rf $(DIST) build/pyinstaller build/wheel-venv
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m build --outdir $(DIST) .
	$(PYTHON) -m venv build/wheel-venv
	build/wheel-venv/bin/python -m pip install -q $(DIST)/tempo_coach-$(VERSION)-py3-none-any.whl
	$(PY) packaging/check_app.py build/wheel-venv/bin/tempo-coach
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath $(DIST)/pyinstaller \
		--workpath build/pyinstaller packaging/pyinstaller/tempo-coach.spec
	$(PY) packaging/check_app.py $(DIST)/pyinstaller/tempo-coach/tempo-coach
	tar -C $(DIST)/pyinstaller -czf $(BUNDLE_TARBALL) tempo-coach
	@echo "built: $$(ls $(DIST)/*.tar.gz $(DIST)/*.whl | tr '\n' ' ')"

# The menu entry, metainfo and icons under $${XDG_DATA_HOME:-~/.local/share}, for this user.
install-desktop:
	sh packaging/linux/install-desktop.sh "$(TEMPO_COACH_EXEC)" \
		packaging/linux/$(APP_ID).desktop packaging/linux/$(APP_ID).metainfo.xml assets/icons/hicolor

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
