"""Commerce rules (policy.commerce) under both profiles: showcases, the Enter Store button,
deposits, probation and migration (SPEC §1 to §3). No database, no HTTP."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shoplink.policy import Profile, load_profile
from shoplink.policy.commerce import (
    MigrationFacts,
    ShowcaseFacts,
    deposit_settled,
    deposit_violations,
    enter_store,
    migration_violations,
    probation_complete_violations,
    showcase_violations,
)
from tests.policy.facts import OTHER_SHOP_ID, REGION, SHOP_ID, codes

TIKTOK = load_profile("tiktok_shop")
DOUYIN = load_profile("douyin")
PROFILES = pytest.mark.parametrize("profile", [TIKTOK, DOUYIN], ids=["tiktok_shop", "douyin"])
SHOWCASE_CODES = frozenset(
    {
        "ACCOUNT_INACTIVE",
        "INVALID_STATE",
        "OFFICIAL_USES_SHOP_PAGE",
        "OFFICIAL_NO_AFFILIATE",
        "PROBATION_ACTIVE",
        "PRODUCT_NOT_OPEN_TO_AFFILIATES",
        "REGION_MISMATCH",
        "DEPOSIT_REQUIRED",
    }
)
AFFILIATE_CODES = frozenset(
    {"PRODUCT_NOT_OPEN_TO_AFFILIATES", "REGION_MISMATCH", "DEPOSIT_REQUIRED"}
)

# An unlinked creator promoting another shop's product that is on sale, open to affiliates, in
# the creator's region, with the deposit paid: allowed on both platforms.
_CREATOR = ShowcaseFacts(
    account_active=True,
    account_region=REGION,
    link_role=None,
    link_shop_id=None,
    link_shop_in_probation=False,
    product_shop_id=OTHER_SHOP_ID,
    product_shop_region=REGION,
    product_on_sale=True,
    product_open_to_affiliates=True,
    deposit_paid=True,
)


def creator(**overrides: Any) -> ShowcaseFacts:
    return replace(_CREATOR, **overrides)


def official(*, own: bool, **overrides: Any) -> ShowcaseFacts:
    """The official account of SHOP_ID, with a product of its own shop or another's."""
    return creator(
        link_role="official",
        link_shop_id=SHOP_ID,
        product_shop_id=SHOP_ID if own else OTHER_SHOP_ID,
        **overrides,
    )


def marketing(*, own: bool, **overrides: Any) -> ShowcaseFacts:
    return creator(
        link_role="marketing",
        link_shop_id=SHOP_ID,
        product_shop_id=SHOP_ID if own else OTHER_SHOP_ID,
        **overrides,
    )


def showcase(profile: Profile, facts: ShowcaseFacts) -> list[str]:
    return codes(showcase_violations(profile, facts))


def with_commerce(profile: Profile, **knobs: Any) -> Profile:
    return profile.model_copy(update={"commerce": profile.commerce.model_copy(update=knobs)})


# --- the allowed cases --------------------------------------------------------------------------


@PROFILES
def test_creator_may_show_an_open_product_of_its_region(profile: Profile) -> None:
    assert showcase(profile, creator()) == []


def test_tiktok_shop_needs_no_deposit() -> None:
    assert showcase(TIKTOK, creator(deposit_paid=False)) == []


@PROFILES
def test_marketing_account_may_show_its_own_shops_product_without_commission(
    profile: Profile,
) -> None:
    facts = marketing(own=True, product_open_to_affiliates=False, deposit_paid=False)
    assert showcase(profile, facts) == []


@PROFILES
def test_own_shop_product_skips_the_affiliate_checks(profile: Profile) -> None:
    # Region and deposit belong to affiliate promotion, not to a shop's own accounts.
    facts = marketing(own=True, product_open_to_affiliates=False, account_region="GB")
    assert showcase(profile, facts) == []


def test_marketing_account_promoting_another_shop_is_an_affiliate() -> None:
    assert showcase(TIKTOK, marketing(own=False)) == []
    assert showcase(TIKTOK, marketing(own=False, product_open_to_affiliates=False)) == [
        "PRODUCT_NOT_OPEN_TO_AFFILIATES"
    ]


# --- the official account -----------------------------------------------------------------------


