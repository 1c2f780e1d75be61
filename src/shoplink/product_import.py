"""`shoplink import-products`: the import of catalog.importing, run from a file with progress."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from shoplink.catalog.importing import Tally, import_products
from shoplink.catalog.schemas import ImportResult
from shoplink.clock import Clock
from shoplink.config import Settings
from shoplink.db import Database
from shoplink.errors import DomainError
from shoplink.models import Shop

ACTOR = "cli"


async def run(
    settings: Settings,
    *,
    shop_id: int,
    path: Path,
    size: int,
    fmt: Literal["csv", "ndjson"],
    progress: bool,
) -> ImportResult:
    db = Database(settings.database_url)
    clock = Clock()
    try:
        async with db.session(write=False) as session:
            shop = await session.get(Shop, shop_id)
        if shop is None or shop.status != "active":
            typer.echo(f"error: shop {shop_id} does not exist or is closed", err=True)
            raise typer.Exit(2)
        # A local file: reading it blocks for microseconds, not worth a thread per line.
        with path.open("rb") as raw, _bar(enabled=progress) as bar:
            task = bar.add_task("importing", total=size)

            def advance(tally: Tally) -> None:
                bar.update(task, completed=raw.tell(), description=f"{tally.lines:,} lines")

            try:
                return await import_products(
                    db,
                    shop_id=shop_id,
                    actor=ACTOR,
                    raw=raw,
                    fmt=fmt,
                    now=clock.now,
                    on_batch=advance,
                )
            except DomainError as exc:
                typer.echo(f"error: {exc.message}", err=True)
                raise typer.Exit(2) from exc
    finally:
        await db.dispose()


def _bar(*, enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        disable=not enabled,
        transient=True,
    )
