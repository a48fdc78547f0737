"""ingest / deadlines / show against a real SQLite file and a real PostgreSQL database,
checked value by value."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3

import pytest

from vanthu.cli import main

from conftest import SAMPLES
from databases import KINDS


@pytest.fixture(scope="module", params=KINDS)
def ingested(request, new_database):
    from click.testing import CliRunner

    database = new_database(request.param)
    result = CliRunner().invoke(main, ["ingest", str(SAMPLES), "--db", database.url])
    assert result.exit_code == 0, result.stderr
    return database


@pytest.fixture
def db(ingested, tmp_path):
    """The samples ingested once per module and kind of database; each test gets its own
    copy of the database."""
    return ingested.copy(tmp_path)


def test_ingest_reports_each_file_and_a_summary(db, runner):
    result = runner.invoke(main, ["ingest", str(SAMPLES), "--db", db.url])
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["unchanged", "#1", "4868/UBND-KGVX"]
    assert lines[-1] == f"5 files: 0 stored, 5 unchanged, 0 failed ({db.url})"


def test_reingest_and_renamed_copy_never_duplicate(db, runner, tmp_path):
    copy = tmp_path / "renamed.txt"
    shutil.copy(SAMPLES / "000_ee557d941187270d.txt", copy)
    result = runner.invoke(main, ["ingest", str(copy), "--db", db.url])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"1 files: 0 stored, 1 unchanged, 0 failed ({db.url})"
    assert db.rows("select count(*) from documents") == [(5,)]
    paths = [row[0] for row in db.rows("select path from files where document_id = 1 order by id")]
    assert paths == [str(SAMPLES / "000_ee557d941187270d.txt"), str(copy)]


def test_rows_keep_values_and_extractor_version(db):
    [row] = db.rows("select number, symbol, issue_date, issuer, parent_issuer, extractor_version "
                    "from documents where symbol = 'SKHCN-BCVT&CĐS'")
    assert row[:5] == (None, "SKHCN-BCVT&CĐS", "2025-08", "Sở Khoa học và Công nghệ",
                       "Ủy ban nhân dân tỉnh Quảng Ngãi")
    assert row[5].startswith("ingest-") and "+extract-" in row[5]
    cited = db.rows("select number, symbol_key from citations where symbol = 'QĐ-TTg' order by id")
    assert cited[0] == ("1690", "QD-TTG")


def test_deadlines_json_in_date_order(db, runner):
    result = runner.invoke(main, ["deadlines", "--db", db.url, "--format", "json"])
    items = json.loads(result.stdout)
    assert [(i["due_date"], i["number"], i["symbol"]) for i in items] == [
        ("2022-10-31", "4685", "UBND-KGVX"),
        ("2023-10-15", "4868", "UBND-KGVX"),
        ("2023-11-15", "4868", "UBND-KGVX"),
        ("2025-08-06", None, "SKHCN-BCVT&CĐS"),
    ]


def test_deadlines_filters(db, runner):
    result = runner.invoke(main, ["deadlines", "--db", db.url, "--format", "json",
                                  "--from", "2023-01-01", "--to", "2023-12-31",
                                  "--responsible", "SO THONG TIN"])
    assert [i["due_date"] for i in json.loads(result.stdout)] == ["2023-11-15"]


def test_deadlines_csv_has_bom_and_header(db, runner):
    result = runner.invoke(main, ["deadlines", "--db", db.url, "--format", "csv"])
    assert result.stdout.startswith("\ufeffdue_date,time,kind,recurs,responsible,supporting,doc_type,number,symbol,"
                                    "issue_date,issuer,task,expression,directive_id,document_id,done_on\n")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[-1]["responsible"] == ("Cơ quan chuyên môn thuộc UBND tỉnh; Công an tỉnh; "
                                       "Ủy ban nhân dân các xã, phường, đặc khu")


def test_deadlines_table_names_unit_and_document(db, runner):
    result = runner.invoke(main, ["deadlines", "--db", db.url])
    assert result.exit_code == 0
    assert "Deadlines (4)" in result.stdout
    assert "2022-10-31" in result.stdout and "4685/UBND-KGVX" in result.stdout


def test_bad_date_is_a_usage_error(db, runner):
    result = runner.invoke(main, ["deadlines", "--db", db.url, "--from", "15/10/2023"])
    assert result.exit_code == 2


@pytest.mark.parametrize("key", ["19-CT/TU", "19/CT/TU", "4"])
def test_show_by_number_symbol_or_id(db, runner, key):
    result = runner.invoke(main, ["show", key, "--db", db.url, "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["symbol"] == "CT/TU"


def test_show_readable_view(db, runner):
    result = runner.invoke(main, ["show", "4685/UBND-KGVX", "--db", db.url])
    assert result.stdout.splitlines()[0] == "Công văn 4685/UBND-KGVX"
    assert "  Người ký: Trần Phước Hiền (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)" in result.stdout.splitlines()


def test_show_unknown(db, runner):
    result = runner.invoke(main, ["show", "999/XX-YY", "--db", db.url])
    assert result.exit_code == 1
    assert result.stderr == f"vanthu: error: no document '999/XX-YY' in {db.url}\n"


def test_vanthu_db_environment_variable(runner, tmp_path):
    path = tmp_path / "env.db"
    result = runner.invoke(main, ["ingest", str(SAMPLES / "002_4c264a809eab9d5c.txt")],
                           env={"VANTHU_DB": str(path)})
    assert result.exit_code == 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("select symbol from documents").fetchall() == [("UBND-VP",)]


def test_sqlalchemy_url_accepted(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'url.db'}"
    result = runner.invoke(main, ["ingest", str(SAMPLES / "002_4c264a809eab9d5c.txt"), "--db", url])
    assert result.exit_code == 0
    assert (tmp_path / "url.db").exists()


def test_a_password_in_a_database_url_is_never_printed(runner, postgres):
    url = postgres.url("nosuchdb").replace(f"{postgres.user}@", f"{postgres.user}:s3cret@")
    result = runner.invoke(main, ["stats", "--db", url])
    assert result.exit_code == 2
    assert "s3cret" not in result.output and f"cannot open database {postgres.user}:***@" in result.stderr.replace(
        "postgresql+psycopg://", "")
def test_responsible_finds_a_unit_as_lead_or_as_supporting(db, runner):
    """4868/UBND-KGVX: "Sở Thông tin và Truyền thông … Chủ trì, phối hợp các sở, ban, ngành, UBND
    các huyện, thị xã, thành phố …, hoàn thành trước ngày 15/11/2023"."""
    def due(unit: str) -> list[tuple]:
        result = runner.invoke(main, ["deadlines", "--db", db.url, "--format", "json", "--responsible", unit])
        return [(i["due_date"], i["responsible"], i["supporting"]) for i in json.loads(result.stdout)]

    lead = ("2023-11-15", "Sở Thông tin và Truyền thông", ["Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"])
    assert lead in due("So TTTT")  # as the lead unit
    assert lead in due("cac so ban nganh")  # as a supporting unit
    assert lead not in due("So Tai chinh")
