"""The shipped profiles carry SPEC §1's values; a third can be dropped in; bad ones fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from shoplink.app import create_app
from shoplink.config import Settings
from shoplink.policy import Profile, ProfileError, load_profile
from shoplink.policy.profile import BUILTIN_DIR, available_profiles, load_profile_file
from shoplink.policy.rules import link_violations
from tests.policy.facts import codes, facts

TIKTOK_TOML = (BUILTIN_DIR / "tiktok_shop.toml").read_text(encoding="utf-8")
SHOPLINK = Path(sys.executable).with_name("shoplink")


def write_profile(
    directory: Path, name: str, edit: Callable[[str], str] = lambda text: text
) -> Path:
    """A copy of tiktok_shop.toml named `name`, passed through `edit`."""
    text = TIKTOK_TOML.replace('name = "tiktok_shop"', f'name = "{name}"')
    path = directory / f"{name}.toml"
    path.write_text(edit(text), encoding="utf-8")
    return path


def swap(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


# --- the shipped profiles -----------------------------------------------------------------------


def test_both_shipped_profiles_are_available() -> None:
    assert {"tiktok_shop", "douyin"} <= set(available_profiles())


@pytest.mark.parametrize("name", ["tiktok_shop", "douyin"])
def test_shipped_profile_loads_under_its_own_name(name: str) -> None:
    profile = load_profile(name)
    assert isinstance(profile, Profile)
    assert profile.name == name
    assert profile.profile.version >= 1
    assert profile.profile.title


def test_tiktok_shop_profile_has_the_spec_values() -> None:
    p = load_profile("tiktok_shop")
    assert p.profile.title == "TikTok Shop"
    # links
    assert p.links.official_per_shop == 1
    assert p.links.marketing_per_shop == 4
    assert p.links.manual_official_unbind is True
    assert p.links.unbind_cooldown_hours == 24
    assert p.links.official_unbinds_lifetime == 3
    assert p.links.authorization_ttl_hours == 48
    assert p.links.official_review == "manual"
    assert p.links.marketing_review == "none"
    assert p.links.marketing_relinks_max == 10
    assert p.links.marketing_relinks_window_days == 180
    assert p.links.marketing_during_probation is False
    # names: shop -> account, account rename refused, unlimited changes
    assert p.names.sync == "shop_to_account"
    assert p.names.max_changes_while_bound == 0
    # regions, organizations
    assert p.regions.account_must_match_shop is True
    assert p.organizations.offered is True
    assert p.organizations.conversion_allowed is False
    # commerce
    assert p.commerce.official_affiliate == "never"
    assert p.commerce.creator_deposit_required is False
    assert p.commerce.probation_days == 0
    assert p.commerce.store_upgrade == "not_applicable"


def test_douyin_profile_has_the_spec_values() -> None:
    p = load_profile("douyin")
    assert p.profile.title == "Douyin"
    # links
    assert p.links.official_per_shop == 1
    assert p.links.marketing_per_shop == 0
    assert p.links.manual_official_unbind is False
    assert p.links.authorization_ttl_hours == 48
    assert p.links.official_review == "manual"
    # names: both ways, at most 4 in any rolling 30 days
    assert p.names.sync == "both_ways"
    assert p.names.max_changes_while_bound == 4
    assert p.names.changes_window_days == 30
    # regions, organizations
    assert p.regions.account_must_match_shop is True
    assert p.organizations.offered is False
    assert p.organizations.conversion_allowed is False
    # commerce
    assert p.commerce.official_affiliate == "after_probation"
    assert p.commerce.creator_deposit_required is True
    assert p.commerce.creator_deposit_amount == Decimal("500.00")
    assert str(p.commerce.creator_deposit_amount) == "500.00"
    assert p.commerce.deposit_currency == "CNY"
    assert p.commerce.probation_days == 30
    assert p.commerce.store_upgrade == "unsupported"


def test_profiles_are_immutable() -> None:
    profile = load_profile("tiktok_shop")
    with pytest.raises(ValueError):
        profile.links.marketing_per_shop = 99  # type: ignore[misc]


# --- a third profile ----------------------------------------------------------------------------


def test_third_profile_dropped_into_a_directory_is_found(tmp_path: Path) -> None:
    write_profile(
        tmp_path, "third_market", swap("marketing_per_shop = 4", "marketing_per_shop = 2")
    )
    profile = load_profile("third_market", str(tmp_path))
    assert profile.name == "third_market"
    assert profile.links.marketing_per_shop == 2
    assert "third_market" in available_profiles(str(tmp_path))
    # its values drive the rules
    assert link_violations(profile, facts(role="marketing", marketing_live=1)) == []
    assert codes(link_violations(profile, facts(role="marketing", marketing_live=2))) == [
        "MARKETING_ACCOUNT_LIMIT"
    ]


def test_shipped_profiles_are_still_found_next_to_an_extra_directory(tmp_path: Path) -> None:
    assert load_profile("douyin", str(tmp_path)).name == "douyin"


def test_unknown_profile_name_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile("nope")
    message = str(caught.value)
    assert "nope.toml" in message
    assert "tiktok_shop" in message
    assert "douyin" in message


# --- bad profile files --------------------------------------------------------------------------

BAD_PROFILES = {
    "wrong_type_text_for_int": (
        swap("marketing_per_shop = 4", 'marketing_per_shop = "four"'),
        "links.marketing_per_shop",
        "integer",
    ),
    "wrong_type_quoted_int": (
        swap("marketing_per_shop = 4", 'marketing_per_shop = "4"'),
        "links.marketing_per_shop",
        "integer",
    ),
    "wrong_type_text_for_bool": (
        swap("manual_official_unbind = true", 'manual_official_unbind = "no"'),
        "links.manual_official_unbind",
        "boolean",
    ),
    "wrong_type_bool_for_int": (
        swap("official_per_shop = 1", "official_per_shop = true"),
        "links.official_per_shop",
        "integer",
    ),
    "wrong_type_table_for_value": (
        swap("[regions]\naccount_must_match_shop = true", "[regions.account_must_match_shop]"),
        "regions.account_must_match_shop",
        "boolean",
    ),
    "out_of_range": (
        swap("marketing_per_shop = 4", "marketing_per_shop = -1"),
        "links.marketing_per_shop",
        "greater than or equal to 0",
    ),
    "not_one_of_the_choices": (
        swap('sync = "shop_to_account"', 'sync = "sideways"'),
        "names.sync",
        "'shop_to_account' or 'both_ways'",
    ),
    "bad_currency": (
        swap('deposit_currency = "USD"', 'deposit_currency = "usd"'),
        "commerce.deposit_currency",
        "pattern",
    ),
    "bad_amount": (
        swap('creator_deposit_amount = "0.00"', 'creator_deposit_amount = "lots"'),
        "commerce.creator_deposit_amount",
        "decimal",
    ),
    "conversion_allowed": (
        swap("conversion_allowed = false", "conversion_allowed = true"),
        "organizations.conversion_allowed",
        "False",
    ),
    "unknown_key": (
        swap("marketing_per_shop = 4", "marketing_per_shop = 4\nmarketing_per_shopp = 5"),
        "links.marketing_per_shopp",
        "Extra inputs are not permitted",
    ),
    "unknown_section": (
        lambda text: text + "\n[extras]\nfoo = 1\n",
        "extras",
        "Extra inputs are not permitted",
    ),
    "missing_key": (
        swap("unbind_cooldown_hours = 24\n", ""),
        "links.unbind_cooldown_hours",
        "Field required",
    ),
    "missing_section": (
        swap("[regions]\naccount_must_match_shop = true\n", ""),
        "regions",
        "Field required",
    ),
    "bad_toml_value": (
        swap("marketing_per_shop = 4", "marketing_per_shop = four"),
        "links.marketing_per_shop",
        "invalid TOML",
    ),
    "bad_toml_unclosed_string": (
        swap('title = "TikTok Shop"', 'title = "TikTok Shop'),
        "profile.title",
        "invalid TOML",
    ),
    "bad_toml_duplicate_key": (
        swap("probation_days = 0", "probation_days = 0\nprobation_days = 1"),
        "commerce.probation_days",
        "invalid TOML",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PROFILES))
def test_bad_profile_file_names_the_file_the_key_and_the_fault(tmp_path: Path, case: str) -> None:
    edit, key, fault = BAD_PROFILES[case]
    path = write_profile(tmp_path, "bad_market", edit)
    with pytest.raises(ProfileError) as caught:
        load_profile("bad_market", str(tmp_path))
    message = str(caught.value)
    assert str(path) in message
    assert f"'{key}'" in message
    assert fault in message


def test_profile_whose_name_does_not_match_its_file_is_refused(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "third_market")
    path = path.rename(tmp_path / "fourth_market.toml")
    with pytest.raises(ProfileError) as caught:
        load_profile("fourth_market", str(tmp_path))
    message = str(caught.value)
    assert str(path) in message
    assert "'profile.name'" in message
    assert "must match the file name" in message


def test_profile_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary_market.toml"
    path.write_bytes(b"\xff\xfe[profile]\n")
    with pytest.raises(ProfileError) as caught:
        load_profile_file(path)
    assert str(path) in str(caught.value)


def test_bad_profile_in_the_extra_directory_shadows_the_shipped_one(tmp_path: Path) -> None:
    path = write_profile(
        tmp_path, "douyin", swap("marketing_per_shop = 4", "marketing_per_shop = -4")
    )
    with pytest.raises(ProfileError, match=r"links\.marketing_per_shop") as caught:
        load_profile("douyin", str(tmp_path))
    assert str(path) in str(caught.value)


# --- start-up fails on a bad profile ------------------------------------------------------------


def _cli(*args: str, profiles_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPLINK_")}
    env["SHOPLINK_PROFILES_DIR"] = str(profiles_dir)
    return subprocess.run(
        [str(SHOPLINK), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_cli_fails_at_start_up_on_a_bad_profile(tmp_path: Path) -> None:
    path = write_profile(
        tmp_path, "broken", swap("unbind_cooldown_hours = 24", 'unbind_cooldown_hours = "a day"')
    )
    result = _cli("policy", "show", "--platform", "broken", profiles_dir=tmp_path)
    assert result.returncode != 0
    assert str(path) in result.stderr
    assert "links.unbind_cooldown_hours" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_fails_at_start_up_on_a_profile_with_bad_toml(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "broken", swap("official_per_shop = 1", "official_per_shop ="))
    result = _cli("policy", "show", "--platform", "broken", profiles_dir=tmp_path)
    assert result.returncode != 0
    assert str(path) in result.stderr
    assert "links.official_per_shop" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_shows_a_third_profile_dropped_into_the_profiles_dir(tmp_path: Path) -> None:
    write_profile(tmp_path, "third_market")
    shown = _cli("policy", "show", "--platform", "third_market", profiles_dir=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert '"name": "third_market"' in shown.stdout
    listed = _cli("policy", "show", "--platform", "list", profiles_dir=tmp_path)
    assert listed.stdout.split() == sorted({"douyin", "third_market", "tiktok_shop"})


def test_create_app_refuses_an_unknown_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHOPLINK_PROFILES_DIR", raising=False)
    settings = Settings(platform="nope", database_url=f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ProfileError, match=r"nope\.toml"):
        create_app(settings)


def test_create_app_refuses_a_bad_profile_file(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "broken", swap("[links]", "[links]\nsurprise = 1"))
    settings = Settings(
        platform="broken",
        profiles_dir=str(tmp_path),
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
    )
    with pytest.raises(ProfileError) as caught:
        create_app(settings)
    assert str(path) in str(caught.value)
    assert "'links.surprise'" in str(caught.value)


def test_bad_toml_outside_any_key_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = write_profile(tmp_path, "bad_market", swap("[links]", "[links"))
    with pytest.raises(ProfileError) as caught:
        load_profile("bad_market", str(tmp_path))
    message = str(caught.value)
    assert str(path) in message
    assert "invalid TOML" in message
    assert "at line 7" in message