@PROFILES
@pytest.mark.parametrize("open_to_affiliates", [True, False])
def test_official_account_with_its_own_product_uses_the_shop_page(
    profile: Profile, open_to_affiliates: bool
) -> None:
    facts = official(own=True, product_open_to_affiliates=open_to_affiliates, deposit_paid=False)
    found = showcase_violations(profile, facts)
    assert codes(found) == ["OFFICIAL_USES_SHOP_PAGE"]
    assert "Shop Page" in found[0].message and found[0].next_action


@pytest.mark.parametrize("in_probation", [True, False])
def test_tiktok_official_account_never_promotes_another_shop(in_probation: bool) -> None:
    found = showcase_violations(TIKTOK, official(own=False, link_shop_in_probation=in_probation))
    assert codes(found) == ["OFFICIAL_NO_AFFILIATE"]
    assert found[0].next_action


def test_tiktok_official_account_gets_the_affiliate_violations_too() -> None:
    facts = official(own=False, product_open_to_affiliates=False, product_shop_region="GB")
    assert showcase(TIKTOK, facts) == [
        "OFFICIAL_NO_AFFILIATE",
        "PRODUCT_NOT_OPEN_TO_AFFILIATES",
        "REGION_MISMATCH",
    ]


def test_douyin_official_account_waits_for_the_end_of_probation() -> None:
    found = showcase_violations(DOUYIN, official(own=False, link_shop_in_probation=True))
    assert codes(found) == ["PROBATION_ACTIVE"]
    assert "probation" in found[0].message


def test_douyin_official_account_in_probation_without_deposit_hears_both() -> None:
    facts = official(own=False, link_shop_in_probation=True, deposit_paid=False)
    assert showcase(DOUYIN, facts) == ["PROBATION_ACTIVE", "DEPOSIT_REQUIRED"]


def test_douyin_official_account_after_probation_shows_alliance_products() -> None:
    assert showcase(DOUYIN, official(own=False, link_shop_in_probation=False)) == []


def test_douyin_official_account_after_probation_is_an_affiliate_like_any_other() -> None:
    assert showcase(DOUYIN, official(own=False, deposit_paid=False)) == ["DEPOSIT_REQUIRED"]
    assert showcase(DOUYIN, official(own=False, product_open_to_affiliates=False)) == [
        "PRODUCT_NOT_OPEN_TO_AFFILIATES"
    ]
    assert showcase(DOUYIN, official(own=False, account_region="GB")) == ["REGION_MISMATCH"]


def test_a_profile_where_officials_always_promote_skips_only_the_probation() -> None:
    always = with_commerce(TIKTOK, official_affiliate="always")
    assert showcase(always, official(own=False, link_shop_in_probation=True)) == []
    assert showcase(always, official(own=True)) == ["OFFICIAL_USES_SHOP_PAGE"]


# --- affiliate checks ---------------------------------------------------------------------------


@PROFILES
def test_product_without_commission_is_not_open_to_affiliates(profile: Profile) -> None:
    found = showcase_violations(profile, creator(product_open_to_affiliates=False))
    assert codes(found) == ["PRODUCT_NOT_OPEN_TO_AFFILIATES"]


@PROFILES
def test_account_must_be_in_the_products_shop_region(profile: Profile) -> None:
    found = showcase_violations(profile, creator(account_region="CN", product_shop_region="US"))
    assert codes(found) == ["REGION_MISMATCH"]
    assert "CN" in found[0].message and "US" in found[0].message


def test_region_rule_is_a_profile_knob() -> None:
    anywhere = TIKTOK.model_copy(
        update={"regions": TIKTOK.regions.model_copy(update={"account_must_match_shop": False})}
    )
    assert showcase(anywhere, creator(account_region="CN")) == []


def test_douyin_creator_without_deposit_is_refused() -> None:
    found = showcase_violations(DOUYIN, creator(deposit_paid=False))
    assert codes(found) == ["DEPOSIT_REQUIRED"]
    assert "500.00 CNY" in found[0].message
    assert "deposit" in found[0].next_action


# --- state of the account and the product -------------------------------------------------------


@PROFILES
def test_deleted_account_is_inactive(profile: Profile) -> None:
    found = showcase_violations(profile, creator(account_active=False))
    assert codes(found) == ["ACCOUNT_INACTIVE"]


