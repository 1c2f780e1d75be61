from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shoplink.models.base import Base, UTCDateTime


class Event(Base):
    """Append-only audit record, written in the transaction of the change it describes."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_shop_id_id", "shop_id", "id"),
        Index("ix_events_account_id_id", "account_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id"), nullable=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("links.id"), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
