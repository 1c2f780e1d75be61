"""Use cases that ask for a link: official (link an existing account or create an organization
account) and marketing, plus the side-effect-free eligibility check that shares their rules."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.accounts import repository as accounts_repo
from shoplink.audit import service as audit
from shoplink.errors import RuleViolation, refuse_if_any
from shoplink.identity.principal import Principal
from shoplink.kit.statements import Statement
from shoplink.links import facts, lifecycle
from shoplink.links.schemas import CreateOrganization
from shoplink.models import Account, Link, OrgMember, Seller
from shoplink.policy import Profile
from shoplink.policy.rules import Violation, create_organization_violations, link_violations
from shoplink.policy.texts import N_
from shoplink.sellers.auth import ANY_STAFF, MANAGERS
from shoplink.shops.auth import shop_for


def roles_for(role: str) -> frozenset[str]:
    """Operators handle marketing accounts; the official identity is for owners and admins."""
    return MANAGERS if role == "official" else ANY_STAFF


async def eligibility(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    shop_id: int,
    role: str,
    username: str,
    now: datetime,
) -> list[Violation]:
    shop = await facts.shop_side_for(session, actor, shop_id, roles=ANY_STAFF, lock=False)
    _, found = await facts.for_request(
        session, profile, shop=shop, username=username, role=role, now=now
    )
    return link_violations(profile, found.facts)


async def request_link(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    shop_id: int,
    role: str,
    username: str,
    now: datetime,
) -> Link:
    shop = await facts.shop_side_for(session, actor, shop_id, roles=roles_for(role), lock=True)
    account, found = await facts.for_request(
        session, profile, shop=shop, username=username, role=role, now=now
    )
    assert account.id is not None
    refuse_if_any(link_violations(profile, found.facts))
    if found.lapsed:
        # Overdue requests (which the facts already leave out) give up their index slots.
        await lifecycle.expire_due(session, now=now, shop_id=shop.id, account_id=account.id)
    values = {
        "shop_id": shop.id,
        "account_id": account.id,
        "role": role,
        "status": "pending_authorization",
        "method": "link_existing",
        "requested_by": actor.user_id,
        "requested_at": now,
        "expires_at": now + timedelta(hours=profile.links.authorization_ttl_hours),
    }
    # A plain INSERT (kit/statements.py): nothing else in this request changes the link, so
    # the Link returned is only presented, never added to the session.
    with _slot_taken():
        row = await _ADD_REQUEST.one_or_none(session, **values)
    assert row is not None
    link = Link(id=row.id, **values)
    audit.record(
        session,
        type="link.requested",
        actor=actor,
        now=now,
        shop_id=shop.id,
        account_id=account.id,
        link_id=link.id,
        role=role,
        method="link_existing",
    )
    return link


_LINKS = cast(Table, Link.__table__)
_ADD_REQUEST = Statement(insert(_LINKS).returning(_LINKS.c.id))


async def create_organization_account(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    shop_id: int,
    data: CreateOrganization,
    now: datetime,
) -> Link:
    refuse_if_any(create_organization_violations(profile))
    shop = await shop_for(session, actor, shop_id, roles=MANAGERS, lock=True)
    await lifecycle.expire_due(session, now=now, shop_id=shop.id)
    account = Account(
        username=data.username,
        nickname=shop.name,
        avatar_url=data.avatar_url,
        phone=data.phone,
        region=shop.region,
        kind="organization",
        status="active",
        seller_id=shop.seller_id,
        created_at=now,
    )
    seller = await session.get(Seller, shop.seller_id)  # loaded with the shop
    assert seller is not None
    found = await facts.gather(
        session,
        profile,
        shop=facts.ShopSide.of(shop, seller),
        account=facts.AccountSide.of(account, seller.entity_id),
        role="official",
        now=now,
    )
    refuse_if_any(link_violations(profile, found.facts))
    await accounts_repo.insert(session, account)
    if actor.user_id is not None:
        session.add(
            OrgMember(account_id=account.id, user_id=actor.user_id, role="admin", added_at=now)
        )
    audit.record(
        session,
        type="account.created",
        actor=actor,
        now=now,
        shop_id=shop.id,
        account_id=account.id,
        kind="organization",
        username=account.username,
    )
    link = Link(
        shop_id=shop.id,
        account_id=account.id,
        role="official",
        status="active",
        method="create_organization",
        requested_by=actor.user_id,
        requested_at=now,
    )
    await _insert(session, link)
    audit.record(
        session,
        type="link.requested",
        actor=actor,
        now=now,
        shop_id=shop.id,
        account_id=account.id,
        link_id=link.id,
        role="official",
        method="create_organization",
    )
    await lifecycle.activate(session, link, shop=shop, account=account, actor=actor, now=now)
    return link


async def _insert(session: AsyncSession, link: Link) -> None:
    session.add(link)
    with _slot_taken():
        await session.flush()


@contextmanager
def _slot_taken() -> Iterator[None]:
    """The partial unique indexes have the last word when requests race."""
    try:
        yield
    except IntegrityError as exc:
        text = str(exc.orig)
        if "uq_links_live_per_account" in text or "links.account_id" in text:
            raise RuleViolation(
                N_("The account is already linked, or pending, to a shop."),
                code="ACCOUNT_ALREADY_LINKED",
                next_action=N_(
                    "The account's current link must end before it can be linked again."
                ),
            ) from exc
        raise RuleViolation(
            N_("The shop already has an official account, bound or pending."),
            code="OFFICIAL_ACCOUNT_EXISTS",
            next_action=N_(
                "Unbind the current official account or cancel the pending request first."
            ),
        ) from exc