@PROFILES
@pytest.mark.parametrize("facts_of", [creator, lambda **kw: marketing(own=True, **kw)])
def test_product_not_on_sale_is_invalid_state(profile: Profile, facts_of: Any) -> None:
    found = showcase_violations(profile, facts_of(product_on_sale=False))
    assert codes(found) == ["INVALID_STATE"]
    assert "not on sale" in found[0].message


def test_every_tiktok_violation_is_listed_most_specific_first() -> None:
    facts = official(
        own=False,
        account_active=False,
        product_on_sale=False,
        product_open_to_affiliates=False,
        account_region="GB",
        deposit_paid=False,
        link_shop_in_probation=True,
    )
    assert showcase(TIKTOK, facts) == [
        "ACCOUNT_INACTIVE",
        "INVALID_STATE",
        "OFFICIAL_NO_AFFILIATE",
        "PRODUCT_NOT_OPEN_TO_AFFILIATES",
        "REGION_MISMATCH",
    ]


def test_every_douyin_violation_is_listed_most_specific_first() -> None:
    facts = official(
        own=False,
        account_active=False,
        product_on_sale=False,
        product_open_to_affiliates=False,
        account_region="GB",
        deposit_paid=False,
        link_shop_in_probation=True,
    )
    assert showcase(DOUYIN, facts) == [
        "ACCOUNT_INACTIVE",
        "INVALID_STATE",
        "PROBATION_ACTIVE",
        "PRODUCT_NOT_OPEN_TO_AFFILIATES",
        "REGION_MISMATCH",
        "DEPOSIT_REQUIRED",
    ]


@PROFILES
def test_official_own_product_lists_state_violations_with_the_shop_page_one(
    profile: Profile,
) -> None:
    facts = official(own=True, account_active=False, product_on_sale=False)
    assert showcase(profile, facts) == [
        "ACCOUNT_INACTIVE",
        "INVALID_STATE",
        "OFFICIAL_USES_SHOP_PAGE",
    ]


# --- properties ---------------------------------------------------------------------------------

SHOWCASE_FACTS = st.builds(
    ShowcaseFacts,
    account_active=st.booleans(),
    account_region=st.sampled_from(["US", "CN", "GB"]),
    link_role=st.sampled_from([None, "official", "marketing"]),
    link_shop_id=st.sampled_from([None, SHOP_ID, OTHER_SHOP_ID]),
    link_shop_in_probation=st.booleans(),
    product_shop_id=st.sampled_from([SHOP_ID, OTHER_SHOP_ID, 3]),
    product_shop_region=st.sampled_from(["US", "CN", "GB"]),
    product_on_sale=st.booleans(),
    product_open_to_affiliates=st.booleans(),
    deposit_paid=st.booleans(),
)


@given(facts=SHOWCASE_FACTS, profile=st.sampled_from([TIKTOK, DOUYIN]))
def test_showcase_codes_follow_the_facts(facts: ShowcaseFacts, profile: Profile) -> None:
    found = showcase_violations(profile, facts)
    got = codes(found)
    assert set(got) <= SHOWCASE_CODES
    assert len(got) == len(set(got))
    assert all(v.message and v.next_action for v in found)
    own = facts.link_shop_id is not None and facts.link_shop_id == facts.product_shop_id
    assert ("ACCOUNT_INACTIVE" in got) == (not facts.account_active)
    assert ("INVALID_STATE" in got) == (not facts.product_on_sale)
    assert ("OFFICIAL_USES_SHOP_PAGE" in got) == (facts.link_role == "official" and own)
    if own:
        assert not AFFILIATE_CODES & set(got)
    else:
        assert ("PRODUCT_NOT_OPEN_TO_AFFILIATES" in got) == (not facts.product_open_to_affiliates)
        assert ("REGION_MISMATCH" in got) == (facts.account_region != facts.product_shop_region)
    if profile is TIKTOK:
        assert not {"DEPOSIT_REQUIRED", "PROBATION_ACTIVE"} & set(got)
        assert ("OFFICIAL_NO_AFFILIATE" in got) == (facts.link_role == "official" and not own)
    else:
        assert "OFFICIAL_NO_AFFILIATE" not in got
        assert ("DEPOSIT_REQUIRED" in got) == (not own and not facts.deposit_paid)
        assert ("PROBATION_ACTIVE" in got) == (
            facts.link_role == "official" and not own and facts.link_shop_in_probation
        )
    # A product its own marketing account may show, whatever its commission and the deposit.
    if facts.link_role == "marketing" and own and facts.account_active and facts.product_on_sale:
        assert got == []


