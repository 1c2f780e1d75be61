from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import RuleViolation
from shoplink.models import Account
from shoplink.policy.texts import N_


async def insert(session: AsyncSession, account: Account) -> None:
    """Add a new account; the unique index on username decides a taken name, even in a race."""
    session.add(account)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise RuleViolation(
            N_("The username '%(username)s' is taken"),
            code="USERNAME_TAKEN",
            next_action=N_("Choose another username."),
            params={"username": account.username},
        ) from exc
