"""The chain between documents: who cites a document, what a document cites, and the whole
citation graph. A cited document is matched to a stored one by number and symbol key, so
"QĐ-TTg", "QD-TTg" and "QÐ-TTg" are one."""

from __future__ import annotations

import json

from vanthu.normalize import symbol_key
from vanthu.normalize.symbols import is_party_style
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import Session

from .dialects import in_order
from .queries import find_documents_with_ids, split_key
from .schema import Citation, Document


class DocumentRef(BaseModel):
    """A document as a citation names it; `document_id` when the database holds it."""

    model_config = ConfigDict(extra="forbid")

    document_id: int | None = None
    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    issue_date: str | None = None
    issuer: str | None = None
    subject: str | None = None

    @property
    def label(self) -> str:
        joiner = "-" if self.symbol and is_party_style(self.symbol) else "/"
        return f"{self.number or '…'}{joiner}{self.symbol or '?'}"


def _ref(document) -> DocumentRef:
    """From a documents row (an ORM object or a selected Row)."""
    return DocumentRef(document_id=document.id, doc_type=document.doc_type, number=document.number,
                       symbol=document.symbol, issue_date=document.issue_date, issuer=document.issuer,
                       subject=document.subject)


def citing(engine: Engine, key: str) -> list[DocumentRef]:
    """Stored documents that cite `key` ("13-NQ/TU", "1690/QĐ-TTg", or a symbol alone)."""
    number, symbol = split_key(key)
    condition = Citation.symbol_key == symbol_key(symbol)
    if number:
        condition = and_(condition, Citation.number == number)
    query = (select(Document).where(Document.id.in_(select(Citation.document_id).where(condition)))
             .order_by(in_order(Document.issue_date, engine.dialect.name, nullable=True), Document.id))
    with Session(engine) as session:
        return [_ref(document) for document in session.scalars(query)]


def _stored(session: Session, number: str, key: str) -> int | None:
    return session.scalar(select(Document.id).where(Document.symbol_key == key, Document.number == number)
                          .order_by(Document.id).limit(1))


def cited_by(engine: Engine, key: str) -> list[DocumentRef]:
    """What the document(s) named by `key` (an id or number/symbol) cite, first mention first;
    each with its id when the database holds it."""
    found: list[DocumentRef] = []
    with Session(engine) as session:
        for _id, record in find_documents_with_ids(engine, key):
            for ref in record.references:
                found.append(DocumentRef(document_id=_stored(session, ref.number, symbol_key(ref.symbol)),
                                         doc_type=ref.doc_type, number=ref.number, symbol=ref.symbol,
                                         issue_date=ref.issue_date, issuer=ref.issuer))
    return found


class CitationGraph(BaseModel):
    """Nodes are documents (stored ones by id, others by number and symbol); an edge goes
    from the citing document to the cited one."""

    model_config = ConfigDict(extra="forbid")

    nodes: dict[str, DocumentRef]
    edges: list[tuple[str, str]]

    def to_json(self) -> str:
        return json.dumps({"nodes": [{"id": k, **v.model_dump()} for k, v in self.nodes.items()],
                           "edges": [{"from": a, "to": b} for a, b in self.edges]}, ensure_ascii=False, indent=2)

    def to_dot(self) -> str:
        def quoted(value: str) -> str:
            escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            return f'"{escaped}"'

        lines = ["digraph citations {", "  rankdir=LR;", "  node [shape=box, fontname=\"DejaVu Sans\"];"]
        for key, ref in self.nodes.items():
            label = f"{ref.doc_type or 'Văn bản'} {ref.label}" + (f"\n{ref.issue_date}" if ref.issue_date else "")
            style = "" if ref.document_id else ", style=dashed"
            lines.append(f"  {quoted(key)} [label={quoted(label)}{style}];")
        lines += [f"  {quoted(a)} -> {quoted(b)};" for a, b in self.edges]
        lines.append("}")
        return "\n".join(lines) + "\n"


def citation_graph(engine: Engine) -> CitationGraph:
    """Every citation in the database as a graph."""
    nodes: dict[str, DocumentRef] = {}
    edges: list[tuple[str, str]] = []
    with Session(engine) as session:
        columns = select(Document.id, Document.doc_type, Document.number, Document.symbol, Document.symbol_key,
                         Document.issue_date, Document.issuer, Document.subject)
        rows = session.execute(columns).all()
        stored = {(d.number, d.symbol_key): d for d in rows}
        by_id = {d.id: d for d in rows}
        for citation in session.scalars(select(Citation).order_by(Citation.document_id, Citation.id)):
            source = f"doc:{citation.document_id}"
            nodes.setdefault(source, _ref(by_id[citation.document_id]) if citation.document_id in by_id
                             else DocumentRef(document_id=citation.document_id))
            target_doc = stored.get((citation.number, citation.symbol_key))
            if target_doc is not None:
                target = f"doc:{target_doc.id}"
                nodes.setdefault(target, _ref(target_doc))
            else:
                target = f"ref:{citation.number}/{citation.symbol_key}"
                nodes.setdefault(target, DocumentRef(doc_type=citation.doc_type, number=citation.number,
                                                     symbol=citation.symbol, issue_date=citation.issue_date,
                                                     issuer=citation.issuer))
            edges.append((source, target))
    return CitationGraph(nodes=nodes, edges=edges)
