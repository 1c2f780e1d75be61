from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shoplink.models.base import Base, UTCDateTime


class Shop(Base):
    __tablename__ = "shops"
    __table_args__ = (
        CheckConstraint("store_type IN ('personal', 'business')", name="store_type"),
        CheckConstraint("status IN ('active', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("sellers.id"), index=True)
    name: Mapped[str] = mapped_column(String(30))
    region: Mapped[str] = mapped_column(String(2))
    store_type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # None means probation is over (or never applied); a reviewer may end it early.
    probation_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set when the end of probation was announced (shop.probation_ended), by time or reviewer.
    probation_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
