"""One Settings object: flags of `shoplink serve` override the SHOPLINK_* environment."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

API_PREFIX = "/api/v1"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPLINK_", extra="ignore")

    database_url: str = "sqlite:///./shoplink.db"
    platform: str = "tiktok_shop"
    admin_token: str | None = None
    test_clock: bool = False
    token_ttl_hours: int = Field(default=24 * 7, ge=1)
    # Extra directory searched for platform profiles, so a third profile can be dropped in.
    profiles_dir: str | None = None
    pool_size: int = Field(default=10, ge=1)
    # Public profile and Shop Page reads kept in memory per process (storefront/cache.py);
    # 0 turns the cache off.
    public_cache_entries: int = Field(default=2048, ge=0)
    # Tests and local receivers set this; production refuses loopback and private targets.
    webhooks_allow_private: bool = False
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=25)
    worker_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    # A product import's body is spooled to disk, so this bounds disk, not memory.
    import_max_bytes: int = Field(default=2 * 1024**3, ge=1024)
    # argon2id cost (RFC 9106 low-memory profile by default).
    password_time_cost: int = Field(default=3, ge=1)
    password_memory_kib: int = Field(default=65536, ge=8)
    # Signs the web session and CSRF cookies. Unset: a key generated once and kept in the
    # database, so every server process sharing it agrees.
    secret_key: str | None = Field(default=None, min_length=32)
    session_ttl_hours: int = Field(default=12, ge=1)
    # Failed logins allowed per (client, username) and per client; a `limits` storage URI:
    # memory:// counts per process, redis://… shares the count between processes.
    login_rate_limit: str = "5/minute"
    login_rate_limit_per_client: str = "30/minute"
    rate_limit_storage: str = "memory://"


@lru_cache
def get_settings() -> Settings:
    return Settings()
