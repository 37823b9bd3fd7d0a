"""Files attached to initiatives, exchanges and lessons: checked by content, stored under random names, read
only through their record.

An upload is refused, with a message that says why, when it

- is empty or larger than :data:`MAX_ATTACHMENT_BYTES` (20 MB);
- holds a type not in :data:`ACCEPTED` — decided from the bytes (magic numbers, via the ``filetype`` package;
  text by being UTF-8 without control bytes), never from the name: a Windows program renamed ``.pdf`` is a
  program, an HTML page renamed ``.png`` is HTML (browsers would run it), and both are refused;
- carries a name whose extension does not fit its content (a PNG called ``.pdf``): what the name promises is what
  the content must be.

The file is written to ``<data dir>/attachments/<random name>`` (:class:`AttachmentStore`): the name a person gave
is kept only as the label (``filename``, without any directory part), so no upload can choose where it lands. The
SHA-256 of the content is stored beside type and size.

Files follow the database transaction that records them (:func:`follow_transaction`): a file written for a new
attachment is deleted again when that transaction does not commit (rolled back, or the session closed without
commit), and the file of a deleted attachment (or of a deleted record) is removed only once the deletion is
committed. So a failed upload leaves neither file nor row, and a deletion that is rolled back leaves both. The new
file is written in place, before the commit, rather than moved there after it: a row that is committed then always
finds its file, and the file can be read within the transaction that made it.

Reading (:func:`read_attachment`) first finds the attachment's record through
:func:`regiolens.web.accounts.visible`: whoever may not see the record cannot read its files. Serve them with the
stored ``media_type``, ``Content-Disposition: attachment`` and ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any, Literal

import filetype
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from regiolens.errors import RegiolensError
from regiolens.network.models import Attachment, Exchange, Initiative, Lesson
from regiolens.web.accounts import PermissionDenied, can_edit, visible
from regiolens.web.db import User

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
"""The largest attachment accepted (20 MB)."""

ACCEPTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "application/pdf": ("PDF", (".pdf",)),
    "image/png": ("PNG image", (".png",)),
    "image/jpeg": ("JPEG image", (".jpg", ".jpeg")),
    "image/gif": ("GIF image", (".gif",)),
    "image/webp": ("WebP image", (".webp",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("Word document", (".docx",)),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("Excel workbook", (".xlsx",)),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("PowerPoint", (".pptx",)),
    "application/vnd.oasis.opendocument.text": ("OpenDocument text", (".odt",)),
    "application/vnd.oasis.opendocument.spreadsheet": ("OpenDocument spreadsheet", (".ods",)),
    "application/vnd.oasis.opendocument.presentation": ("OpenDocument presentation", (".odp",)),
    "text/plain": ("text", (".txt", ".md")),
    "text/csv": ("CSV", (".csv",)),
}
"""Media types accepted: ``{type: (name, extensions the file name may have)}``."""

TEXT_TYPES = {".csv": "text/csv", ".txt": "text/plain", ".md": "text/plain"}
"""Plain text has no magic number: its type follows the extension, once the content is known to be text."""

PARENTS: dict[str, type[Initiative] | type[Exchange] | type[Lesson]] = {
    "initiative": Initiative,
    "exchange": Exchange,
    "lesson": Lesson,
}

# What browsers take for HTML or script when they sniff (WHATWG MIME Sniffing, "text/html" patterns), and XML/SVG.
_MARKUP = re.compile(
    rb"^\s*<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--|\?xml|svg)"
    rb"[\s>/]",
    re.IGNORECASE,
)
_STORED = re.compile(r"[A-Za-z0-9_-]{32,64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadRefused(RegiolensError):
    """An attachment that is not accepted; the message says why."""


@dataclass(frozen=True)
class AttachmentStore:
    """The folder of attachment files: ``<data dir>/attachments`` (``REGIOLENS_DATA_DIR`` in the web app)."""

    root: Path

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> AttachmentStore:
        """The store under a data directory."""
        return cls(Path(data_dir) / "attachments")

    def path(self, stored_name: str) -> Path:
        """Where a stored file is; only names this module makes are accepted (no path can be smuggled in)."""
        if not _STORED.fullmatch(stored_name):
            raise RegiolensError(f"not a stored attachment name: {stored_name!r}")
        return self.root / stored_name


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")


def clean_filename(filename: str) -> str:
    """The name shown for an upload: the last part of any path (``/`` or ``\\``), without control characters."""
    name = _CONTROL.sub("", PureWindowsPath(filename.replace("/", "\\")).name).strip().lstrip(".")
    return name[:255] or "attachment"


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text)


def sniff(data: bytes) -> str | None:
    """The media type the content shows: a magic number's, ``text/html`` for markup, ``text/plain`` for other
    UTF-8 text, ``None`` for anything unknown."""
    kind = filetype.guess(data)
    if kind is not None:
        return str(kind.mime)
    if _MARKUP.match(data[:1024]):
        return "text/html"
    return "text/plain" if _is_text(data) else None


def check_upload(filename: str, data: bytes) -> tuple[str, str]:
    """``(clean file name, media type)`` of an acceptable upload; :class:`UploadRefused` with the reason otherwise."""
    name = clean_filename(filename)
    if not data:
        raise UploadRefused(f"{name}: the file is empty")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise UploadRefused(
            f"{name}: the file has {_megabytes(len(data))}; attachments may have at most "
            f"{_megabytes(MAX_ATTACHMENT_BYTES)}"
        )
    extension = os.path.splitext(name)[1].lower()
    found = sniff(data)
    if found == "text/plain":
        found = TEXT_TYPES.get(extension, found)
    accepted = ", ".join(sorted({e for _, (_, exts) in ACCEPTED.items() for e in exts}))
    if found not in ACCEPTED:
        what = f"its content is {found}" if found else "its content is of no known type"
        raise UploadRefused(f"{name}: {what}, which is not accepted (accepted: {accepted})")
    label, extensions = ACCEPTED[found]
    if extension not in extensions:
        raise UploadRefused(
            f"{name}: the name says {extension or 'nothing'} but the content is {label} ({found}); "
            "rename the file to what it is, or upload the right file"
        )
    return name, found


def _parent_column(kind: str) -> Any:
    return {"initiative": Attachment.initiative_id, "exchange": Attachment.exchange_id, "lesson": Attachment.lesson_id}[
        kind
    ]


def _parent_of(attachment: Attachment) -> tuple[str, int]:
    for kind in PARENTS:
        record_id = getattr(attachment, f"{kind}_id")
        if record_id is not None:
            return kind, record_id
    raise RegiolensError(f"attachment {attachment.id} belongs to no record")


def _visible_parent(s: Session, user: User, kind: str, record_id: int) -> Initiative | Exchange | Lesson | None:
    model = PARENTS[kind]
    return s.scalar(visible(s, user, model).where(model.id == record_id))


def add_attachment(
    s: Session, user: User, store: AttachmentStore, record: Initiative | Exchange | Lesson, filename: str, data: bytes
) -> Attachment:
    """Check ``data`` (see the module docstring), write it under a random name and attach it to ``record``.

    The user must be editor in the record's organisation.
    """
    kind = next(k for k, model in PARENTS.items() if isinstance(record, model))
    if _visible_parent(s, user, kind, record.id) is None or not can_edit(s, user, record):
        raise PermissionDenied(f"attaching files to {kind} {record.key!r} needs the role editor in its organisation")
    name, media_type = check_upload(filename, data)
    stored_name = secrets.token_urlsafe(32)
    path = store.path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:  # "x": never overwrite
        follow_transaction(s, path, "written")  # the file is ours now: it goes if the transaction does not commit
        fh.write(data)
    attachment = Attachment(
        filename=name,
        stored_name=stored_name,
        media_type=media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user.id,
        **{f"{kind}_id": record.id},
    )
    s.add(attachment)
    s.flush()
    return attachment


def attachments_of(s: Session, user: User, kind: str, record_id: int) -> list[Attachment]:
    """The attachments of a record the user may see (none if the user may not see the record)."""
    if _visible_parent(s, user, kind, record_id) is None:
        return []
    return list(s.scalars(select(Attachment).where(_parent_column(kind) == record_id).order_by(Attachment.filename)))


def _get_visible(s: Session, user: User, attachment_id: int) -> Attachment:
    attachment = s.get(Attachment, attachment_id)
    if attachment is None or _visible_parent(s, user, *_parent_of(attachment)) is None:
        raise RegiolensError(f"no attachment {attachment_id}")  # the same answer whether it is missing or private
    return attachment


def read_attachment(s: Session, user: User, store: AttachmentStore, attachment_id: int) -> tuple[Attachment, bytes]:
    """The attachment and its content, if the user may see its record; the content is checked against its hash."""
    attachment = _get_visible(s, user, attachment_id)
    data = store.path(attachment.stored_name).read_bytes()
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise RegiolensError(f"attachment {attachment_id}: the stored file has changed since it was uploaded")
    return attachment, data


def delete_attachment(s: Session, user: User, store: AttachmentStore, attachment_id: int) -> None:
    """Delete an attachment: its row now, its file once the deletion is committed; the user must be editor in its
    record's organisation."""
    attachment = _get_visible(s, user, attachment_id)
    kind, record_id = _parent_of(attachment)
    record = _visible_parent(s, user, kind, record_id)
    if record is None or not can_edit(s, user, record):
        raise PermissionDenied("deleting an attachment needs the role editor in its record's organisation")
    follow_transaction(s, store.path(attachment.stored_name), "deleted")
    s.delete(attachment)
    s.flush()


