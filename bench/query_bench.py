"""Query benchmark: deadline filters and full-text search over a generated archive.

    python bench/query_bench.py [--records 100000] [--repeat 7]

Builds an SQLite archive of generated records (tests/documents.py: công văn from seven
provinces, two deadlines and a citation each; 1 in 1000 mentions a rare phrase) with
`store.add_records`, then times each query through the library, as `vanthu deadlines` and
`vanthu search` run it (median of `--repeat` runs after one warm-up). Prints Markdown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from documents import generated_record  # noqa: E402

from vanthu.store import DeadlineFilter, add_records, deadlines, open_engine, search  # noqa: E402

TODAY = dt.date(2024, 5, 1)
QUERIES = [
    ("`deadlines --from 2024-03-01 --to 2024-03-31`", lambda e: deadlines(e, DeadlineFilter(
        date_from="2024-03-01", date_to="2024-03-31"))),
    ("`deadlines --from 2024-03-01 --to 2024-03-31 --responsible \"So TTTT\"`", lambda e: deadlines(e, DeadlineFilter(
        date_from="2024-03-01", date_to="2024-03-31", responsible="So TTTT"))),
    ("`deadlines --overdue --today 2024-05-01 --limit 100`", lambda e: deadlines(e, DeadlineFilter(
        overdue=True, today=TODAY, limit=100))),
    ("`deadlines --upcoming 7 --today 2024-05-01`", lambda e: deadlines(e, DeadlineFilter(upcoming=7, today=TODAY))),
    ("`deadlines --issuer \"so tai chinh\" --type \"cong van\" --from 2025-06-01 --to 2025-06-30`",
     lambda e: deadlines(e, DeadlineFilter(issuer="so tai chinh", doc_type="cong van", date_from="2025-06-01",
                                           date_to="2025-06-30"))),
    ("`deadlines --responsible \"ubnd cac huyen\" --sort due --desc --limit 50`", lambda e: deadlines(
        e, DeadlineFilter(responsible="ubnd cac huyen", descending=True, limit=50))),
    ("`search \"chuyen doi so\"` (a word in 1 document in 7)", lambda e: search(e, "chuyen doi so")),
    ("`search \"bach dang\"` (a rare word)", lambda e: search(e, "bach dang")),
    ("`search '\"kiem ke tai san\"' --from 2024-01-01 --to 2024-03-31 --issuer \"So Tai chinh\"`",
     lambda e: search(e, '"kiem ke tai san"', date_from="2024-01-01", date_to="2024-03-31", issuer="So Tai chinh")),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vanthu-query-bench-") as scratch:
        path = Path(scratch) / "archive.db"
        engine = open_engine(str(path))
        started = time.monotonic()
        add_records(engine, (generated_record(i) for i in range(args.records)))
        build = time.monotonic() - started
        size = sum(p.stat().st_size for p in Path(scratch).iterdir()) / 1e6
        results = []
        for name, query in QUERIES:
            found = len(query(engine))
            times = []
            for _ in range(args.repeat):
                begin = time.perf_counter()
                query(engine)
                times.append(time.perf_counter() - begin)
            results.append((name, found, statistics.median(times) * 1000, max(times) * 1000))
    print("## Analyst queries\n")
    print(f"`python bench/query_bench.py --records {args.records} --repeat {args.repeat}` (run by `make bench`) on "
          f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite "
          f"{__import__('sqlite3').sqlite_version}. The archive of {args.records:,} generated records "
          f"({2 * args.records:,} deadlines) took {build:.0f} s to build (`store.add_records`) and holds "
          f"{size:,.0f} MB. Times are through the library, as the commands run them; target under 200 ms.\n")
    print("| query | results | median | slowest |")
    print("|---|---:|---:|---:|")
    for name, found, median, slowest in results:
        print(f"| {name} | {found:,} | {median:.0f} ms | {slowest:.0f} ms |")
    print("\nUnits and issuers are matched by key: the distinct keys are read from their index and "
          "filtered in Python, so a typed unit becomes an indexed `IN (…)` lookup; full-text search "
          "ranks with FTS5's BM25 and reads the text of only the documents it returns.")


if __name__ == "__main__":
    main()
