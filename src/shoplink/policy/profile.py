"""Platform profiles: versioned TOML data files validated at start-up."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

BUILTIN_DIR = Path(__file__).parent / "profiles"


class _Section(BaseModel):
    # strict: a profile says 4 or true, never "4" or "no" (SPEC §1: a bad profile fails).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ProfileMeta(_Section):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    version: int = Field(ge=1)
    title: str


class LinkKnobs(_Section):
    official_per_shop: int = Field(ge=1)
    marketing_per_shop: int = Field(ge=0)
    manual_official_unbind: bool
    unbind_cooldown_hours: int = Field(ge=0)
    official_unbinds_lifetime: int = Field(ge=0)
    authorization_ttl_hours: int = Field(ge=1)
    official_review: Literal["manual", "none"]
    marketing_review: Literal["manual", "none"]
    marketing_relinks_max: int = Field(ge=0)
    marketing_relinks_window_days: int = Field(ge=0)
    marketing_during_probation: bool


class NameKnobs(_Section):
    sync: Literal["shop_to_account", "both_ways"]
    max_changes_while_bound: int = Field(ge=0)
    changes_window_days: int = Field(ge=1)


class RegionKnobs(_Section):
    account_must_match_shop: bool


class OrgKnobs(_Section):
    offered: bool
    # Neither platform converts an existing account; shoplink implements no conversion.
    conversion_allowed: Literal[False]


class CommerceKnobs(_Section):
    official_affiliate: Literal["never", "after_probation", "always"]
    creator_deposit_required: bool
    creator_deposit_amount: Decimal = Field(ge=0, strict=False)  # "500.00": TOML has no decimal
    deposit_currency: str = Field(pattern=r"^[A-Z]{3}$")
    probation_days: int = Field(ge=0)
    store_upgrade: Literal["allowed", "unsupported", "not_applicable"]


class Profile(_Section):
    profile: ProfileMeta
    links: LinkKnobs
    names: NameKnobs
    regions: RegionKnobs
    organizations: OrgKnobs
    commerce: CommerceKnobs

    @property
    def name(self) -> str:
        return self.profile.name


class ProfileError(Exception):
    """A profile file is missing or wrong; the message names the file, the key and the fault."""


def _search_dirs(extra_dir: str | None) -> list[Path]:
    return [Path(extra_dir), BUILTIN_DIR] if extra_dir else [BUILTIN_DIR]


def available_profiles(extra_dir: str | None = None) -> list[str]:
    names = {p.stem for d in _search_dirs(extra_dir) if d.is_dir() for p in d.glob("*.toml")}
    return sorted(names)


_TOML_POSITION = re.compile(r"at line (\d+), column \d+")
_TOML_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*=")


def _syntax_error_key(text: str, exc: tomllib.TOMLDecodeError) -> str | None:
    """The dotted key on the line a TOML syntax error points at, if that line has one."""
    position = _TOML_POSITION.search(str(exc))
    if not position:
        return None
    lines = text.split("\n")
    number = int(position.group(1))
    if number > len(lines) or not (found := _TOML_KEY.match(lines[number - 1])):
        return None
    table = ""
    for line in lines[: number - 1]:
        if header := _TOML_TABLE.match(line):
            table = header.group(1) + "."
    return table + found.group(1)


def load_profile_file(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read profile: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        key = _syntax_error_key(text, exc)
        where = f"key '{key}': " if key else ""
        raise ProfileError(f"{path}: {where}invalid TOML: {exc}") from exc
    try:
        loaded = Profile.model_validate(data)
    except ValidationError as exc:
        faults = "; ".join(
            f"key '{'.'.join(str(p) for p in err['loc'])}': {err['msg']}" for err in exc.errors()
        )
        raise ProfileError(f"{path}: {faults}") from exc
    if loaded.profile.name != path.stem:
        raise ProfileError(
            f"{path}: key 'profile.name': '{loaded.profile.name}' must match the file name"
        )
    return loaded


@lru_cache
def load_profile(name: str, extra_dir: str | None = None) -> Profile:
    for directory in _search_dirs(extra_dir):
        path = directory / f"{name}.toml"
        if path.is_file():
            return load_profile_file(path)
    known = ", ".join(available_profiles(extra_dir))
    raise ProfileError(f"{name}.toml: no such platform profile (known: {known})")