def remove_attachments(s: Session, store: AttachmentStore | None, kind: str, record_id: int) -> None:
    """Delete the rows of every attachment of a record that is being deleted, and their files once the deletion is
    committed (permission checked by the caller); ``store`` may be ``None`` only when the record has no attachments."""
    found = list(s.scalars(select(Attachment).where(_parent_column(kind) == record_id)))
    if found and store is None:
        raise RegiolensError(f"the {kind} has {len(found)} attachment(s): name the attachment folder to delete them")
    for attachment in found:
        if store is not None:
            follow_transaction(s, store.path(attachment.stored_name), "deleted")
        s.delete(attachment)
    s.flush()


# ----------------------------------------------------------------------------------------------- files and transactions

FileChange = Literal["written", "deleted"]
"""What happened to a file in a transaction: ``written`` (keep it only if the transaction commits) or ``deleted``
(remove it only if the transaction commits)."""

_PENDING = "regiolens.network.attachment_files"
"""Key of the session's pending file changes in ``Session.info``: ``[(transaction, path, change), …]``."""
_COMMITTED = "regiolens.network.committed"
"""Key of the flag ``after_commit`` sets for the ``after_transaction_end`` that follows it."""


def follow_transaction(s: Session, path: Path, change: FileChange) -> None:
    """Tie a file change to the session's current transaction (or savepoint): a ``written`` file is deleted unless
    the transaction commits, a ``deleted`` file is removed only when it commits (see the module docstring)."""
    pending = s.info.get(_PENDING)
    if pending is None:
        pending = s.info[_PENDING] = []
        event.listen(s, "after_commit", _committed)
        event.listen(s, "after_soft_rollback", _rolled_back)
        event.listen(s, "after_transaction_end", _ended)
    transaction = s.get_nested_transaction() or s.get_transaction() or s.begin()
    pending.append((transaction, path, change))


def _within(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


def _settle(s: Session, transaction: SessionTransaction, committed: bool) -> None:
    """Apply (``committed``) or undo the file changes made within ``transaction`` and forget them."""
    keep = []
    for entry in s.info.get(_PENDING, []):
        made_in, path, change = entry
        if not _within(made_in, transaction):
            keep.append(entry)
        elif change == ("deleted" if committed else "written"):
            path.unlink(missing_ok=True)
    s.info[_PENDING] = keep


def _committed(s: Session) -> None:
    s.info[_COMMITTED] = True


def _rolled_back(s: Session, previous_transaction: SessionTransaction) -> None:
    _settle(s, previous_transaction, committed=False)


def _ended(s: Session, transaction: SessionTransaction) -> None:
    committed = bool(s.info.pop(_COMMITTED, False))
    if transaction.parent is None:  # the outermost transaction: committed, rolled back or closed without commit
        _settle(s, transaction, committed)
