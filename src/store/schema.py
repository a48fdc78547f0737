"""ORM classes over the tables of `tables.py`, for the code that reads rows as objects (the
citations of `vanthu cites`). Writing, inbox runs and failures, and the queries that need
only columns use the tables directly and do not import the ORM (~0.1 s of a process's start)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase, relationship

from . import tables


class Base(DeclarativeBase):
    metadata = tables.metadata


class Document(Base):
    __table__ = tables.documents

    files = relationship("File", back_populates="document", cascade="all, delete-orphan")
    deadlines = relationship("DeadlineRow", cascade="all, delete-orphan", overlaps="document")
    parties = relationship("Party", cascade="all, delete-orphan")
    citations = relationship("Citation", cascade="all, delete-orphan")
    directives = relationship("DirectiveRow", cascade="all, delete-orphan")
    mentions = relationship("Mention", cascade="all, delete-orphan")


class File(Base):
    __table__ = tables.files

    document = relationship(Document, back_populates="files")


class Party(Base):
    __table__ = tables.parties


class DirectiveRow(Base):
    __table__ = tables.directives


class DeadlineRow(Base):
    __table__ = tables.deadlines

    document = relationship(Document, viewonly=True)


class Citation(Base):
    __table__ = tables.citations


class OrganizationRow(Base):
    __table__ = tables.organizations


class Mention(Base):
    __table__ = tables.organization_mentions

    organization = relationship(OrganizationRow)


class Run(Base):
    __table__ = tables.runs


class Failure(Base):
    __table__ = tables.failures
