"""The owner's and the seller's decisions on a pending request, and the review step.

Every rule is checked again at each step: the world may have changed since the request.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.audit import service as audit
from shoplink.errors import Forbidden, NotFound, RuleViolation, refuse_if_any
from shoplink.identity.principal import Principal
from shoplink.kit.write_behind import update_columns
from shoplink.links import auth, facts, lifecycle
from shoplink.links.requesting import roles_for
from shoplink.models import Account, Link, Seller, Shop
from shoplink.policy import Profile
from shoplink.policy.rules import is_expired, needs_review
from shoplink.policy.texts import N_
from shoplink.sellers.auth import require_staff

# Built once: building it cost a quarter of a millisecond, a tenth of the step.
# PostgreSQL locks the rows of `FOR UPDATE OF` in the order the clause names them: the
# shop, then the link, as every path that changes a shop's links does.
_LINK_AND_SIDES = (
    select(Link, Shop, Seller, Account)
    .select_from(Shop)
    .join(Link, Link.shop_id == Shop.id)
    .join(Seller, Seller.id == Shop.seller_id)
    .join(Account, Account.id == Link.account_id)
    .where(Link.id == bindparam("link_id"))
    .with_for_update(of=(Shop, Link))
    .execution_options(populate_existing=True)
)


async def _locked(
    session: AsyncSession, actor: Principal, link_id: int
) -> tuple[Link, Shop, Account]:
    """The link, its shop and its account, the shop and the link locked (in that order, as
    everywhere, so racing steps cannot deadlock) by the one query that loads them."""
    found = (await session.execute(_LINK_AND_SIDES, {"link_id": link_id})).one_or_none()
    if found is None or not await auth.sees_link(session, actor, found[0]):
        raise NotFound("Link request")
    link, shop, _, account = found
    return link, shop, account


def _require_status(link: Link, *allowed: str, now: datetime) -> None:
    if (
        is_expired(status=link.status, expires_at=link.expires_at, now=now)
        or link.status == "expired"
    ):
        raise RuleViolation(
            N_("The request expired before it was authorized."),
            code="AUTHORIZATION_EXPIRED",
            next_action=N_("Ask the seller to send a new request."),
        )
    if link.status not in allowed:
        raise RuleViolation(
            N_("The link is %(status)s; this needs %(allowed)s."),
            code="INVALID_STATE",
            next_action=N_("Reload the link to see its current state."),
            params={"status": link.status, "allowed": " or ".join(allowed)},
        )


async def _recheck(
    session: AsyncSession, profile: Profile, link: Link, shop: Shop, account: Account, now: datetime
) -> None:
    refuse_if_any(
        await facts.violations_now(session, profile, link, shop=shop, account=account, now=now)
    )


async def authorize(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    link_id: int,
    accept_terms: bool,
    now: datetime,
) -> Link:
    link, shop, account = await _locked(session, actor, link_id)
    if not await auth.speaks_for_account(session, actor, account):
        raise Forbidden("Only the account's owner can authorize this request")
    _require_status(link, "pending_authorization", now=now)
    if not accept_terms:
        raise RuleViolation(
            N_("The binding agreement was not accepted."),
            code="TERMS_NOT_ACCEPTED",
            next_action=N_('Read the agreement and send {"accept_terms": true}.'),
        )
    await _recheck(session, profile, link, shop, account, now)
    audit.record(
        session,
        type="link.authorized",
        actor=actor,
        now=now,
        shop_id=shop.id,
        account_id=account.id,
        link_id=link.id,
        role=link.role,
    )
    if needs_review(profile, link.role):
        await update_columns(session, link, authorized_at=now, status="pending_review")
    else:
        await lifecycle.activate(
            session, link, shop=shop, account=account, actor=actor, now=now, authorized_at=now
        )
    return link


async def decline(session: AsyncSession, actor: Principal, *, link_id: int, now: datetime) -> Link:
    link, _, account = await _locked(session, actor, link_id)
    if not await auth.speaks_for_account(session, actor, account):
        raise Forbidden("Only the account's owner can decline this request")
    _require_status(link, "pending_authorization", now=now)
    await lifecycle.end(
        session, link, status="declined", actor=actor, now=now, event="link.declined"
    )
    return link


async def cancel(session: AsyncSession, actor: Principal, *, link_id: int, now: datetime) -> Link:
    link, shop, _ = await _locked(session, actor, link_id)
    await require_staff(session, actor, shop.seller_id, roles=roles_for(link.role))
    _require_status(link, "pending_authorization", "pending_review", now=now)
    await lifecycle.end(
        session, link, status="cancelled", actor=actor, now=now, event="link.cancelled"
    )
    return link


async def approve(
    session: AsyncSession, actor: Principal, profile: Profile, *, link_id: int, now: datetime
) -> Link:
    link, shop, account = await _locked(session, actor, link_id)
    _require_status(link, "pending_review", now=now)
    await _recheck(session, profile, link, shop, account, now)
    audit.record(
        session,
        type="link.approved",
        actor=actor,
        now=now,
        shop_id=shop.id,
        account_id=account.id,
        link_id=link.id,
        role=link.role,
    )
    await lifecycle.activate(
        session, link, shop=shop, account=account, actor=actor, now=now, reviewed_at=now
    )
    return link


async def reject(
    session: AsyncSession, actor: Principal, *, link_id: int, reason: str, now: datetime
) -> Link:
    link, _, _ = await _locked(session, actor, link_id)
    _require_status(link, "pending_review", now=now)
    link.reviewed_at = now
    link.review_reason = reason
    await lifecycle.end(
        session, link, status="rejected", actor=actor, now=now, event="link.rejected", reason=reason
    )
    return link
