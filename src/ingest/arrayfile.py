"""One file of named numpy arrays, read in place through a memory map.

A trained model is a handful of large sorted arrays. Loading them must cost nothing per
process: `open_arrays` maps the file read-only and returns views into the map, so the
operating system shares the pages between processes (OCR workers) and reads only the pages
a lookup touches. `np.load(mmap_mode="r")` does the same for one array per file; this format
keeps a model in one file, which ships as package data.

Layout: the magic line, an 8-byte little-endian header length, a JSON header
`{"meta": {...}, "arrays": {name: [offset, dtype, shape]}}`, then the arrays, each aligned
to 64 bytes.
"""

from __future__ import annotations

import json
import mmap
import os
from pathlib import Path

import numpy as np

MAGIC = b"VANTHU-ARRAYS-1\n"
ALIGN = 64


def save_arrays(path: Path, arrays: dict[str, np.ndarray], meta: dict) -> None:
    """Write `arrays` (little-endian, C order) and the JSON-able `meta` to `path`."""
    layout: dict[str, list] = {}
    offset = 0
    blobs = []
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        if array.dtype.byteorder == ">":
            array = array.astype(array.dtype.newbyteorder("<"))
        offset = -(-offset // ALIGN) * ALIGN
        layout[name] = [offset, array.dtype.str, list(array.shape)]
        blobs.append((offset, array))
        offset += array.nbytes
    header = json.dumps({"meta": meta, "arrays": layout}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    start = -(-(len(MAGIC) + 8 + len(header)) // ALIGN) * ALIGN
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed over: a process that has the old file mapped keeps reading
    # it (truncating a mapped file in place would kill its readers with SIGBUS).
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as out:
        out.write(MAGIC + len(header).to_bytes(8, "little") + header)
        for position, array in blobs:
            out.seek(start + position)
            out.write(array.tobytes())
        out.truncate(start + offset)
    os.replace(partial, path)


def open_arrays(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays of `path` as read-only views into a memory map, and its meta."""
    with open(path, "rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise ValueError(f"{path} is not a vanthu array file")
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    size = int.from_bytes(mapped[len(MAGIC):len(MAGIC) + 8], "little")
    header = json.loads(mapped[len(MAGIC) + 8:len(MAGIC) + 8 + size].decode("utf-8"))
    start = -(-(len(MAGIC) + 8 + size) // ALIGN) * ALIGN
    arrays = {}
    for name, (offset, dtype, shape) in header["arrays"].items():
        count = int(np.prod(shape)) if shape else 1
        arrays[name] = np.frombuffer(mapped, dtype=np.dtype(dtype), count=count,
                                     offset=start + offset).reshape(shape)
    return arrays, header["meta"]
