"""A real webhook receiver for the tests: an HTTP server on 127.0.0.1 in a background thread.

Every request is verified with the same library the sender signs with (`standardwebhooks`);
a request that fails verification is answered 401 and kept in `rejected`, so a test can
assert there were none. Verified requests are recorded by `webhook-id`, which is how a real
receiver de-duplicates at-least-once deliveries: `accepted_ids` holds the ids answered 2xx,
`duplicates()` the ids that arrived more than once.

Knobs: `delay` (seconds slept per request, to keep a batch in flight long enough for a kill
to land in the middle of it) and `script(...)` (the statuses to answer, per webhook-id or for
the whole stream, 200 once the script is used up).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.pg import free_port


@dataclass(frozen=True, slots=True)
class Received:
    webhook_id: str
    payload: dict[str, Any]
    status: int
    at: float


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Two workers send 16 requests each at once; the default backlog of 5 would drop SYNs.
    request_queue_size = 256
    receiver: Receiver


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        if len(body) < length:
            # The sender died between the headers and the end of the body (a kill -9 test).
            self.server.receiver.truncated(self.headers.get("webhook-id"))
            self.close_connection = True
            return
        status = self.server.receiver.handle(self.path, body, dict(self.headers.items()))
        try:
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()
        except OSError:
            pass  # the sender died while we slept (a kill -9 test): nobody to answer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except OSError:
            self.close_connection = True


class Receiver:
    PATH = "/hook"

    def __init__(self, *, delay: float = 0.0) -> None:
        self.delay = delay
        self.secret: str | None = None
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self.received: list[Received] = []
        self.rejected: list[str] = []
        self.cut_off: list[str | None] = []  # requests whose sender died mid-body
        self._script: list[int] = []
        self._per_message: dict[str, list[int]] | None = None
        self._httpd = _Server(("127.0.0.1", free_port()), _Handler)
        self._httpd.receiver = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{self.PATH}"

    def start(self) -> Receiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- behaviour -------------------------------------------------------------------------

    def script(self, statuses: list[int], *, per_message: bool = True) -> None:
        """Answer these statuses in order (per webhook-id, or across all requests), then 200."""
        with self._lock:
            if per_message:
                self._per_message, self._script = {}, list(statuses)
            else:
                self._per_message, self._script = None, list(statuses)

    def _next_status(self, webhook_id: str) -> int:
        if self._per_message is None:
            return self._script.pop(0) if self._script else 200
        left = self._per_message.setdefault(webhook_id, list(self._script))
        return left.pop(0) if left else 200

    def truncated(self, webhook_id: str | None) -> None:
        with self._lock:
            self.cut_off.append(webhook_id)

    def handle(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        if path != self.PATH or self.secret is None:
            with self._lock:
                self.rejected.append(f"unexpected request to {path}")
                self._arrived.notify_all()
            return 404
        try:
            payload = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError as exc:
            with self._lock:
                self.rejected.append(f"{headers.get('webhook-id')}: {exc}")
                self._arrived.notify_all()
            return 401
        webhook_id = {k.lower(): v for k, v in headers.items()}["webhook-id"]
        with self._lock:
            status = self._next_status(webhook_id)
            self.received.append(Received(webhook_id, payload, status, time.monotonic()))
            self._arrived.notify_all()
        if self.delay:
            time.sleep(self.delay)
        return status

    # -- what arrived ----------------------------------------------------------------------

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def ids(self) -> Counter[str]:
        """Every verified request, counted by webhook-id."""
        return Counter(r.webhook_id for r in self.snapshot())

    def accepted_ids(self) -> Counter[str]:
        return Counter(r.webhook_id for r in self.snapshot() if 200 <= r.status < 300)

    def duplicates(self) -> dict[str, int]:
        """Ids accepted more than once (an at-least-once sender may cause a few)."""
        return {i: n for i, n in self.accepted_ids().items() if n > 1}

    def payloads(self) -> dict[str, dict[str, Any]]:
        return {r.webhook_id: r.payload for r in self.snapshot()}

    def wait_for(self, count: int, *, timeout: float) -> bool:
        """Block until `count` verified requests (any status) have arrived."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._arrived.wait(left)
            return True

    def describe(self) -> str:
        snap = self.snapshot()
        return json.dumps(
            {
                "requests": len(snap),
                "unique_ids": len({r.webhook_id for r in snap}),
                "statuses": Counter(r.status for r in snap),
                "duplicates": self.duplicates(),
                "rejected": self.rejected[:10],
                "cut_off": self.cut_off,
            },
            default=str,
        )
