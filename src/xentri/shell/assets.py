"""Static files of the shell under content-hashed URLs, cached for a year by browsers.

Our own CSS and ES modules live in `static/`; browser libraries are served straight from the
repository's `node_modules` (installed by scripts/bootstrap.sh from package-lock.json), so no
third-party file is ever copied into git.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import structlog
from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse

log = structlog.get_logger("xentri.shell")

STATIC_DIR = Path(__file__).parent / "static"
NODE_MODULES = Path(__file__).resolve().parents[3] / "node_modules"

# URL name → file in node_modules: the only vendor files the browser may fetch.
VENDOR_FILES = {
    "vendor/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/preload.js": "htmx-ext-preload/dist/preload.js",
}
_IMMUTABLE = "public, max-age=31536000, immutable"

assets_router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Asset:
    path: Path
    digest: str


class Assets:
    """Every servable file with the hash of its content, computed once at start-up."""

    def __init__(self, static_dir: Path = STATIC_DIR, node_modules: Path = NODE_MODULES) -> None:
        self.files: dict[str, Asset] = {}
        # Our files share one digest of the whole tree, so an ES module's relative imports
        # (`./theme.js`) resolve to URLs of the same version.
        ours = [file for file in sorted(static_dir.rglob("*")) if file.is_file()]
        tree = hashlib.sha256()
        for file in ours:
            tree.update(file.relative_to(static_dir).as_posix().encode() + b"\0")
            tree.update(hashlib.sha256(file.read_bytes()).digest())
        for file in ours:
            name = file.relative_to(static_dir).as_posix()
            self.files[name] = Asset(path=file, digest=tree.hexdigest()[:12])
        for name, relative in VENDOR_FILES.items():
            file = node_modules / relative
            if file.is_file():
                self._add(name, file)
            else:
                # Pages stay usable as plain links and forms; say what is missing and why.
                log.warning("shell_asset_missing", asset=name, hint="run scripts/bootstrap.sh")

    def _add(self, name: str, file: Path) -> None:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()[:12]
        self.files[name] = Asset(path=file, digest=digest)

    def has(self, name: str) -> bool:
        return name in self.files

    def url(self, name: str) -> str:
        asset = self.files.get(name)
        if asset is None:
            raise KeyError(f"unknown shell asset {name!r}")
        return f"/assets/{asset.digest}/{name}"


@assets_router.get("/assets/{digest}/{name:path}")
async def asset(request: Request, digest: str, name: str) -> FileResponse:
    assets: Assets = request.app.state.shell.assets
    found = assets.files.get(name)
    # An old digest is a 404, not today's file under yesterday's immutable URL.
    if found is None or found.digest != digest:
        raise HTTPException(status_code=404)
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith(".js"):
        media_type = "text/javascript"
    return FileResponse(found.path, media_type=media_type, headers={"Cache-Control": _IMMUTABLE})
