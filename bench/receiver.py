"""A webhook receiver for the outbox benchmark, run in its own process: verifies every
signature and counts unique webhook-ids (GET /count)."""

from __future__ import annotations

import json
import os

from standardwebhooks.webhooks import Webhook
from starlette.types import Receive, Scope, Send

HOOK = Webhook(os.environ["BENCH_WEBHOOK_SECRET"])
SEEN: set[str] = set()


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    answer = b""
    if scope["method"] == "GET":
        answer = json.dumps(
            {
                "count": len(SEEN),
                "prefixed": {p: sum(i.startswith(p) for i in SEEN) for p in ("msg_", "base_")},
            }
        ).encode()
    else:
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        HOOK.verify(body, headers)
        SEEN.add(headers["webhook-id"])
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": answer})
