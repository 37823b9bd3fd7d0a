"""Attachments: type by content, size limit, random names on disk, read only through a visible record."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy.orm import Session

from regiolens.errors import RegiolensError
from regiolens.network import attachments, records
from regiolens.network.attachments import AttachmentStore, UploadRefused, check_upload
from regiolens.network.inputs import ExchangeIn
from regiolens.network.models import Exchange
from regiolens.web.accounts import PermissionDenied
from regiolens.web.db import Visibility
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
    attachments.delete_attachment(session, people.ada, store, made.id)
    assert not path.exists()


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
    assert not store.path(made.stored_name).exists()
