"""vanthu: Vietnamese official documents -> structured records in SQLite.

The stages are separate packages (`ingest`, `extract`, `normalize`, `store`); this package
wires them together (`vanthu.pipeline`) and holds the command line (`vanthu.cli`).
"""

__version__ = "0.1.0"
