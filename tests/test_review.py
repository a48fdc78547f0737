"""`vanthu review` highlights exactly what was read; `vanthu eval` scores the body's lists."""

from __future__ import annotations

import html
import re

from vanthu.cli import main

from conftest import SAMPLES

SAMPLE = SAMPLES / "000_ee557d941187270d.txt"


def marks(page: str) -> list[tuple[str, str]]:
    """(highlighted text, label) pairs of a displaCy page."""
    found = re.findall(r"<mark[^>]*>\s*(.*?)\s*<span[^>]*>\s*(\w+)\s*</span>", page, flags=re.S)
    return [(re.sub(r"\s+", " ", html.unescape(re.sub(r"<br>", " ", text))).strip(), label)
            for text, label in found]


def test_review_page_highlights_extracted_values(runner, tmp_path):
    out = tmp_path / "review.html"
    result = runner.invoke(main, ["review", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    found = marks(page)
    for pair in [("4868", "NUMBER"), ("UBND-KGVX", "SYMBOL"), ("Quảng Ngãi", "PLACE"),
                 ("ngày 03 tháng 10 năm 2023", "ISSUE_DATE"), ("13-NQ/TU", "REFERENCE"),
                 ("Ban Thường vụ Tỉnh ủy", "CITED_ISSUER"), ("Sở Thông tin và Truyền thông", "ADDRESSEE"),
                 ("trước ngày 15/10/2023", "DEADLINE"), ("Đặng Văn Minh", "SIGNER")]:
        assert pair in found
    assert '"symbol": "UBND-KGVX"' in html.unescape(page)  # the record beside the text


def test_review_of_a_bad_file_names_it(runner, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = runner.invoke(main, ["review", str(bad)])
    assert result.exit_code == 1
    assert f"vanthu: error: {bad}:" in result.output


def test_eval_scores_deadlines_references_and_directives(runner, gold):
    result = runner.invoke(main, ["eval", str(SAMPLES / "gold.jsonl")])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line.strip()}
    # field, matched, extracted, gold, precision, recall, F1
    assert rows["deadlines"][1:4] == ["4", "4", "4"] and rows["deadlines"][-1] == "1.000"
    assert float(rows["references"][-1]) >= 0.95
    # Directives: the gold count is the gold file's top-level sections, and the scores agree
    # with the counts printed beside them.
    matched, extracted, wanted = map(int, rows["directives"][1:4])
    assert wanted == sum(len(row["directives"]) for row in gold.values()) == 13
    precision, recall = matched / extracted, matched / wanted
    assert rows["directives"][4:6] == [f"{precision:.1%}", f"{recall:.1%}"]
    assert float(rows["directives"][6]) == round(2 * precision * recall / (precision + recall), 3) >= 0.9
