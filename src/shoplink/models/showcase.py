from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shoplink.models.base import Base, UTCDateTime


class ShowcaseItem(Base):
    """A product an account chose to promote. Archiving the product deletes these rows."""

    __tablename__ = "showcase_items"
    __table_args__ = (UniqueConstraint("account_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
