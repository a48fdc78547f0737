# vanthu — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= vanthu.db
# System packages the project needs (OCR from the scanned-input issue on, fonts for test renders,
# LibreOffice to read Word 97-2003 .doc files).
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie fonts-texgyre fonts-dejavu-core poppler-utils libreoffice-writer-nogui
# Headless browser for the tests and the benchmark of `vanthu serve`'s pages (driven by
# Playwright's Python client, which is given this browser: it downloads none); PostgreSQL's
# server, which the tests start in a temporary folder (tests/pgserver.py) to run the store on it.
TEST_APT_PACKAGES := chromium postgresql
# Only `make bench` needs these: the peers vanthu is measured against.
BENCH_APT_PACKAGES := ocrmypdf time

CORPUS ?= ../shared/corpus
REALDOCS ?= ../shared/realdocs
SPLIT := build/restore-split

.PHONY: install system-deps bench-deps demo test eval eval-real bench bench-workbench schema schema-snapshot clean model eval-restore

$(BIN)/vanthu: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/vanthu

install: system-deps $(BIN)/vanthu  ## venv with vanthu installed editable, plus system packages

# $(call apt_install,PACKAGES): apt-get install those not installed yet (needs root or sudo).
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-deps:  ## apt-get install what is missing (needs root or sudo)
	$(call apt_install,$(APT_PACKAGES) $(TEST_APT_PACKAGES))

bench-deps:
	$(call apt_install,$(BENCH_APT_PACKAGES))

demo: install  ## ingest samples/ into $(DB) and print the deadlines table
	$(BIN)/vanthu ingest samples/ --db $(DB)
	$(BIN)/vanthu deadlines --db $(DB)

# Bytecode of the source tree written before the tests: where PYTHONDONTWRITEBYTECODE is set
# (this machine, CI), every `vanthu` process the tests start would otherwise compile each
# module it imports again (~0.1 s per `vanthu extract`). compileall writes it regardless.
# One pytest-xdist worker per CPU, a test file's tests on one worker (--dist loadfile): a
# file's fixtures (the workbench's browser and archive, the cluster tests' scans) are made
# once, and the Dask clusters of tests/test_cluster.py never run two at a time. Files are
# handed out in the order tests/conftest.py gives them (the slowest first), not reordered by
# their number of tests (--no-loadscope-reorder), so that the two workers finish together.
test: install
	$(BIN)/python -m compileall -q src tests > /dev/null
	$(BIN)/python -m pytest -q -n auto --dist loadfile --no-loadscope-reorder

eval: install  ## per-field accuracy on samples/gold.jsonl
	$(BIN)/vanthu eval samples/gold.jsonl

eval-real: install  ## per-field accuracy on the real scans of REALDOCS (OCR through vanthu), with the misses
	$(BIN)/vanthu eval $(REALDOCS)/qn/gold.jsonl $(REALDOCS)/national/gold.jsonl --misses

bench: install bench-deps $(SPLIT)/test-administrative.txt  ## OCR (renders and real scans), restoration, inbox, limits, query, start-up, re-extraction, Dask scaling and workbench figures -> docs/BENCHMARKS.md
	# The analyst tests' filters, checked again over 100,000 records (make test uses 2,000).
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_analyst.py --archive-size 100000
	$(BIN)/python bench/ocr_bench.py > docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/ocr_real.py --realdocs $(REALDOCS) >> docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/batch_real.py --realdocs $(REALDOCS) >> docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/eval_real.py --realdocs $(REALDOCS) >> docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/restore_eval.py $(SPLIT) >> docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/lm_worker_bench.py >> docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/inbox_bench.py --files 500 >> docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/limits_bench.py >> docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/query_bench.py --records 100000 >> docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/startup_bench.py >> docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/reextract_bench.py --records 2000 >> docs/BENCHMARKS.md.tmp
	echo >> docs/BENCHMARKS.md.tmp
	$(BIN)/python bench/scaling_bench.py --scans 12 --texts 300 >> docs/BENCHMARKS.md.tmp
	# The workbench's document page in Chromium; also writes docs/workbench-*.png.
	$(BIN)/python bench/workbench_bench.py --loads 10 >> docs/BENCHMARKS.md.tmp
	mv docs/BENCHMARKS.md.tmp docs/BENCHMARKS.md
	@cat docs/BENCHMARKS.md

bench-workbench: install  ## only the workbench figure (printed) and its screenshots (docs/workbench-*.png)
	$(BIN)/python bench/workbench_bench.py --loads 10

# Training counts the corpus (a minute) and prints and OCRs 24,000 lines with `-l eng` for the
# garbling channel (about half an hour on one core, kept in build/cache by content, so a
# second run takes minutes). Nice: the machine is shared.
model: install  ## rebuild models/syllables.lm from CORPUS (split by document; held-out split -> build/)
	nice -n 10 $(BIN)/python -m vanthu.ingest.lm_train $(CORPUS) models/syllables.lm --split-dir $(SPLIT) --cache-dir build/cache

$(SPLIT)/test-administrative.txt:
	$(BIN)/python -m vanthu.ingest.lm_train $(CORPUS) --split-dir $(SPLIT)

eval-restore: install $(SPLIT)/test-administrative.txt  ## restoration accuracy per class and input kind, speed, size
	$(BIN)/python bench/restore_eval.py $(SPLIT)

schema: install  ## export the record's JSON Schema
	$(BIN)/vanthu schema > docs/record.schema.json

schema-snapshot: install  ## after a new migration: what the migrations build, from which new SQLite files are made
	$(BIN)/python -m vanthu.store.snapshot

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info $(DB) $(DB)-wal $(DB)-shm
