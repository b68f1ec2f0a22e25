"""A strong ETag names one representation, content coding included (RFC 9110 §8.8.3): the gzip bytes
of an answer are another representation than its identity bytes, so they get another tag.

Sits just outside gzip: when gzip compressed the answer, its strong ETag `"x"` becomes `"x-gzip"`.
The routes' 304 logic (api.responses) accepts `"x-gzip"` for `"x"` and answers with the tag the
client sent, so a client revalidating its gzip copy gets back the tag it holds.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SUFFIX = "-gzip"
_ETAG = b"etag"
_GZIP = (b"content-encoding", b"gzip")


def compressed_etag(etag: bytes) -> bytes:
    """The tag of the gzip representation of the answer tagged `etag` (a weak tag stays as it is)."""
    if etag.startswith(b"W/") or not etag.endswith(b'"'):
        return etag
    return etag[:-1] + SUFFIX.encode("ascii") + b'"'


class CompressedETagMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_tag(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if _GZIP in headers:
                    message["headers"] = [
                        (name, compressed_etag(value) if name == _ETAG else value) for name, value in headers
                    ]
            await send(message)

        await self.app(scope, receive, send_with_tag)
