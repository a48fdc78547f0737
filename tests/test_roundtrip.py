"""The generator of tests and benchmarks tells the truth: a generated document, extracted,
gives back exactly the record it was generated from (so the archives the analyst tests and
benchmarks query hold only values the extractor produces)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from vanthu.cli import main
from vanthu.pipeline import derive

from documents import generated_document, generated_record


# Numbers are index + 100, at most six digits as printed numbers are (a seven-digit
# "Số: 1000000/…" is not read as a number).
@given(st.integers(min_value=0, max_value=999_899) | st.sampled_from([0, 1000, 17, 999_899]))
@settings(max_examples=40, deadline=None)
def test_a_generated_document_extracted_gives_back_its_record(index):
    record, ingested = generated_record(index)
    assert derive(ingested).record == record


def test_the_same_through_a_file_and_the_command(runner, tmp_path):
    paths = []
    for index in (0, 17):  # the rare phrase; the abbreviated unit ("Sở TT&TT")
        paths.append(tmp_path / f"cv-{index}.txt")
        paths[-1].write_text(generated_document(index), encoding="utf-8")
    result = runner.invoke(main, ["extract", *map(str, paths), "--json"])
    assert result.exit_code == 0, result.output
    for line, path, index in zip(result.stdout.splitlines(), paths, (0, 17)):
        record = generated_record(index)[0]
        want = json.loads(record.model_copy(update={"source": record.source.model_copy(
            update={"path": str(path)})}).model_dump_json())
        assert json.loads(line) == want
