"""shoplink's command line: serve · db upgrade · demo · worker · import-products · policy show."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Literal

import typer

from shoplink.config import Settings
from shoplink.policy.profile import ProfileError, available_profiles, load_profile

app = typer.Typer(help="shoplink: the shop ↔ account binding service.", no_args_is_help=True)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
policy_app = typer.Typer(help="Platform profiles.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(policy_app, name="policy")

DatabaseOpt = Annotated[
    str | None, typer.Option("--database-url", help="sqlite:///path or postgresql://…")
]
PlatformOpt = Annotated[str | None, typer.Option("--platform", help="tiktok_shop or douyin")]


def _settings(database_url: str | None, platform: str | None, **extra: object) -> Settings:
    """A flag wins over the SHOPLINK_* environment; the result is exported for child processes."""
    overrides = {
        k: v
        for k, v in {"database_url": database_url, "platform": platform, **extra}.items()
        if v is not None
    }
    settings = Settings(**overrides)  # type: ignore[arg-type]
    for key, value in settings.model_dump(exclude_none=True).items():
        os.environ[f"SHOPLINK_{key.upper()}"] = str(value)
    try:
        load_profile(settings.platform, settings.profiles_dir)
    except ProfileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    return settings


def upgrade_database(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    database_url: DatabaseOpt = None,
    platform: PlatformOpt = None,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
    test_clock: Annotated[
        bool, typer.Option("--test-clock", help="enable POST /test-clock")
    ] = False,
) -> None:
    """Serve the API with uvicorn (several worker processes with --workers)."""
    import uvicorn

    _settings(database_url, platform, test_clock=test_clock or None)
    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="shoplink-metrics-")
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["shoplink"] = {"handlers": ["default"], "level": "INFO"}
    uvicorn.run(
        "shoplink.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=log_config,
        access_log=False,
    )


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseOpt = None) -> None:
    """Apply every migration (SQLite or PostgreSQL)."""
    settings = _settings(database_url, None)
    upgrade_database(settings.database_url)
    typer.echo("database is at the latest revision")


@app.command()
def demo(database_url: DatabaseOpt = None, platform: PlatformOpt = None) -> None:
    """Load demo data (once) and print the demo logins."""
    from shoplink import demo as demo_data
    from shoplink.clock import Clock
    from shoplink.db import Database

    settings = _settings(database_url, platform)
    profile = load_profile(settings.platform, settings.profiles_dir)

    async def run() -> bool:
        db = Database(settings.database_url)
        try:
            return await demo_data.load(db, profile, Clock())
        finally:
            await db.dispose()

    created = asyncio.run(run())
    typer.echo("demo data loaded" if created else "demo data already present")
    typer.echo(f"demo logins (password '{demo_data.DEMO_PASSWORD}'):")
    for login in demo_data.LOGINS:
        typer.echo(f"  {login.username:<10} {login.role}")


@app.command()
def worker(
    database_url: DatabaseOpt = None,
    test_clock: Annotated[bool, typer.Option("--test-clock", help="follow the test clock")] = False,
    once: Annotated[
        bool, typer.Option("--once", help="exit when there is nothing left to do")
    ] = False,
) -> None:
    """Run timed jobs and deliver webhooks (start as many as you like)."""
    import logging

    from shoplink.worker import Worker

    settings = _settings(database_url, None, test_clock=test_clock or None)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(Worker(settings).run(once=once))


@app.command("import-products")
def import_products(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or NDJSON")],
    shop: Annotated[int, typer.Option("--shop", help="the shop's id", min=1)],
    file_format: Annotated[
        str | None, typer.Option("--format", help="csv or ndjson (default: by file extension)")
    ] = None,
    database_url: DatabaseOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
) -> None:
    """Upsert a shop's products by sku from a file, 1,000 lines per transaction.

    Prints the result as JSON; exits 1 if any line failed (the good lines are imported).
    """
    from shoplink import product_import

    settings = _settings(database_url, None)
    formats: dict[str, Literal["csv", "ndjson"]] = {"csv": "csv", "ndjson": "ndjson"}
    fmt = formats.get(file_format or ("csv" if file.suffix.lower() == ".csv" else "ndjson"))
    if fmt is None:
        typer.echo("error: --format must be csv or ndjson", err=True)
        raise typer.Exit(2)
    result = asyncio.run(
        product_import.run(
            settings,
            shop_id=shop,
            path=file,
            size=file.stat().st_size,
            fmt=fmt,
            progress=not quiet,
        )
    )
    typer.echo(result.model_dump_json(indent=2))
    if result.error_count:
        raise typer.Exit(1)


@policy_app.command("show")
def policy_show(platform: PlatformOpt = None) -> None:
    """Print the active platform profile (or every profile's name with --platform list)."""
    settings = Settings()
    name = platform or settings.platform
    if name == "list":
        typer.echo("\n".join(available_profiles(settings.profiles_dir)))
        return
    try:
        profile = load_profile(name, settings.profiles_dir)
    except ProfileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(profile.model_dump(mode="json"), indent=2))
