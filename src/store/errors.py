"""The store's error."""


class StoreError(Exception):
    """The database cannot be opened, upgraded, read or written."""
