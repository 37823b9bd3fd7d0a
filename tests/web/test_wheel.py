"""The built wheel carries the vendored JS and CSS of the web app (htmx, Swagger UI).

``src/regiolens/web/static/vendor`` is git-ignored and built by ``make vendor`` from the npm registry; hatch
leaves git-ignored files out unless they are declared ``artifacts`` (``[tool.hatch.build]`` in pyproject.toml).
The wheel is built here for real (``uv build --wheel --offline``: hatchling from uv's cache, no network; about two
seconds), so a change of the build configuration that drops the assets fails this test, not a user's install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "regiolens" / "web" / "static" / "vendor"
UV = Path(os.environ.get("REGIOLENS_UV") or ROOT / ".tools" / "bin" / "uv")


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def test_the_wheel_holds_the_vendored_assets(tmp_path: Path) -> None:
    assets = sorted(p.relative_to(ROOT / "src").as_posix() for p in VENDOR.rglob("*") if p.suffix in (".js", ".css"))
    _require(bool(assets), f"{VENDOR} is empty: `make vendor` builds it (make test does)")
    _require(UV.exists() or shutil.which("uv") is not None, "uv is missing (`make setup` installs it in .tools)")
    uv = str(UV) if UV.exists() else "uv"
    built = subprocess.run(
        [uv, "build", "--wheel", "--offline", "--out-dir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("regiolens-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "regiolens/web/static/vendor/htmx.min.js" in assets and set(assets) <= names
    assert "regiolens/web/static/regiolens.css" in names  # the app's own static files as before
    assert not any("node_modules" in n or n.endswith("/.built") for n in names)  # build inputs stay out
