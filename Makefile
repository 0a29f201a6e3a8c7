# Voice Cloning Lab: the README's two commands are `make app` and `make test`.
# Both create .venv/ (Python 3.11) on first use and reinstall when requirements change.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8866

.PHONY: app test test-fast lab book browser-deps hub hub-deps hub-python media bench clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	$(PY) -m toolkit prepare
	@touch $(STAMP)

## Serve the Voila app on http://127.0.0.1:$(PORT)/
app: $(STAMP)
	$(PY) -m toolkit serve --port $(PORT) --idle-timeout 0

## A workshop JupyterHub on http://127.0.0.1:$(HUB_PORT)/ (set VOICE_LAB_HUB_PASSWORD first; docs/hosting.md)
HUB_PORT ?= 8000
hub: $(STAMP) hub-deps
	$(PY) -m toolkit hub --port $(HUB_PORT)

## As root: build, ahead of the day, the Python participants' servers run (`voice-lab hub` builds it too when
## the host's own is closed to other users, e.g. pyenv under /root): /opt/voice-lab/python and /opt/voice-lab/venv
hub-python: $(STAMP)
	$(PY) -c "from toolkit.hub.python import participant_python; from toolkit.hub.run import REPO; print(participant_python(repo=REPO))"

## configurable-http-proxy (JupyterHub's proxy) from npm, into .venv/node (Debian's nodejs/npm when missing)
CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy
hub-deps: $(STAMP)
	@test -x $(CHP) || { \
	  command -v npm >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	    else echo "npm is missing: run 'sudo apt-get install nodejs npm' for the hub"; exit 1; fi; }; \
	  npm install --no-save --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@5.3.0 >/dev/null; }

## Open JupyterLab on the notebooks
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --ip=127.0.0.1 --no-browser $(if $(filter 0,$(shell id -u)),--allow-root)

## Execute the notebooks as a learner has them (a copy of the checkout, no ../shared) and build the book into build/book/
book: $(STAMP)
	$(PY) book/build.py

## Run the whole test suite (installs Chromium from Debian for the browser tests when missing)
test: $(STAMP) browser-deps hub-deps
	$(PY) -m pytest -ra

## Everything but the browser, notebook and slow tests
test-fast: $(STAMP)
	$(PY) -m pytest -ra -m "not browser and not notebook and not slow"

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Chromium from Debian's packages for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium' for the browser tests"; \
	  fi; }

## Regenerate the example clips in media/
media: $(STAMP)
	$(PY) media/make_media.py

clean:
	rm -rf $(VENV) .pytest_cache build
