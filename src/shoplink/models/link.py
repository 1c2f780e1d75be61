from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shoplink.models.base import Base, UTCDateTime

LIVE_STATUSES = ("pending_authorization", "pending_review", "active")
_LIVE_SQL = "status IN ('pending_authorization', 'pending_review', 'active')"


class Link(Base):
    """An account bound (or asking to be bound) to a shop in one role."""

    __tablename__ = "links"
    __table_args__ = (
        CheckConstraint("role IN ('official', 'marketing')", name="role"),
        CheckConstraint(
            "status IN ('pending_authorization', 'pending_review', 'active', 'declined',"
            " 'rejected', 'cancelled', 'expired', 'unbound', 'terminated')",
            name="status",
        ),
        # The database, not Python, guarantees one live official link per shop ...
        Index(
            "uq_links_live_official_per_shop",
            "shop_id",
            unique=True,
            sqlite_where=text(f"role = 'official' AND {_LIVE_SQL}"),
            postgresql_where=text(f"role = 'official' AND {_LIVE_SQL}"),
        ),
        # ... and one live link per account, anywhere.
        Index(
            "uq_links_live_per_account",
            "account_id",
            unique=True,
            sqlite_where=text(_LIVE_SQL),
            postgresql_where=text(_LIVE_SQL),
        ),
        Index("ix_links_shop_id_role_status", "shop_id", "role", "status"),
        Index("ix_links_account_id_role_requested_at", "account_id", "role", "requested_at"),
        Index("ix_links_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(32))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    authorized_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    bound_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    review_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # When the "expires soon" reminder went out (the worker sends it once).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
