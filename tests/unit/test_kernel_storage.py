"""The local object storage: atomic writes, types kept, and no key can leave its root."""

from __future__ import annotations

import pytest

from xentri.kernel.storage import InvalidKeyError, LocalObjectStorage


def test_an_object_is_stored_read_replaced_and_deleted(tmp_path):
    storage = LocalObjectStorage(tmp_path / "objects")

    storage.put("orgs/abc/logo", b"one", content_type="image/png")
    first = storage.get("orgs/abc/logo")
    storage.put("orgs/abc/logo", b"two", content_type="image/webp")
    second = storage.get("orgs/abc/logo")
    storage.delete("orgs/abc/logo")

    assert (first.data, first.content_type) == (b"one", "image/png")
    assert (second.data, second.content_type) == (b"two", "image/webp")
    assert storage.get("orgs/abc/logo") is None
    assert storage.exists("orgs/abc/logo") is False
    assert [p.name for p in (tmp_path / "objects" / "orgs" / "abc").iterdir()] == []


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "orgs/../../x", "Orgs/X", "a//b", ""])
def test_keys_that_could_escape_the_root_are_refused(tmp_path, key):
    storage = LocalObjectStorage(tmp_path)
    with pytest.raises(InvalidKeyError):
        storage.put(key, b"x", content_type="text/plain")
