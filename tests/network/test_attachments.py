"""Attachments: type by content, size limit, random names on disk, read only through a visible record."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from regiolens.errors import RegiolensError
from regiolens.network import attachments, records
from regiolens.network.attachments import AttachmentStore, UploadRefused, check_upload
from regiolens.network.inputs import ExchangeIn
from regiolens.network.models import Attachment, Exchange
from regiolens.web.accounts import PermissionDenied
from regiolens.web.db import User, Visibility, session_factory
from tests.network.conftest import People

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100 + b"This program cannot be run in DOS mode"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def zip_with_program() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("setup.exe", EXE)
    return out.getvalue()


@pytest.fixture
def store(tmp_path: Path) -> AttachmentStore:
    return AttachmentStore.in_data_dir(tmp_path)


def visit(session: Session, people: People, visibility: Visibility = Visibility.private) -> Exchange:
    return records.create_exchange(session, people.ada, ExchangeIn(key="v", title="Besuch", visibility=visibility))


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("bericht.pdf", PDF, "application/pdf"),
        ("foto.PNG", PNG, "image/png"),
        ("zahlen.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("notizen.md", "Ergebnisse: Gründungen".encode(), "text/plain"),
        ("tabelle.csv", b"a;b\n1;2\n", "text/csv"),
    ],
)
def test_accepted_types(name: str, data: bytes, expected: str) -> None:
    assert check_upload(name, data) == (name, expected)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("rechnung.pdf", EXE, "application/x-msdownload"),  # a Windows program renamed .pdf
        ("bild.png", HTML, "text/html"),  # an HTML page named .png
        ("seite.txt", HTML, "text/html"),
        ("bericht.pdf", PNG, "the name says .pdf but the content is PNG image"),  # real PNG, wrong name
        ("daten.docx", zip_with_program(), "application/zip"),  # a zip holding a program, named .docx
        ("leer.pdf", b"", "empty"),
        ("binär.txt", b"\x00\x01\x02\x03binary", "no known type"),
    ],
)
def test_disguised_or_unknown_files_are_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(UploadRefused, match=message):
        check_upload(name, data)


def test_oversized_files_are_refused() -> None:
    data = PDF + b"\x00" * attachments.MAX_ATTACHMENT_BYTES
    with pytest.raises(UploadRefused, match=r"at most 20 MB"):
        check_upload("gross.pdf", data)


def test_names_cannot_choose_where_a_file_lands(store: AttachmentStore) -> None:
    assert attachments.clean_filename("../../etc/passwd.txt") == "passwd.txt"
    assert attachments.clean_filename("C:\\Users\\x\\..\\bericht.pdf") == "bericht.pdf"
    assert attachments.clean_filename("..\x00.") == "attachment"
    for bad in ("../secret", "a/b", "short"):
        with pytest.raises(RegiolensError, match="not a stored attachment name"):
            store.path(bad)


def test_store_read_and_delete(session: Session, people: People, store: AttachmentStore) -> None:
    record = visit(session, people, Visibility.network)
    made = attachments.add_attachment(session, people.ada, store, record, "../../Bericht.pdf", PDF)
    path = store.path(made.stored_name)
    assert path.parent == store.root and path.read_bytes() == PDF
    assert made.filename == "Bericht.pdf" and made.size == len(PDF) and made.media_type == "application/pdf"
    assert made.sha256 == hashlib.sha256(PDF).hexdigest() and "Bericht" not in made.stored_name
    assert attachments.read_attachment(session, people.gil, store, made.id) == (made, PDF)  # network partner
    assert [a.id for a in attachments.attachments_of(session, people.vic, "exchange", record.id)] == [made.id]
    with pytest.raises(PermissionDenied):
        attachments.delete_attachment(session, people.gil, store, made.id)
    session.commit()
    attachments.delete_attachment(session, people.ada, store, made.id)
    assert path.exists()  # the file goes once the deletion is committed
    session.commit()
    assert not path.exists() and session.get(Attachment, made.id) is None


def test_attachments_of_private_records_stay_private(session: Session, people: People, store: AttachmentStore) -> None:
    record = visit(session, people)
    made = attachments.add_attachment(session, people.ada, store, record, "foto.png", PNG)
    session.commit()
    for user in (people.gil, people.hal):
        with pytest.raises(RegiolensError, match=f"no attachment {made.id}"):
            attachments.read_attachment(session, user, store, made.id)
        assert attachments.attachments_of(session, user, "exchange", record.id) == []
    assert attachments.read_attachment(session, people.vic, store, made.id)[1] == PNG


def test_only_editors_attach_and_refused_uploads_leave_nothing(
    session: Session, people: People, store: AttachmentStore
) -> None:
    record = visit(session, people, Visibility.network)
    for user in (people.vic, people.gil):
        with pytest.raises(PermissionDenied, match="editor"):
            attachments.add_attachment(session, user, store, record, "a.pdf", PDF)
    with pytest.raises(UploadRefused):
        attachments.add_attachment(session, people.ada, store, record, "rechnung.pdf", EXE)
    assert not store.root.exists() or not any(store.root.iterdir())


def test_a_changed_file_is_noticed_and_deleting_the_record_deletes_its_files(
    session: Session, people: People, store: AttachmentStore
) -> None:
    record = visit(session, people)
    made = attachments.add_attachment(session, people.ada, store, record, "a.pdf", PDF)
    store.path(made.stored_name).write_bytes(PDF + b"tampered")
    with pytest.raises(RegiolensError, match="changed since it was uploaded"):
        attachments.read_attachment(session, people.ada, store, made.id)
    with pytest.raises(RegiolensError, match="attachment folder"):
        records.delete_record(session, people.ada, record)
    records.delete_record(session, people.ada, record, store)
    session.commit()
    assert not store.path(made.stored_name).exists()
    assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def files(store: AttachmentStore) -> list[Path]:
    return sorted(store.root.iterdir()) if store.root.exists() else []


def test_an_upload_that_is_rolled_back_leaves_no_file_and_no_row(
    session: Session, people: People, store: AttachmentStore
) -> None:
    record = visit(session, people)
    session.commit()
    made = attachments.add_attachment(session, people.ada, store, record, "a.pdf", PDF)
    assert files(store) == [store.path(made.stored_name)]  # readable before the commit
    session.rollback()
    assert files(store) == []
    assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_an_upload_whose_transaction_fails_leaves_no_file_and_no_row(
    session: Session, people: People, store: AttachmentStore
) -> None:
    """The attachment is recorded, then the same transaction fails (a second record with a key in use): the
    database refuses the whole transaction and the file goes with it."""
    record = visit(session, people)
    session.commit()
    attachments.add_attachment(session, people.ada, store, record, "a.pdf", PDF)
    session.add(Exchange(organisation_id=record.organisation_id, key=record.key, title="Doppelt"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    assert files(store) == []
    assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_an_upload_never_committed_leaves_no_file(
    engine: Engine, people: People, store: AttachmentStore, session: Session
) -> None:
    record_id = visit(session, people).id
    session.commit()
    with session_factory(engine)() as other:  # closed without commit, as a request that fails half-way
        record = other.get(Exchange, record_id)
        ada = other.get(User, people.ada.id)
        assert record is not None and ada is not None
        attachments.add_attachment(other, ada, store, record, "a.pdf", PDF)
        assert len(files(store)) == 1
    assert files(store) == []


def test_committed_uploads_stay_and_a_deletion_rolled_back_keeps_the_file(
    session: Session, people: People, store: AttachmentStore
) -> None:
    record = visit(session, people)
    made = attachments.add_attachment(session, people.ada, store, record, "a.pdf", PDF)
    session.commit()
    path = store.path(made.stored_name)
    records.delete_record(session, people.ada, record, store)
    session.rollback()
    assert path.read_bytes() == PDF and session.get(Attachment, made.id) is not None
    attachments.delete_attachment(session, people.ada, store, made.id)
    session.rollback()
    assert attachments.read_attachment(session, people.ada, store, made.id)[1] == PDF


def test_a_savepoint_rolled_back_takes_its_file_and_a_released_one_keeps_it(
    session: Session, people: People, store: AttachmentStore
) -> None:
    record = visit(session, people)
    with session.begin_nested() as savepoint:
        attachments.add_attachment(session, people.ada, store, record, "weg.pdf", PDF)
        savepoint.rollback()
    assert files(store) == []
    with session.begin_nested():
        kept = attachments.add_attachment(session, people.ada, store, record, "bleibt.pdf", PDF)
    session.commit()
    assert files(store) == [store.path(kept.stored_name)]
