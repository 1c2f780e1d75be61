"""Bulk import of products from CSV or NDJSON: upsert by sku, one short transaction per batch.

The input is read line by line from a file (the CLI's, or the spooled request body), so memory
stays flat whatever its size. A bad line is reported with its number and never stops the
good ones; batches already committed stay committed if a later one fails.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import IO, Any, Literal

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shoplink.audit import service as audit
from shoplink.catalog import repository as repo
from shoplink.catalog.line_checks import LineFault, Row, check_line
from shoplink.catalog.schemas import ImportError_, ImportResult
from shoplink.catalog.service import shop_closed
from shoplink.db import Database
from shoplink.errors import ValidationFailed
from shoplink.identity.principal import Principal
from shoplink.kit.locking import lock_by_id
from shoplink.models import Shop
from shoplink.policy.search_terms import index_terms

Format = Literal["csv", "ndjson"]
BATCH_LINES = 1000
YIELD_EVERY = 10  # lines checked between two turns of the event loop
UTF8_BOM = b"\xef\xbb\xbf"
MAX_LISTED_ERRORS = 1000
REQUIRED_COLUMNS = frozenset({"sku", "title", "price", "currency", "stock"})
KNOWN_COLUMNS = REQUIRED_COLUMNS | {"description", "status", "affiliate_commission_rate"}
# CSV has no null: an empty cell means "not given".
OPTIONAL_WHEN_EMPTY = frozenset({"description", "status", "affiliate_commission_rate"})


Record = tuple[int, dict[str, Any] | LineFault]


class _NumberedLines:
    """Decoded lines of a binary file, counting them. Bytes that are not UTF-8 survive as
    surrogates, which validation then refuses for that line alone."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.raw:
            self.number += 1
            text = line.decode("utf-8", "surrogateescape")
            yield text.removeprefix("\ufeff") if self.number == 1 else text


def _csv_records(raw: IO[bytes]) -> Iterator[Record]:
    lines = _NumberedLines(raw)
    reader = csv.reader(lines, strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise _bad_header("the file is empty: its first line must be the header") from None
    except csv.Error as exc:
        raise _bad_header(f"unreadable header: {exc}") from exc
    unknown = set(header) - KNOWN_COLUMNS
    missing = REQUIRED_COLUMNS - set(header)
    if unknown or missing or len(set(header)) != len(header):
        raise _bad_header(
            f"columns must be {sorted(REQUIRED_COLUMNS)} plus any of"
            f" {sorted(KNOWN_COLUMNS - REQUIRED_COLUMNS)}, each once;"
            f" unknown {sorted(unknown)}, missing {sorted(missing)}"
        )
    optional = [name for name in header if name in OPTIONAL_WHEN_EMPTY]
    while True:
        start = lines.number + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, LineFault("MALFORMED_LINE", f"unreadable CSV: {exc}")
            continue
        if not cells or cells == [""]:
            continue
        if len(cells) != len(header):
            yield (
                start,
                LineFault(
                    "MALFORMED_LINE", f"{len(cells)} cells where the header has {len(header)}"
                ),
            )
            continue
        record = dict(zip(header, cells, strict=True))
        for name in optional:
            if record[name] == "":
                del record[name]
        yield start, record


def _ndjson_records(raw: IO[bytes]) -> Iterator[Record]:
    for number, line in enumerate(raw, start=1):
        if number == 1:
            line = line.removeprefix(UTF8_BOM)  # as for CSV; orjson refuses a BOM
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield number, LineFault("MALFORMED_LINE", f"not JSON: {exc}")
            continue
        if not isinstance(value, dict):
            yield number, LineFault("MALFORMED_LINE", "each line must be a JSON object")
            continue
        yield number, value


def _bad_header(message: str) -> ValidationFailed:
    return ValidationFailed(
        "The CSV header is not a product header", errors=[{"field": "body", "message": message}]
    )


def records(raw: IO[bytes], fmt: Format) -> Iterator[Record]:
    return _csv_records(raw) if fmt == "csv" else _ndjson_records(raw)


# An import line as stored: the columns of repo.IMPORT_COLUMNS, in that order.
@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    lines: int = 0
    error_count: int = 0
    errors: list[ImportError_] = field(default_factory=list)

    def fault(self, line: int, fault: LineFault) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(ImportError_(line=line, code=fault.code, message=fault.message))

    def result(self) -> ImportResult:
        return ImportResult(
            created=self.created,
            updated=self.updated,
            errors=self.errors,
            error_count=self.error_count,
            lines=self.lines,
        )


def _batches(items: Iterable[Record]) -> Iterator[list[Record]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH_LINES)):
        yield batch


