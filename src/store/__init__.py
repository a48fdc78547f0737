"""Store stage: records in a relational database (SQLite by default, any SQLAlchemy URL).

Public API: `open_engine`, `add_record`, `known_document`, `known_unchanged`, `deadlines`,
`find_documents`, inbox runs and failures (`start_run`, `finish_run`, `list_runs`,
`record_failure`, `failure_of`), `stats`, `StoreError`.
"""

from store.database import (DEFAULT_DB, Known, Seen, Stored, StoreError, add_record, database_url,
                            known_document, known_unchanged, open_engine)
from store.queries import DueItem, deadlines, find_documents
from store.runs import (FailureInfo, RunInfo, Stats, failure_of, finish_run, list_runs, record_failure,
                        start_run, stats)

__all__ = [
    "DEFAULT_DB", "DueItem", "FailureInfo", "Known", "RunInfo", "Seen", "Stats", "StoreError", "Stored",
    "add_record", "database_url", "deadlines", "failure_of", "find_documents", "finish_run",
    "known_document", "known_unchanged", "list_runs", "open_engine", "record_failure", "start_run",
    "stats",
]
