"""An HTTP response held in memory until the transaction behind it has committed."""

from __future__ import annotations

from starlette.types import Message


class BufferedResponse:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []

    @classmethod
    def of(cls, *, status: int, content_type: str, body: bytes, replayed: bool) -> BufferedResponse:
        response = cls()
        headers = [
            (b"content-type", content_type.encode("latin-1")),
            (b"content-length", str(len(body)).encode()),
        ]
        if replayed:
            headers.append((b"idempotent-replayed", b"true"))
        response.messages = [
            {"type": "http.response.start", "status": status, "headers": headers},
            {"type": "http.response.body", "body": body, "more_body": False},
        ]
        response.status, response.headers = status, headers
        return response

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        self.messages.append(message)

    @property
    def body(self) -> bytes:
        return b"".join(
            m.get("body", b"") for m in self.messages if m["type"] == "http.response.body"
        )

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == b"content-type":
                return value.decode("latin-1")
        return "application/json"
