from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shoplink.models.base import Base, UTCDateTime


class Account(Base):
    """A platform ("TikTok") account. Organization accounts belong to a seller, others to a user."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("kind IN ('personal', 'business', 'creator', 'organization')", name="kind"),
        CheckConstraint("status IN ('active', 'deleted')", name="status"),
        CheckConstraint(
            "(kind = 'organization' AND seller_id IS NOT NULL)"
            " OR (kind <> 'organization' AND seller_id IS NULL)",
            name="org_has_seller",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(24), unique=True)
    nickname: Mapped[str] = mapped_column(String(30))
    avatar_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    region: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="active")
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True, index=True
    )
    seller_id: Mapped[int | None] = mapped_column(
        ForeignKey("sellers.id"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OrgMember(Base):
    __tablename__ = "org_members"
    __table_args__ = (CheckConstraint("role IN ('admin', 'operator')", name="role"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
