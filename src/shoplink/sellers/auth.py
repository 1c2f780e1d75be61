from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import Forbidden, NotFound
from shoplink.identity.principal import Principal
from shoplink.models import SellerStaff

ANY_STAFF = frozenset({"owner", "admin", "operator"})
MANAGERS = frozenset({"owner", "admin"})


async def staff_role(session: AsyncSession, principal: Principal, seller_id: int) -> str | None:
    if principal.user_id is None:
        return None
    stmt = select(SellerStaff.role).where(
        SellerStaff.seller_id == seller_id, SellerStaff.user_id == principal.user_id
    )
    return (await session.execute(stmt)).scalar_one_or_none()


def require_role(
    principal: Principal,
    role: str | None,
    *,
    roles: frozenset[str] = ANY_STAFF,
    hidden_as: str = "Seller",
) -> None:
    """Admins pass; staff need one of `roles`; anyone else must not learn the seller exists."""
    if principal.is_admin:
        return
    if role is None:
        raise NotFound(hidden_as)
    if role not in roles:
        raise Forbidden(f"Your role '{role}' may not do this")


async def require_staff(
    session: AsyncSession,
    principal: Principal,
    seller_id: int,
    *,
    roles: frozenset[str] = ANY_STAFF,
    hidden_as: str = "Seller",
) -> None:
    if principal.is_admin:
        return
    role = await staff_role(session, principal, seller_id)
    require_role(principal, role, roles=roles, hidden_as=hidden_as)
