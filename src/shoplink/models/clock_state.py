from __future__ import annotations

from sqlalchemy import Float
from sqlalchemy.orm import Mapped, mapped_column

from shoplink.models.base import Base


class ClockState(Base):
    """The test clock's offset, shared by every server process (one row, id = 1)."""

    __tablename__ = "clock_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    offset_seconds: Mapped[float] = mapped_column(Float, default=0.0)
