"""Settings of the web app: where the warehouse, the app database and the secret are, and how cookies behave.

Every value comes from the environment unless given explicitly (tests pass a :class:`Settings` to
:func:`regiolens.web.app.create_app`):

``REGIOLENS_WAREHOUSE``     the warehouse file, as the CLI uses it (:func:`regiolens.config.warehouse_path`)
``REGIOLENS_DATABASE_URL``  the app database (:func:`regiolens.web.db.database_url`; SQLite file by default)
``REGIOLENS_DATA_DIR``      where the app keeps its own files (the generated secret); user data dir by default
``REGIOLENS_SECRET_KEY``    the key that signs session cookies; else a random one kept in ``<data dir>/secret_key``
``REGIOLENS_HTTPS_ONLY``    ``1``/``true``: session cookies only over HTTPS (set it behind a TLS proxy)
``REGIOLENS_GROUPS``        the region-group file (as in the CLI)
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from regiolens.config import user_data_dir, warehouse_path

SECRET_FILE = "secret_key"
"""Name of the generated secret in the data dir (mode 0600)."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_secret(data_dir: Path) -> str:
    """``REGIOLENS_SECRET_KEY``, else the secret kept in ``data_dir/secret_key``, created (0600) on first use."""
    env = os.environ.get("REGIOLENS_SECRET_KEY")
    if env:
        return env
    path = data_dir / SECRET_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # O_EXCL: two processes starting at once must not write two different secrets.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secret)
    return secret


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about its environment.

    ``database_url`` ``None`` means :func:`regiolens.web.db.database_url` (``REGIOLENS_DATABASE_URL`` or the
    SQLite file in the data dir). ``secret_key`` ``None`` means :func:`load_secret`.
    """

    warehouse: Path = field(default_factory=lambda: warehouse_path())
    database_url: str | None = None
    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("REGIOLENS_DATA_DIR") or user_data_dir()))
    secret_key: str | None = None
    https_only: bool = field(default_factory=lambda: _flag("REGIOLENS_HTTPS_ONLY"))
    groups: Path | None = field(default_factory=lambda: Path(p) if (p := os.environ.get("REGIOLENS_GROUPS")) else None)
    session_max_age: int = 8 * 3600
    """Seconds a login lasts (the signed cookie expires then)."""
    max_upload_bytes: int = 64 * 1024 * 1024
    """The largest request body the app reads (uploads included)."""
    cache_size: int = 64
    """How many analysis results (and rendered charts) are kept in memory per warehouse version."""
    migrate: bool = True
    """Bring the app database to the newest schema when the app is created."""

    def secret(self) -> str:
        return self.secret_key or load_secret(self.data_dir)

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from the environment alone (what ``regiolens serve`` uses)."""
        return cls()
