"""Creator deposits (douyin): paid by a shop for its official account, or by a creator."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.audit import service as audit
from shoplink.commerce.schemas import DepositOut
from shoplink.errors import ValidationFailed, refuse_if_any
from shoplink.identity.principal import Principal
from shoplink.models import Deposit
from shoplink.policy import Profile, money
from shoplink.policy.commerce import deposit_settled, deposit_violations


def required_minor(profile: Profile) -> int:
    knobs = profile.commerce
    return money.price_to_minor(str(knobs.creator_deposit_amount), knobs.deposit_currency)


async def paid_minor(
    session: AsyncSession, *, shop_id: int | None = None, account_id: int | None = None
) -> int:
    """What was paid for the shop or the account (either covers an official account)."""
    payers = []
    if shop_id is not None:
        payers.append(Deposit.shop_id == shop_id)
    if account_id is not None:
        payers.append(Deposit.account_id == account_id)
    if not payers:
        return 0
    stmt = select(func.coalesce(func.sum(Deposit.amount_minor), 0)).where(or_(*payers))
    return int((await session.execute(stmt)).scalar_one())


async def is_paid(
    session: AsyncSession,
    profile: Profile,
    *,
    shop_id: int | None = None,
    account_id: int | None = None,
) -> bool:
    if not profile.commerce.creator_deposit_required:
        return True
    paid = await paid_minor(session, shop_id=shop_id, account_id=account_id)
    return deposit_settled(profile, paid_minor=paid, required_minor=required_minor(profile))


async def status(
    session: AsyncSession,
    profile: Profile,
    *,
    shop_id: int | None = None,
    account_id: int | None = None,
) -> DepositOut:
    currency = profile.commerce.deposit_currency
    paid = await paid_minor(session, shop_id=shop_id, account_id=account_id)
    required = required_minor(profile) if profile.commerce.creator_deposit_required else 0
    return DepositOut(
        shop_id=shop_id,
        account_id=account_id,
        required=profile.commerce.creator_deposit_required,
        amount_required=money.minor_to_price(required, currency),
        amount_paid=money.minor_to_price(paid, currency),
        currency=currency,
        settled=deposit_settled(profile, paid_minor=paid, required_minor=required),
    )


async def pay(
    session: AsyncSession,
    actor: Principal,
    profile: Profile,
    *,
    amount: str,
    now: datetime,
    shop_id: int | None = None,
    account_id: int | None = None,
) -> DepositOut:
    refuse_if_any(deposit_violations(profile))
    currency = profile.commerce.deposit_currency
    try:
        minor = money.amount_to_minor(amount, currency)
    except ValueError as exc:
        raise ValidationFailed(
            "Invalid amount", errors=[{"field": "body.amount", "message": str(exc)}]
        ) from exc
    session.add(
        Deposit(
            shop_id=shop_id,
            account_id=account_id,
            amount_minor=minor,
            currency=currency,
            paid_at=now,
            paid_by=actor.label,
        )
    )
    await session.flush()
    result = await status(session, profile, shop_id=shop_id, account_id=account_id)
    audit.record(
        session,
        type="deposit.paid",
        actor=actor,
        now=now,
        shop_id=shop_id,
        account_id=account_id,
        amount=money.minor_to_price(minor, currency),
        currency=currency,
        settled=result.settled,
    )
    return result
