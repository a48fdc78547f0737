"""Store stage: records in a relational database (SQLite by default, any SQLAlchemy URL).

Public API: opening (`open_engine`), writing (`add_record`, `add_records`, `known_document`,
`known_unchanged`), analyst queries (`deadlines`, `search`, `citing`, `cited_by`,
`citation_graph`, `find_documents`, `all_records`), inbox runs and failures (`start_run`,
`finish_run`, `list_runs`, `record_failure`, `failure_of`), `stats`, `StoreError`.
"""

from .database import DEFAULT_DB, StoreError, database_url, open_engine, optimize, sqlite_file
from .writing import Known, Seen, Stored, add_record, add_records, known_document, known_unchanged, stored_document
from .citations import CitationGraph, DocumentRef, citation_graph, cited_by, citing
from .queries import (DeadlineFilter, DueItem, all_records, canonical_doc_type, deadlines, find_documents,
                           split_key)
from .search import Hit, search
from .runs import (FailureInfo, RunInfo, Stats, failure_of, finish_run, list_runs, record_failure,
                        start_run, stats)

__all__ = [
    "CitationGraph", "DeadlineFilter", "DocumentRef", "Hit", "all_records", "canonical_doc_type",
    "citation_graph", "cited_by", "citing", "search", "split_key",
    "DEFAULT_DB", "DueItem", "FailureInfo", "Known", "RunInfo", "Seen", "Stats", "StoreError", "Stored",
    "add_record", "add_records", "database_url", "deadlines", "failure_of", "find_documents", "finish_run",
    "known_document", "known_unchanged", "list_runs", "open_engine", "optimize", "record_failure", "sqlite_file",
    "start_run", "stats", "stored_document",
]
