"""`vanthu review`: one HTML page to check a record at a glance.

Left, the document's text with every extracted value highlighted where it was read (displaCy's
entity view, with vanthu's labels); right, the record those values became. Spans come from
the extract stage, so what is highlighted is exactly what was read.
"""

from __future__ import annotations

import html
import json

from vanthu.extract import RawFields, Spanned
from vanthu.normalize import Record

# Label -> colour. Labels are the record's field names, in capitals.
COLORS = {
    "NUMBER": "#fde68a", "SYMBOL": "#fde68a", "PLACE": "#bfdbfe", "ISSUE_DATE": "#bfdbfe",
    "ISSUER": "#c7d2fe", "TYPE": "#e9d5ff", "SUBJECT": "#ddd6fe", "RECIPIENT": "#bbf7d0",
    "ADDRESSEE": "#86efac", "DEADLINE": "#fca5a5", "RESPONSIBLE": "#fdba74",
    "REFERENCE": "#a5f3fc", "CITED_ISSUER": "#cffafe", "SIGNER": "#f9a8d4",
    "SIGNER_TITLE": "#fbcfe8", "CC": "#d9f99d",
}


def _labelled(fields: RawFields) -> list[tuple[str, Spanned]]:
    pairs: list[tuple[str, Spanned | None]] = [
        ("NUMBER", fields.number), ("SYMBOL", fields.symbol), ("PLACE", fields.place),
        ("ISSUE_DATE", fields.issue_date.span if fields.issue_date else None), ("TYPE", fields.title),
        ("SUBJECT", fields.subject), ("SIGNER", fields.signer), ("SIGNER_TITLE", fields.signer_title),
    ]
    pairs += [("ISSUER", s) for s in fields.organs]
    pairs += [("RECIPIENT", s) for s in fields.recipients]
    pairs += [("CC", s) for s in fields.cc]
    pairs += [("ADDRESSEE", d.addressee) for d in fields.directives]
    pairs += [("DEADLINE", d.expression) for d in fields.deadlines]
    pairs += [("RESPONSIBLE", d.responsible) for d in fields.deadlines]
    pairs += [("REFERENCE", r.span) for r in fields.references]
    pairs += [("CITED_ISSUER", r.issuer) for r in fields.references]
    return [(label, span) for label, span in pairs if span is not None and span.end > span.start]


def highlights(fields: RawFields) -> list[dict]:
    """displaCy entities for the extracted values; where two overlap, the one that starts
    first (then the longer) is shown."""
    ents: list[dict] = []
    for label, span in sorted(_labelled(fields), key=lambda p: (p[1].start, -(p[1].end - p[1].start))):
        if ents and span.start < ents[-1]["end"]:
            continue
        ents.append({"start": span.start, "end": span.end, "label": label})
    return ents


def review_html(text: str, fields: RawFields, record: Record) -> str:
    """A self-contained HTML page: highlighted text beside the record."""
    from spacy import displacy

    marked = displacy.render({"text": text, "ents": highlights(fields), "title": None}, style="ent",
                             manual=True, page=False, options={"colors": COLORS})
    title = html.escape(f"{record.doc_type or 'Văn bản'} {record.number or '…'}/{record.symbol or ''}")
    data = html.escape(json.dumps(record.model_dump(exclude={"organizations"}), ensure_ascii=False, indent=2))
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in record.warnings)
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title} — vanthu review</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; margin: 0; display: flex; gap: 1em; }}
section {{ padding: 1em; overflow: auto; height: 100vh; box-sizing: border-box; }}
#text {{ flex: 3; }} #record {{ flex: 2; background: #f8fafc; border-left: 1px solid #cbd5e1; }}
pre {{ white-space: pre-wrap; font-size: 0.85em; font-family: "DejaVu Sans Mono", monospace; }} .warnings {{ color: #b91c1c; }}
</style></head>
<body>
<section id="text"><h1>{title}</h1><p>{html.escape(record.source.path)} ({record.source.method})</p>
{marked}</section>
<section id="record"><h2>Record</h2><ul class="warnings">{warnings}</ul><pre>{data}</pre></section>
</body></html>
"""
