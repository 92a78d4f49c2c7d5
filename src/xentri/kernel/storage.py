"""Object storage behind a small interface: files such as org logos, kept under XENTRI_HOME.

The local implementation writes one file per object plus a sidecar holding its content type;
a cloud bucket can stand in later behind the same four methods. Keys are relative paths built
by the caller from ids (`orgs/<uuid>/logo`), never from user input: anything that could climb
out of the root is refused.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*(/[a-z0-9][a-z0-9_\-]*)*$")


@dataclass(frozen=True)
class StoredObject:
    data: bytes
    content_type: str


class ObjectStorage(Protocol):
    def put(self, key: str, data: bytes, *, content_type: str) -> None: ...

    def get(self, key: str) -> StoredObject | None: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


class InvalidKeyError(ValueError):
    pass


class LocalObjectStorage:
    """Objects as files under `root`; writes are atomic (a temp file renamed into place)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Metadata first: a reader that finds the data always finds its type.
        self._write(path.with_name(path.name + ".meta.json"), json.dumps({"type": content_type}))
        self._write(path, data)

    def get(self, key: str) -> StoredObject | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
            meta = json.loads(path.with_name(path.name + ".meta.json").read_text("utf-8"))
        except FileNotFoundError:
            return None
        return StoredObject(data=data, content_type=str(meta["type"]))

    def delete(self, key: str) -> None:
        path = self._path(key)
        for victim in (path, path.with_name(path.name + ".meta.json")):
            victim.unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise InvalidKeyError(f"not an object key: {key!r}")
        return self.root / key

    @staticmethod
    def _write(path: Path, data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
            Path(temp).replace(path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
