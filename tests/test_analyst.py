"""Analyst queries over a generated archive (deadline filters, full-text search), and the
exports (CSV, JSON, iCalendar, DOT) over the real samples, on SQLite and on PostgreSQL. Expected answers are computed from
the generator's parameters, not from vanthu.

The archive holds 2,000 records, enough for every filter to keep some deadlines and drop
others (each test checks both); `make bench` runs these tests again over 100,000 records
(`--archive-size 100000`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from vanthu.knowledge.orthography import fold
from vanthu.store import DeadlineFilter, add_records, citing, deadlines, open_engine, search
from vanthu.cli import main

from conftest import SAMPLES
from databases import KINDS
from documents import RARE_PHRASE, generated_record, params

TTTT = ("Sở Thông tin và Truyền thông", "Sở TT&TT")


@pytest.fixture(scope="session", params=KINDS)
def archive(request, new_database):
    """An archive of generated records (SQLite, then PostgreSQL), and their parameters."""
    size = request.config.getoption("archive_size")
    engine = open_engine(new_database(request.param).url)
    assert add_records(engine, (generated_record(i) for i in range(size))) == size
    yield engine, [params(i) for i in range(size)]
    engine.dispose()


def due_pairs(items) -> set[tuple[str, str]]:
    return {(item.number, item.due_date) for item in items}


def every_due(ps) -> set[tuple[str, str]]:
    return {(p.number, d) for p in ps for d in (p.due, p.due_month)}


def test_deadlines_in_a_range_for_a_unit_typed_without_marks_and_abbreviated(archive):
    engine, ps = archive
    got = deadlines(engine, DeadlineFilter(date_from="2024-03-01", date_to="2024-03-31", responsible="So TTTT"))
    want = {(p.number, p.due) for p in ps if p.other in TTTT and "2024-03-01" <= p.due <= "2024-03-31"}
    in_range = {(n, d) for n, d in every_due(ps) if "2024-03-01" <= d <= "2024-03-31"}
    assert want and len(want) < len(in_range)  # the unit filter keeps some deadlines and drops others
    assert due_pairs(got) == want
    assert {item.responsible for item in got} == set(TTTT)  # both printed forms found


def test_overdue_and_upcoming(archive):
    engine, ps = archive
    today = dt.date(2024, 5, 1)
    overdue = deadlines(engine, DeadlineFilter(overdue=True, today=today))
    want = {(n, d) for n, d in every_due(ps) if d < "2024-05-01"}
    assert 0 < len(want) < len(every_due(ps)) and due_pairs(overdue) == want
    upcoming = deadlines(engine, DeadlineFilter(upcoming=7, today=today))
    want = {(n, d) for n, d in every_due(ps) if "2024-05-01" <= d <= "2024-05-08"}
    assert want and due_pairs(upcoming) == want
    assert [i.due_date for i in upcoming] == sorted(i.due_date for i in upcoming)


def test_issuer_and_type_filters_and_sorting(archive):
    engine, ps = archive
    where = DeadlineFilter(issuer="so tai chinh", doc_type="cong van", date_from="2025-06-01",
                           date_to="2025-06-30", sort="due", descending=True)
    got = deadlines(engine, where)
    want = {(p.number, d) for p in ps if p.sector == "Sở Tài chính"
            for d in (p.due, p.due_month) if "2025-06-01" <= d <= "2025-06-30"}
    in_range = {(n, d) for n, d in every_due(ps) if "2025-06-01" <= d <= "2025-06-30"}
    assert want and len(want) < len(in_range) and due_pairs(got) == want
    assert [i.due_date for i in got] == sorted((i.due_date for i in got), reverse=True)
    assert deadlines(engine, DeadlineFilter(doc_type="QĐ", limit=5)) == []  # no Quyết định in the archive
    latest = deadlines(engine, DeadlineFilter(sort="due", descending=True, limit=3))
    assert [i.due_date for i in latest] == sorted((d for _, d in every_due(ps)), reverse=True)[:3]


def test_search_is_accent_insensitive_and_exact(archive):
    engine, ps = archive
    rare = search(engine, "bach dang", limit=1000)
    assert sorted(int(h.number) - 100 for h in rare) == list(range(0, len(ps), 1000))
    assert {h.document_id for h in search(engine, RARE_PHRASE, limit=1000)} == {h.document_id for h in rare}
    for hit in rare:
        marked = [hit.snippet[s:e] for s, e in hit.highlights]
        assert marked and all(fold(m) in ("bach", "dang") for m in marked)
        assert "Bạch Đằng" in hit.snippet  # shown as printed


def test_search_ranks_subject_matches_and_filters_by_date_and_issuer(archive):
    engine, ps = archive
    hits = search(engine, '"kiem ke tai san"', date_from="2024-01-01", date_to="2024-06-30",
                  issuer="So Tai chinh", limit=500)
    want = {p.number for p in ps if p.topic == "kiểm kê tài sản công" and "2024-01-01" <= p.issued <= "2024-06-30"
            and p.sector == "Sở Tài chính"}
    assert want and {h.number for h in hits} == want
    assert all(h.subject == "kiểm kê tài sản công" for h in hits)
    common = search(engine, "chuyen doi so", limit=20)
    assert len(common) == 20 and all("chuyển đổi số" in h.subject for h in common)  # subject weighs more


# --- exports, on the real samples -----------------------------------------------------------


@pytest.fixture(scope="module", params=KINDS)
def samples_db(request, new_database, runner_module):
    database = new_database(request.param)
    result = runner_module.invoke(main, ["ingest", str(SAMPLES), "--db", database.url, "-q"])
    assert result.exit_code == 0, result.output
    return database.url


@pytest.fixture(scope="module")
def runner_module():
    from click.testing import CliRunner
    return CliRunner()


def test_ics_has_one_event_per_deadline(runner, samples_db):
    from icalendar import Calendar

    result = runner.invoke(main, ["deadlines", "--db", samples_db, "--format", "ics"])
    assert result.exit_code == 0
    calendar = Calendar.from_ical(result.stdout_bytes)
    events = calendar.walk("VEVENT")
    assert sorted((e.decoded("dtstart").isoformat(), str(e["summary"])) for e in events) == [
        ("2022-10-31", "Hạn 4685/UBND-KGVX: Sở Thông tin và Truyền thông"),
        ("2023-10-15", "Hạn 4868/UBND-KGVX: Thủ trưởng các sở, ban, ngành, đơn vị trực thuộc tỉnh; "
                       "tổ chức chính trị - xã hội tỉnh; Chủ tịch UBND các huyện, thị xã, thành phố"),
        ("2023-11-15", "Hạn 4868/UBND-KGVX: Sở Thông tin và Truyền thông"),
        ("2025-08-06", "Hạn …/SKHCN-BCVT&CĐS: Cơ quan chuyên môn thuộc UBND tỉnh; Công an tỉnh; "
                       "Ủy ban nhân dân các xã, phường, đặc khu"),
    ]
    assert len({str(e["uid"]) for e in events}) == 4
    assert "Văn bản: Công văn 4868/UBND-KGVX ngày 2023-10-03" in str(events[1]["description"]) + str(
        events[2]["description"])


def test_csv_has_a_bom_a_header_and_vietnamese(runner, samples_db):
    result = runner.invoke(main, ["deadlines", "--db", samples_db, "--format", "csv", "--responsible", "so tt&tt"])
    assert result.stdout_bytes.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert [(r["due_date"], r["responsible"], r["number"]) for r in rows] == [
        ("2022-10-31", "Sở Thông tin và Truyền thông", "4685"), ("2023-11-15", "Sở Thông tin và Truyền thông", "4868")]


def test_json_and_overdue_with_a_given_today(runner, samples_db):
    result = runner.invoke(main, ["deadlines", "--db", samples_db, "--format", "json", "--overdue",
                                  "--today", "2023-11-01"])
    assert [d["due_date"] for d in json.loads(result.output)] == ["2022-10-31", "2023-10-15"]


def test_search_command_prints_highlighted_snippets_as_json(runner, samples_db):
    result = runner.invoke(main, ["search", "ke hoach so 181", "--db", samples_db, "--format", "json"])
    hits = json.loads(result.output)
    assert [h["number"] for h in hits] == ["4685"]
    marked = {hits[0]["snippet"][s:e] for s, e in hits[0]["highlights"]}
    assert "181" in marked and {fold(m) for m in marked} <= {"ke", "hoach", "so", "181"}


def test_cites_cited_by_and_graph(runner, samples_db, write):
    reply = (SAMPLES / "000_ee557d941187270d.txt").read_text(encoding="utf-8").replace(
        "Số: 4868 /UBND-KGVX", "Số: 5001 /UBND-KGVX").replace(
        "tiếp theo Công văn số 4383/UBND-KGVX ngày 08/9/2023",
        "tiếp theo Công văn số 4685/UBND-KGVX ngày 19/9/2022")
    runner.invoke(main, ["ingest", str(write("reply.txt", reply)), "--db", samples_db, "-q"])
    citing_13 = json.loads(runner.invoke(main, ["cites", "13-NQ/TU", "--db", samples_db, "--format", "json"]).output)
    assert [d["number"] for d in citing_13] == ["4868", "5001"]
    cited = json.loads(runner.invoke(main, ["cited-by", "5001/UBND-KGVX", "--db", samples_db,
                                            "--format", "json"]).output)
    assert [(c["number"], c["symbol"], c["document_id"] is not None) for c in cited] == [
        ("13", "NQ/TU", False), ("4685", "UBND-KGVX", True)]
    graph = json.loads(runner.invoke(main, ["citations", "--db", samples_db]).output)
    labels = {n["id"]: n for n in graph["nodes"]}
    reply_id = next(k for k, n in labels.items() if n["number"] == "5001")
    stored_4685 = next(k for k, n in labels.items() if n["number"] == "4685" and n["document_id"])
    assert {"from": reply_id, "to": stored_4685} in graph["edges"]
    dot = runner.invoke(main, ["citations", "--db", samples_db, "--format", "dot"]).output
    assert dot.startswith("digraph citations {") and f'"{reply_id}" -> "{stored_4685}";' in dot
    # Look-alike and unaccented symbols are the same symbol.
    assert [d.symbol for d in citing(open_engine(samples_db), "1690/QD-TTg")] == ["UBND-VP"]


def test_export_jsonl_and_csv(runner, samples_db, tmp_path):
    out = tmp_path / "records.jsonl"
    assert runner.invoke(main, ["export", "--db", samples_db, "--output", str(out)]).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == sorted(r["id"] for r in records) and len(records) >= 5
    assert records[0]["symbol"] == "UBND-KGVX" and records[0]["deadlines"][0]["date"] == "2023-10-15"
    result = runner.invoke(main, ["export", "--db", samples_db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0]["issuer"] == "Ủy ban nhân dân tỉnh Quảng Ngãi" and rows[0]["number"] == "4868"
    assert len(rows) == len(records)


def test_ics_repeats_a_recurring_deadline_and_times_a_timed_one():
    from icalendar import Calendar

    from vanthu.store import DueItem
    from vanthu.output import deadlines_ics

    common = dict(responsible="UBND các huyện", expression="…", document_id=1, number="12", symbol="STC-NS",
                  issuer="Sở Tài chính", subject="báo cáo", sha256="ab" * 32)
    items = [DueItem(due_date="2023-10-15", recurs="monthly", task="Báo cáo tháng", **common),
             DueItem(due_date="2023-10-20", time="16:30", task="Gửi hồ sơ", **common)]
    events = Calendar.from_ical(deadlines_ics(items)).walk("VEVENT")
    assert dict(events[0]["rrule"]) == {"FREQ": ["MONTHLY"]}
    start = events[1].decoded("dtstart")
    assert (start.hour, start.minute, start.utcoffset().total_seconds()) == (16, 30, 7 * 3600)
