"""ORM rows → API schemas, with expiry applied so every read sees it."""

from __future__ import annotations

from datetime import datetime

from shoplink.links.schemas import AccountCard, LinkOut
from shoplink.models import Account, Link
from shoplink.policy.names import mask_phone
from shoplink.policy.rules import is_expired


def effective_status(link: Link, now: datetime) -> str:
    return (
        "expired"
        if is_expired(status=link.status, expires_at=link.expires_at, now=now)
        else link.status
    )


def link_out(link: Link, now: datetime) -> LinkOut:
    out = LinkOut.model_validate(link, from_attributes=True)
    if effective_status(link, now) == "expired" and link.status != "expired":
        out.status = "expired"
        out.ended_at = link.expires_at
        out.end_reason = "authorization_expired"
    return out


def account_card(account: Account) -> AccountCard:
    return AccountCard(
        id=account.id,
        username=account.username,
        nickname=account.nickname,
        avatar_url=account.avatar_url,
        phone_masked=mask_phone(account.phone),
        kind=account.kind,
    )
