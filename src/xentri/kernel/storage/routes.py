"""The local store's signed URLs, served by the app: a PUT or GET with a valid, unexpired
signature reads or writes exactly what was signed, and nothing else (no session needed: the
signature is the credential, as with a bucket's presigned URL)."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from xentri.kernel.http.problems import ProblemError
from xentri.kernel.storage.base import InvalidKeyError, check_key, content_disposition
from xentri.kernel.storage.local import LocalObjectStorage
from xentri.kernel.storage.signing import (
    LOCAL_OBJECTS_PATH,
    SignatureRejectedError,
    UrlSigner,
)

router = APIRouter(prefix=LOCAL_OBJECTS_PATH, tags=["storage"])

ObjectKey = Annotated[str, Path(max_length=400)]
_STATUS = {"content-type-mismatch": 415, "too-large": 413}


@router.put("/{key:path}", status_code=204, summary="Upload through a signed URL")
async def put_object(request: Request, key: ObjectKey) -> Response:
    storage, signer = _local(request, key)
    try:
        grant = signer.verify_upload(
            key,
            dict(request.query_params),
            now=int(time.time()),
            content_type=request.headers.get("content-type"),
            content_length=_declared_length(request),
        )
    except SignatureRejectedError as exc:
        raise _refusal(exc) from None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > grant.content_length:
            raise _refusal(
                SignatureRejectedError(
                    "too-large", f"This URL accepts {grant.content_length} bytes, no more."
                )
            )
    if len(body) != grant.content_length:
        raise ProblemError(
            400,
            slug="length-mismatch",
            detail=f"This URL accepts exactly {grant.content_length} bytes; {len(body)} came.",
        )
    await asyncio.to_thread(storage.put, key, bytes(body), content_type=grant.content_type)
    return Response(status_code=204)


@router.get("/{key:path}", summary="Download through a signed URL")
async def get_object(request: Request, key: ObjectKey) -> Response:
    storage, signer = _local(request, key)
    try:
        filename = signer.verify_download(key, dict(request.query_params), now=int(time.time()))
    except SignatureRejectedError as exc:
        raise _refusal(exc) from None
    found = await asyncio.to_thread(storage.get, key)
    if found is None:
        raise ProblemError(404, detail="No such object.")
    headers = {"Cache-Control": "private, max-age=300"}
    if filename:
        headers["Content-Disposition"] = content_disposition(filename)
    return Response(found.data, media_type=found.content_type, headers=headers)


def _local(request: Request, key: str) -> tuple[LocalObjectStorage, UrlSigner]:
    storage = getattr(request.app.state, "storage", None)
    # With a bucket configured, clients talk to the bucket; this route does not exist then.
    if not isinstance(storage, LocalObjectStorage) or storage.signer is None:
        raise ProblemError(404)
    try:
        check_key(key)
    except InvalidKeyError:
        raise ProblemError(404) from None
    return storage, storage.signer


def _declared_length(request: Request) -> int | None:
    try:
        return int(request.headers["content-length"])
    except (KeyError, ValueError):
        return None


def _refusal(exc: SignatureRejectedError) -> ProblemError:
    return ProblemError(_STATUS.get(exc.reason, 403), slug=exc.reason, detail=exc.detail)
