from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from shoplink.models.base import Base, UTCDateTime


class NameChange(Base):
    """One counted rename of a bound shop/official account pair (douyin's rolling quota)."""

    __tablename__ = "name_changes"
    __table_args__ = (Index("ix_name_changes_shop_id_changed_at", "shop_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    old_name: Mapped[str] = mapped_column(String(30))
    new_name: Mapped[str] = mapped_column(String(30))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
