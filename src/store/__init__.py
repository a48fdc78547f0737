"""Store stage: records in a relational database (SQLite by default, or PostgreSQL by URL).

Public API: opening (`open_engine`; `open_current_sqlite` for the queries that need no
SQLAlchemy), writing (`add_record`, `add_records`, `known_document`,
`known_unchanged`), analyst queries (`deadlines`, `search`, `citing`, `cited_by`,
`citation_graph`, `find_documents`, `all_records`), inbox runs and failures (`start_run`,
`finish_run`, `list_runs`, `record_failure`, `failure_of`), `stats`, re-derivation
(`stored_versions`, `documents_to_rederive`, `protected_fields`, `replace_records`), the
workbench's corrections (`apply_review`, `corrections_of`), deadlines marked done
(`mark_done`, `reopen`), users (`add_user`, `verify_user`, …) and reads (`review_queue`,
`stored_detail`, `same_registrations`), `StoreError`. SQLite or PostgreSQL (`dialects`: what
differs when writing; `fulltext`: the search index of each). The schema is owned by the
Alembic migrations in `migrations/` (`migrate`).

Names are imported from their module when first used (PEP 562), so a command that only
queries deadlines does not import the writing, search or re-derivation code, and nothing
here imports SQLAlchemy until the database is used.
"""

from __future__ import annotations

import importlib

from .errors import StoreError

DEFAULT_DB = "vanthu.db"

_MODULES = {
    ".database": ("open_engine", "optimize", "shown_url"),
    ".reading": ("BUSY_TIMEOUT_MS", "database_url", "open_current_sqlite", "sqlite_file"),
    ".migrate": ("Upgrade",),
    ".writing": ("Known", "Seen", "Stored", "add_record", "add_records", "known_document", "known_unchanged",
                 "stored_document"),
    ".citations": ("CitationGraph", "DocumentRef", "citation_graph", "cited_by", "citing"),
    ".deadline_queries": ("DeadlineFilter", "DueItem", "canonical_doc_type", "deadlines"),
    ".queries": ("all_records", "find_documents", "split_key"),
    ".text_search": ("Hit", "search"),
    ".runs": ("FailureInfo", "RunInfo", "Stats", "failure_of", "finish_run", "list_runs", "record_failure",
              "start_run", "stats"),
    ".rederive": ("WHERE_COLUMNS", "Condition", "StoredDocument", "documents_to_rederive", "protected_fields",
                  "replace_records", "stored_versions"),
    ".corrections": ("Correction", "ReviewConflict", "ReviewError", "apply_review", "corrections_of", "fingerprint"),
    ".progress": ("mark_done", "reopen"),
    ".users": ("add_user", "check_new_user", "has_users", "remove_user", "user_names", "verify_user"),
    ".workbench": ("QueueFilter", "QueueItem", "Registration", "StoredDetail", "queue_neighbours", "review_queue",
                   "same_registrations", "stored_detail", "stored_file"),
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}

__all__ = ["DEFAULT_DB", "StoreError", *_MODULE_OF]


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
