"""Store stage: records in a relational database (SQLite by default, any SQLAlchemy URL).

Public API: `open_engine`, `add_record`, `deadlines`, `find_documents`, `StoreError`.
"""

from store.database import (DEFAULT_DB, Known, Stored, StoreError, add_record, database_url,
                            known_document, open_engine)
from store.queries import DueItem, deadlines, find_documents

__all__ = [
    "DEFAULT_DB", "DueItem", "Known", "StoreError", "Stored", "add_record", "database_url", "deadlines",
    "find_documents", "known_document", "open_engine",
]
