"""The seller ends a link: unbind an active one, or withdraw a pending one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from shoplink.errors import NotFound, refuse_if_any
from shoplink.identity.principal import Principal
from shoplink.links import facts, lifecycle
from shoplink.links.requesting import roles_for
from shoplink.models import Link
from shoplink.models.link import LIVE_STATUSES
from shoplink.policy import Profile
from shoplink.policy.rules import is_expired, unbind_violations

_UNBOUND = aliased(Link)
# The shop's official unbinds so far (a lifetime limit) ride along with its links: one round
# trip less (bench B3).
_UNBINDS_USED = (
    select(func.count())
    .where(
        _UNBOUND.shop_id == bindparam("shop_id"),
        _UNBOUND.role == "official",
        _UNBOUND.status == "unbound",
    )
    .scalar_subquery()
)
_HOLDING = (
    select(Link, _UNBINDS_USED.label("unbinds_used"))
    .where(Link.shop_id == bindparam("shop_id"), Link.status.in_(LIVE_STATUSES))
    .order_by(Link.id)
    .with_for_update()
    .execution_options(populate_existing=True)
)


async def remove(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    shop_id: int,
    role: str,
    account_id: int | None = None,
    now: datetime,
) -> Link:
    shop = await facts.shop_side_for(session, actor, shop_id, roles=roles_for(role), lock=True)
    # The shop's links that hold a slot, lapsed requests included: those are marked expired
    # here (as lifecycle.expire_due would), and the first live one of `role` is ended.
    rows = (await session.execute(_HOLDING, {"shop_id": shop.id})).all()
    holding = [row.Link for row in rows]
    lapsed: list[Link] = []
    live: list[Link] = []
    for candidate in holding:
        expired = is_expired(status=candidate.status, expires_at=candidate.expires_at, now=now)
        (lapsed if expired else live).append(candidate)
    await lifecycle.expire(session, lapsed, now=now)
    link = next(
        (
            candidate
            for candidate in live
            if candidate.role == role and account_id in (None, candidate.account_id)
        ),
        None,
    )
    if link is None:
        raise NotFound(f"{role.capitalize()} account link")
    if link.status != "active":
        await lifecycle.end(
            session, link, status="cancelled", actor=actor, now=now, event="link.cancelled"
        )
        return link
    assert link.bound_at is not None
    used = rows[0].unbinds_used if role == "official" else 0
    refuse_if_any(
        unbind_violations(
            profile, role=role, bound_at=link.bound_at, now=now, official_unbinds_used=used
        )
    )
    await lifecycle.end(session, link, status="unbound", actor=actor, now=now, event="link.unbound")
    return link
