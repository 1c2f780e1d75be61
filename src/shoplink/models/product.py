from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from shoplink.models.base import Base, UTCDateTime


class Product(Base):
    """A shop's product. Price in minor units and commission in basis points keep both exact.

    `title_terms`/`body_terms` are the search terms of policy.search_terms; the full-text
    index (FTS5 on SQLite, a tsvector on PostgreSQL) is built from them by the database.
    """

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("shop_id", "sku"),
        CheckConstraint("status IN ('active', 'draft', 'archived')", name="status"),
        CheckConstraint("stock >= 0", name="stock"),
        CheckConstraint("price_minor >= 0", name="price"),
        CheckConstraint(
            "commission_bps IS NULL OR commission_bps BETWEEN 100 AND 8000", name="commission"
        ),
        # The Shop Page and the seller's list walk this in id order, newest or oldest first.
        Index("ix_products_shop_status_id", "shop_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    sku: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    stock: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    commission_bps: Mapped[int | None] = mapped_column(nullable=True)
    title_terms: Mapped[str] = mapped_column(Text, default="")
    body_terms: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
