# Sunbae: every target sets up .venv itself, so each is one command on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast bench lint model eval clean postgres-server lock

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: this exact CPU build lies on disk here; an unpinned torch pulls CUDA.
	$(PY) -m pip install -q torch==2.13.0
	# Every other dependency at the version of requirements.lock (pip constraints).
	$(PY) -m pip install -q -c requirements.lock -e ".[dev]"
	touch $(STAMP)

# Write requirements.lock from the working virtualenv (after changing a dependency).
lock: $(STAMP)
	{ sed -n '1,3p' requirements.lock; $(PY) -m pip freeze --exclude-editable \
		| grep -v '^torch==' | LC_ALL=C sort -f; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

model: $(STAMP)
	$(PY) -m knowledge.default_model

run: $(STAMP) model
	$(VENV)/bin/sunbae start

test: $(STAMP) model postgres-server
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

# The fast set: no model, no PostgreSQL, no subprocesses (well under a minute).
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not system"

# The tests start their own throwaway PostgreSQL cluster; they need the server binaries.
# Debian's package is installed when missing (its system service is never used).
postgres-server:
	@if [ -z "$$SUNBAE_TEST_POSTGRES_URL" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		echo "installing Debian's postgresql for the tests"; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql; \
	fi

bench: $(STAMP) model
	$(VENV)/bin/sunbae bench --json > bench.json
	$(VENV)/bin/python -m knowledge.bench.plot bench.json bench.png

# Leave-one-corpus-out over the five development corpora: a row per held-out corpus and the
# mean; every fitted number is fitted on the other four. Vectors are kept in data/eval-vectors.
eval: $(STAMP) model
	$(VENV)/bin/sunbae eval --loco

clean:
	rm -rf $(VENV) data
