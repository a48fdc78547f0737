"""Word documents: .docx read with python-docx (paragraphs and tables in document order), .doc
through LibreOffice, both known by content. The files are made here: python-docx writes the
.docx, LibreOffice saves it as a Word 97-2003 .doc."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile

import pytest

from vanthu.cli import main

from documents import generated_document, generated_record
from office import dispatch_docx, word_97

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def record_of(runner, path) -> dict:
    result = runner.invoke(main, ["extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def expected(index: int, path, method: str) -> dict:
    """The generated record, as read from `path`: only the provenance differs."""
    record = json.loads(generated_record(index)[0].model_dump_json())
    record["source"] |= {"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "method": method,
                         "per_page": [{**record["source"]["per_page"][0], "method": method}]}
    return record


@pytest.mark.parametrize("index", [0, 17])  # the rare phrase; an abbreviated unit ("Sở TT&TT")
def test_a_docx_dispatch_gives_the_record_of_its_text(runner, tmp_path, index):
    path = dispatch_docx(generated_document(index), tmp_path / f"cv-{index}.docx")
    assert record_of(runner, path) == expected(index, path, "docx")


@needs_libreoffice
def test_a_word_97_doc_is_converted_by_libreoffice_and_gives_the_same_record(runner, tmp_path):
    docx = dispatch_docx(generated_document(17), tmp_path / "cv.docx")
    doc = word_97(docx, tmp_path / "cv.doc")
    assert doc.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a real OLE2 Word file
    before = doc.read_bytes()
    assert record_of(runner, doc) == expected(17, doc, "doc")
    assert doc.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["cv.doc", "cv.docx"]
    # Without LibreOffice: the package to install, and the command could not start.
    missing = runner.invoke(main, ["text", str(doc)], env={"PATH": str(tmp_path)})
    assert missing.exit_code == 2
    assert missing.stderr == ("vanthu: error: LibreOffice (soffice, to read .doc files) is not installed; install it "
                              "with: sudo apt-get install libreoffice-writer-nogui (or run `make install`)\n")


def test_paragraphs_and_tables_come_in_document_order(runner, tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("Mở đầu")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Gộp hai ô"  # a merged cell, read once
    table.cell(0, 2).text = "Hạn"
    table.cell(1, 0).text = "Sở Tài chính"
    table.cell(1, 1).add_paragraph("dòng hai")
    inner = table.cell(1, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "lồng 1", "lồng 2"
    document.add_paragraph("Dòng một\tcột").add_run().add_break()
    document.paragraphs[-1].add_run("sau ngắt dòng")
    document.add_paragraph("Kết thúc")
    path = tmp_path / "order.docx"
    document.save(path)
    result = runner.invoke(main, ["text", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Mở đầu\n\nGộp hai ô\n\nHạn\n\nSở Tài chính\n\ndòng hai\n\nlồng 1\nlồng 2\n\n"
                             "Dòng một cột\nsau ngắt dòng\n\nKết thúc\n")


def test_word_files_are_known_by_content_not_by_name(runner, tmp_path):
    docx = dispatch_docx(generated_document(5), tmp_path / "a.docx")
    renamed = tmp_path / "congvan.txt"
    renamed.write_bytes(docx.read_bytes())
    assert record_of(runner, renamed)["source"]["method"] == "docx"
    # A ZIP that holds no Word document (a spreadsheet), named .docx; a .docx whose XML is cut.
    sheet = tmp_path / "bang.docx"
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    damaged = tmp_path / "hong.docx"
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(item, content[: len(content) // 2] if item.filename == "word/document.xml" else content)
    result = runner.invoke(main, ["extract", str(sheet), str(damaged), str(renamed), "--json"])
    assert result.exit_code == 1
    wrong_kind, cut = result.stderr.splitlines()
    assert wrong_kind == (f"vanthu: error: {sheet}: unsupported file type: ZIP archive (Excel .xlsx, PowerPoint "
                          ".pptx, OpenDocument or other; not a Word document)")
    assert cut.startswith(f"vanthu: error: {damaged}: damaged Word document (")
    assert json.loads(result.stdout)["number"] == generated_record(5)[0].number  # the good file is still read


def test_a_password_protected_word_file_is_named_as_such(runner, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    docx = dispatch_docx(generated_document(5), tmp_path / "a.docx")
    locked = tmp_path / "mat.docx"
    with docx.open("rb") as plain:
        buffer = io.BytesIO()
        OOXMLFile(plain).encrypt("secret", buffer)
    locked.write_bytes(buffer.getvalue())
    result = runner.invoke(main, ["text", str(locked)])
    assert result.exit_code == 1
    assert result.stderr == f"vanthu: error: {locked}: encrypted Office document (needs a password)\n"
