"""Standard Webhooks signatures with the maintained `standardwebhooks` package."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from standardwebhooks.webhooks import Webhook

from shoplink.models import WebhookEndpoint


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def headers(
    endpoint: WebhookEndpoint, *, message_id: str, body: str, timestamp: datetime, now: datetime
) -> dict[str, str]:
    secrets_in_use = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires and now < expires:
        secrets_in_use.append(endpoint.previous_secret)
    signatures = " ".join(Webhook(s).sign(message_id, timestamp, body) for s in secrets_in_use)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
        "user-agent": "shoplink-webhooks/1",
    }
