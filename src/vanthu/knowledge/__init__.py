"""Shared knowledge: leaf modules any stage may import, and that import no stage.

- `orthography`: Vietnamese letters, folding (marks off, same length), tone placement.
- `gazetteer`: organ types, sectors, levels, abbreviations and positions of state and Party bodies.
"""
