"""Start-up stays light: the command line and the database queries import no OCR, PDF,
language-model, NLP or web library (each is imported by the code that uses it). Checked in a
fresh interpreter, from sys.modules; timings are measured by `make bench`, not asserted."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from vanthu.store import add_records, open_current_sqlite, open_engine

from documents import generated_record

HEAVY = {"spacy", "cv2", "pypdfium2", "pdfplumber", "numpy", "PIL", "datasette", "uvicorn", "alembic", "docx",
         "dask", "distributed", "psycopg"}


def imported_by(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`: their names, and the
    names of their top-level packages."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    names = set(json.loads(result.stdout.splitlines()[-1]))
    return names | {name.split(".")[0] for name in names}


def test_importing_the_command_line_imports_no_heavy_library():
    loaded = imported_by("import vanthu.cli")
    assert loaded & (HEAVY | {"sqlalchemy", "pydantic", "rich"}) == set()


def test_help_and_deadlines_import_no_heavy_library(tmp_path):
    db = tmp_path / "v.db"
    add_records(open_engine(str(db)), (generated_record(i) for i in range(20)))
    run = "from vanthu.cli import main\ntry:\n    main({args})\nexcept SystemExit as exit:\n    assert not exit.code"
    assert imported_by(run.format(args=["--help"])) & (HEAVY | {"sqlalchemy", "pydantic"}) == set()
    # A database at this vanthu's schema is queried through sqlite3: SQLAlchemy is not imported.
    loaded = imported_by(run.format(args=["deadlines", "--db", str(db), "--responsible", "So TTTT"]))
    assert "vanthu.store.deadline_queries" in loaded and loaded & (HEAVY | {"sqlalchemy"}) == set()


def test_deadlines_on_a_new_file_creates_it_through_the_engine(tmp_path):
    """No file yet: the engine creates it at this vanthu's schema, then the query runs
    (an older database upgraded first: tests/test_migrations.py)."""
    from vanthu.cli import main

    db = tmp_path / "new.db"
    assert open_current_sqlite(str(db)) is None and not db.exists()
    result = CliRunner().invoke(main, ["deadlines", "--db", str(db), "--format", "json"])
    assert (result.exit_code, result.stdout) == (0, "[]\n")
    assert open_current_sqlite(str(db)) is not None


def test_a_local_ingest_imports_no_cluster_library(tmp_path):
    """Without --cluster, a batch runs in this machine's process pool: Dask is not imported.
    Nor spaCy: organizations are matched over the gazetteer without it (its import alone
    cost every command ~1 s). Nor, for files of text, the OCR stack (OpenCV, PDFium)."""
    from conftest import SAMPLES

    run = "from vanthu.cli import main\ntry:\n    main({args})\nexcept SystemExit as exit:\n    assert not exit.code"
    loaded = imported_by(run.format(args=["ingest", str(SAMPLES), "--db", str(tmp_path / "v.db"), "-q"]))
    assert "vanthu.pipeline" in loaded and loaded & {"dask", "distributed", "psycopg", "spacy", "cv2", "pypdfium2"} == set()
    # Rows are written with SQLAlchemy Core on the tables: its ORM (~0.1 s of every process's
    # start) is for the commands that read rows as objects.
    assert "vanthu.store.writing" in loaded and "sqlalchemy.orm" not in loaded
    # The new file was built at this vanthu's schema from the migrations' snapshot
    # (vanthu.store.snapshot), without importing Alembic.
    assert "alembic" not in loaded
    current = open_current_sqlite(str(tmp_path / "v.db"))
    assert current is not None
    current.close()


def test_a_local_cluster_batch_whose_files_are_all_stored_starts_no_cluster(tmp_path):
    """A local cluster's workers are started once a file needs them: run again over files
    already stored, `vanthu ingest --cluster local:2` starts none, nor imports Dask."""
    import shutil

    from conftest import SAMPLES
    from vanthu.cli import main

    folder, db = tmp_path / "in", tmp_path / "v.db"
    folder.mkdir()
    for name in ("000_ee557d941187270d.txt", "001_3c09d191f023b9d0.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    assert CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "-q"]).exit_code == 0
    run = "from vanthu.cli import main\ntry:\n    main({args})\nexcept SystemExit as exit:\n    assert not exit.code"
    loaded = imported_by(run.format(args=["ingest", str(folder), "--db", str(db), "-q", "--cluster", "local:2"]))
    assert "vanthu.cluster" in loaded and loaded & {"dask", "distributed"} == set()


def test_extracting_a_text_file_imports_no_store_ocr_or_nlp_library():
    """`vanthu extract` stores nothing: the pipeline does not import the store's writing side
    or SQLAlchemy (nor, for a text file, the OCR stack or spaCy; the language model that
    restores 003's marks is numpy's)."""
    from conftest import SAMPLES

    run = "from vanthu.cli import main\ntry:\n    main({args})\nexcept SystemExit as exit:\n    assert not exit.code"
    loaded = imported_by(run.format(args=["extract", str(SAMPLES / "003_07071c8f3bf3abc8.txt"), "--json"]))
    assert "vanthu.pipeline" in loaded
    assert loaded & {"vanthu.store.writing", "sqlalchemy", "spacy", "cv2", "pypdfium2"} == set()


def test_no_name_the_store_exports_is_also_one_of_its_modules():
    """`vanthu.store` loads its names on first use; a submodule of the same name, once
    imported by anyone, would take that name's place (`from vanthu.store import search`
    gave the module, seen when a test imported vanthu.store.search first)."""
    import pkgutil

    import vanthu.store

    modules = {info.name for info in pkgutil.iter_modules(vanthu.store.__path__)}
    assert not modules & set(vanthu.store.__all__)
    for name in modules:
        __import__(f"vanthu.store.{name}")
    assert callable(vanthu.store.search) and callable(vanthu.store.deadlines)
