"""Data sources: what the warehouse holds (licence, vintage, coverage), and uploads by editors.

An upload is stored in a temporary folder under its own file name, then imported with
:meth:`regiolens.warehouse.store.Warehouse.import_files` — one transaction, all files or none — while no
request reads the warehouse (:meth:`regiolens.web.warehouse.WarehouseAccess.write`). A refused file shows
the :class:`~regiolens.errors.InputError`'s file, line and field in the page's language (the message too where
its kind is known, see :mod:`regiolens.i18n.messages`; else the reader's English message, marked as such); the
warehouse is then unchanged.

An upload that added or replaced data re-checks the evidence of every concept
(:func:`regiolens.web.concept_evidence.check_all_evidence`); the page lists those the user may see whose focus
clusters now rest on outdated evidence, each linking to its page, which shows what changed.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUploadFile

from regiolens.concept.models import Concept
from regiolens.errors import InputError, RegiolensError
from regiolens.i18n.messages import field_name
from regiolens.ingest import readers
from regiolens.web import accounts, analyses
from regiolens.web.concept_evidence import check_all_evidence
from regiolens.web.db import Role, User
from regiolens.web.security import current_user, get_db, has_role_anywhere, require_editor
from regiolens.web.templating import lang_of, render
from regiolens.web.words import WORDS, Lang, t

router = APIRouter(dependencies=[Depends(current_user)])

UNSAFE = re.compile(r"[^A-Za-z0-9_.() -]+")


def safe_filename(name: str | None, index: int) -> str:
    """The upload's own base name without path or odd characters (readers and errors use the name)."""
    base = Path((name or "").replace("\\", "/")).name
    base = UNSAFE.sub("_", base).strip(" .")
    return base or f"upload-{index}"


def reader_description(name: str, description: str, lang: Lang) -> str:
    """A reader's description in the page's language (the reader's own English one for a reader without words)."""
    return t(f"reader_{name}", lang) if f"reader_{name}" in WORDS else description


def _page(request: Request, db: Session, user: User, status: int = 200, **extra: Any) -> Response:
    access = request.app.state.warehouse
    sources = analyses.source_rows(access)
    context = {
        "nav": "data",
        "sources": sources,
        "licences": sorted({str(s["licence"]) for s in sources if s.get("licence")}),
        "can_upload": has_role_anywhere(db, user, Role.editor),
        "formats": [(r.name, reader_description(r.name, r.description, lang_of(request))) for r in readers().values()],
        "results": None,
        "outdated_concepts": [],
        "error": None,
        **extra,
    }
    return render(request, "data.html", context, status_code=status)


@router.get("/data")
def data_page(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    return _page(request, db, user)


@router.post("/data/upload")
async def upload(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    """Import the uploaded files (form fields ``files``, repeated, and ``source``, the format or empty)."""
    form = await request.form()
    files = [
        (f.filename or "", await f.read())
        for f in form.getlist("files")
        if isinstance(f, StarletteUploadFile) and f.filename
    ]
    source = str(form.get("source") or "")
    return await run_in_threadpool(_import_upload, request, db, user, files, source)


def _import_upload(request: Request, db: Session, user: User, files: list[tuple[str, bytes]], source: str) -> Response:
    require_editor(db, user)
    if not files:
        return _page(request, db, user, 400, error={"message": "no_file"})
    if source and source not in readers():
        raise RegiolensError(f"unknown format {source!r}; known: {', '.join(readers())}")
    access = request.app.state.warehouse
    with tempfile.TemporaryDirectory(prefix="regiolens-upload-") as tmp:
        paths: list[Path] = []
        names: dict[str, str] = {}
        for i, (name, content) in enumerate(files):
            folder = Path(tmp) / str(i)  # one folder per file: two uploads of one name stay apart
            folder.mkdir()
            path = folder / safe_filename(name, i)
            path.write_bytes(content)
            paths.append(path)
            names[str(path)] = path.name
        try:
            with access.write() as wh:
                results = wh.import_files(paths, source or None)
        except InputError as exc:
            lang = lang_of(request)
            error = {
                "file": names.get(exc.path, Path(exc.path).name),
                "line": exc.line,
                "field": field_name(exc.field, lang) if exc.field is not None else None,
                "message": exc.localised_message(lang),
                "untranslated": exc.kind is None and lang != "en",
            }
            return _page(request, db, user, 400, error=error)
        except RegiolensError as exc:
            message = exc.localised(lang_of(request))
            for full, short in names.items():
                message = message.replace(full, short)
            return _page(request, db, user, 400, error={"message": message})
    accounts.audit(
        db,
        user,
        "import",
        "warehouse",
        None,
        {"files": [r.file_name for r in results], "status": [r.status for r in results]},
    )
    changed = any(r.status != "unchanged" for r in results)
    outdated = check_all_evidence(access, db) if changed else []
    db.commit()
    ids = [c.id for c in outdated]
    seen = list(db.scalars(accounts.visible(db, user, Concept).where(Concept.id.in_(ids)).order_by(Concept.id)))
    return _page(request, db, user, results=results, outdated_concepts=seen)
