from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.config import API_PREFIX
from shoplink.identity.auth import get_session, require_admin
from shoplink.identity.principal import Principal
from shoplink.models import ClockState
from shoplink.ops import metrics

router = APIRouter(tags=["operations"])
test_clock_router = APIRouter(prefix=API_PREFIX, tags=["operations"])

TEN_YEARS = 10 * 366 * 24 * 3600


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    db = request.app.state.db
    try:
        async with db.session(write=False) as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # readiness reports any database failure, it does not raise
        return JSONResponse(
            {"status": "unavailable", "detail": type(exc).__name__}, status_code=503
        )
    return JSONResponse(
        {"status": "ready", "database": db.dialect, "platform": request.app.state.profile.name}
    )


@router.get("/metrics")
async def prometheus_metrics() -> Response:
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)


class ClockAdvance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    advance_seconds: Annotated[float, Field(ge=0, le=TEN_YEARS, allow_inf_nan=False)]


class ClockOut(BaseModel):
    now: datetime
    offset_seconds: float


@test_clock_router.post("/test-clock", response_model=ClockOut)
async def advance_test_clock(
    body: ClockAdvance,
    request: Request,
    _: Principal = Depends(require_admin),
    session: AsyncSession = Depends(get_session),
) -> ClockOut:
    state = await session.get(ClockState, 1, with_for_update=True)
    if state is None:
        state = ClockState(id=1, offset_seconds=0.0)
        session.add(state)
    state.offset_seconds += body.advance_seconds
    await session.flush()
    clock = request.app.state.clock
    clock.set_offset(state.offset_seconds)
    return ClockOut(now=clock.now(), offset_seconds=state.offset_seconds)


async def load_clock_offset(session: AsyncSession) -> float:
    offset = (
        await session.execute(select(ClockState.offset_seconds).where(ClockState.id == 1))
    ).scalar()
    return float(offset or 0.0)
