from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.errors import RuleViolation
from shoplink.models import Account


async def insert(session: AsyncSession, account: Account) -> None:
    """Add a new account; the unique index on username decides a taken name, even in a race."""
    session.add(account)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise RuleViolation(
            f"The username '{account.username}' is taken",
            code="USERNAME_TAKEN",
            next_action="Choose another username.",
        ) from exc