async def import_products(
    db: Database,
    *,
    shop_id: int,
    actor: Principal | str,
    raw: IO[bytes],
    fmt: Format,
    now: Callable[[], datetime],
    on_batch: Callable[[Tally], Awaitable[None] | None] | None = None,
) -> ImportResult:
    """The caller has checked that `actor` may manage the shop's products.

    Each batch is checked while the one before is written: checking is Python on this thread,
    writing is mostly the database's work (in its own process, or in aiosqlite's thread), so
    on two cores the two overlap. Batches still commit one after another, in file order."""
    tally = Tally()
    writing: asyncio.Task[tuple[int, int]] | None = None
    try:
        for batch in _batches(records(raw, fmt)):
            checked = await _check_batch(batch, tally)
            if writing is not None:
                await _written(writing, tally, on_batch)
            writing = asyncio.create_task(
                _commit_batch(db, shop_id=shop_id, actor=actor, batch=checked, at=now())
            )
        if writing is not None:
            await _written(writing, tally, on_batch)
    finally:
        if writing is not None and not writing.done():  # failed or cancelled meanwhile
            writing.cancel()
            await asyncio.wait([writing])  # its transaction rolls back before we return
    return tally.result()


async def _written(
    writing: asyncio.Task[tuple[int, int]],
    tally: Tally,
    on_batch: Callable[[Tally], Awaitable[None] | None] | None,
) -> None:
    created, updated = await writing
    tally.created += created
    tally.updated += updated
    if on_batch is not None:
        pending = on_batch(tally)
        if pending is not None:
            await pending


@dataclass
class _Batch:
    rows: dict[str, Row] = field(default_factory=dict)  # by sku: a later line wins
    lines: list[int] = field(default_factory=list)  # the good ones


async def _check_batch(batch: list[Record], tally: Tally) -> _Batch:
    checked = _Batch()
    for number, record in batch:
        tally.lines += 1
        if tally.lines % YIELD_EVERY == 0:
            await asyncio.sleep(0)  # a turn for the write of the previous batch
        row = check_line(record)
        if isinstance(row, LineFault):
            tally.fault(number, row)
            continue
        sku, title, description = row[:3]
        checked.lines.append(number)
        checked.rows[sku] = (*row, index_terms(title), index_terms(description))
    return checked


def _leaves_showcases(row: Row) -> bool:
    """Archived, or closed to affiliates (no commission)."""
    _sku, _title, _description, _price, _currency, _stock, status, bps, *_terms = row
    return status == "archived" or bps is None


@asynccontextmanager
async def _custom_plans(db: Database, session: AsyncSession) -> AsyncIterator[None]:
    """For the sku lookups, which take up to 1,000 skus: after five runs asyncpg's prepared
    statements get PostgreSQL's generic plan, which compared every product of the shop with
    every parameter (seconds per batch at 100k products; the whole import grew quadratically).
    Not needed for the upsert, which inserts what it is given."""
    if not db.is_postgres:
        yield
        return
    await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    yield
    await session.execute(text("SET LOCAL plan_cache_mode TO DEFAULT"))


async def _commit_batch(
    db: Database,
    *,
    shop_id: int,
    actor: Principal | str,
    batch: _Batch,
    at: datetime,
) -> tuple[int, int]:
    lines, rows = batch.lines, batch.rows
    if not lines:
        return 0, 0
    async with db.transaction(bulk=True) as session:
        shop = await lock_by_id(session, Shop, shop_id)  # one importer per shop at a time
        if shop is None or shop.status != "active":
            raise shop_closed()
        async with _custom_plans(db, session):
            known = await repo.count_existing(session, shop_id=shop_id, skus=list(rows))
        await repo.upsert_lines(session, shop_id=shop_id, at=at, rows=list(rows.values()))
        # Only archived products and those closed to affiliates leave showcases: most batches
        # have none, and skip the two deletes.
        leaving = [sku for sku, row in rows.items() if _leaves_showcases(row)]
        removed = 0
        if leaving:
            async with _custom_plans(db, session):
                removed = await repo.prune_showcases(
                    session, shop_id=shop_id, product_ids=repo.products_of(shop_id, leaving)
                )
        # Lines beyond the distinct skus repeated a sku of this batch: updates of it.
        created = len(rows) - known
        updated = len(lines) - created
        audit.record(
            session,
            type="products.imported",
            actor=actor,
            now=at,
            shop_id=shop_id,
            first_line=lines[0],
            last_line=lines[-1],
            created=created,
            updated=updated,
            removed_from_showcases=removed or None,
        )
    return created, updated