# --- the Enter Store button ---------------------------------------------------------------------


@pytest.mark.parametrize("deposit_paid", [True, False])
def test_tiktok_enter_store_needs_only_an_active_official_account(deposit_paid: bool) -> None:
    assert enter_store(TIKTOK, official_active=True, deposit_paid=deposit_paid) is True
    assert enter_store(TIKTOK, official_active=False, deposit_paid=deposit_paid) is False


@pytest.mark.parametrize(
    ("official_active", "deposit_paid", "shown"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_douyin_enter_store_needs_the_deposit_too(
    official_active: bool, deposit_paid: bool, shown: bool
) -> None:
    assert enter_store(DOUYIN, official_active=official_active, deposit_paid=deposit_paid) is shown


# --- deposits and probation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid", "required", "settled"),
    [(0, 50000, False), (49999, 50000, False), (50000, 50000, True), (60000, 50000, True)],
)
def test_douyin_deposit_is_settled_once_the_amount_is_paid(
    paid: int, required: int, settled: bool
) -> None:
    assert deposit_settled(DOUYIN, paid_minor=paid, required_minor=required) is settled


@pytest.mark.parametrize("paid", [0, 1, 50000])
def test_tiktok_deposit_is_always_settled(paid: int) -> None:
    assert deposit_settled(TIKTOK, paid_minor=paid, required_minor=50000) is True


def test_douyin_takes_a_deposit() -> None:
    assert deposit_violations(DOUYIN) == []


def test_tiktok_takes_no_deposit() -> None:
    found = deposit_violations(TIKTOK)
    assert codes(found) == ["INVALID_STATE"]
    assert "TikTok Shop" in found[0].message


def test_probation_can_be_completed_only_during_probation() -> None:
    assert probation_complete_violations(in_probation=True) == []
    found = probation_complete_violations(in_probation=False)
    assert codes(found) == ["INVALID_STATE"]
    assert "not on probation" in found[0].message


# --- migration (douyin's personal → business store) ---------------------------------------------

_MIGRATION = MigrationFacts(
    source_store_type="personal", target_store_type="business", same_shop=False, target_open=True
)


def migration(profile: Profile, **overrides: Any) -> list[str]:
    return codes(migration_violations(profile, replace(_MIGRATION, **overrides)))


def test_douyin_migrates_a_personal_store_into_an_open_business_shop() -> None:
    assert migration(DOUYIN) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"same_shop": True},
        {"source_store_type": "business"},
        {"target_store_type": "personal"},
    ],
)
def test_douyin_migration_shape_is_checked(overrides: dict[str, Any]) -> None:
    assert migration(DOUYIN, **overrides) == ["INVALID_STATE"]


def test_douyin_migration_into_a_closed_shop_is_refused() -> None:
    assert migration(DOUYIN, target_open=False) == ["SHOP_CLOSED"]


def test_douyin_migration_lists_every_violation() -> None:
    found = migration_violations(
        DOUYIN,
        MigrationFacts(
            source_store_type="business",
            target_store_type="personal",
            same_shop=True,
            target_open=False,
        ),
    )
    assert codes(found) == ["INVALID_STATE", "INVALID_STATE", "SHOP_CLOSED"]
    assert "personal store" in found[0].message
    assert "business store" in found[1].message


@pytest.mark.parametrize("store_upgrade", ["not_applicable", "allowed"])
def test_profiles_without_store_migration_refuse_it(store_upgrade: str) -> None:
    profile = with_commerce(TIKTOK, store_upgrade=store_upgrade)
    for facts in (_MIGRATION, replace(_MIGRATION, target_open=False, same_shop=True)):
        found = migration_violations(profile, facts)
        assert codes(found) == ["INVALID_STATE"]
        assert "TikTok Shop" in found[0].message


def test_tiktok_shop_profile_has_no_migration() -> None:
    assert migration(TIKTOK) == ["INVALID_STATE"]
