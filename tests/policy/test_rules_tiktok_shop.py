"""The pure binding rules under the tiktok_shop profile (SPEC §1, §3). No database, no HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shoplink.policy import load_profile
from shoplink.policy.rules import (
    LinkFacts,
    Violation,
    account_rename_violations,
    conversion_violations,
    create_organization_violations,
    in_probation,
    is_expired,
    link_violations,
    needs_review,
    next_unbind_at,
    shop_rename_violations,
    store_type_violations,
    unbind_violations,
)
from tests.policy.facts import (
    ENTITY,
    LINK_CODES,
    T0,
    UNBIND_CODES,
    arbitrary_facts,
    codes,
    elsewhere,
    facts,
    here,
)

PROFILE = load_profile("tiktok_shop")
DAY = timedelta(hours=24)
SECOND = timedelta(seconds=1)


def marketing(**overrides: object) -> LinkFacts:
    return facts(role="marketing", **overrides)


def unbind(*, role: str = "official", after: timedelta = 2 * DAY, used: int = 0) -> list[Violation]:
    return unbind_violations(
        PROFILE, role=role, bound_at=T0, now=T0 + after, official_unbinds_used=used
    )


# --- link_violations: the eligible cases ------------------------------------------------------


def test_eligible_official_link_has_no_violations() -> None:
    assert link_violations(PROFILE, facts()) == []


def test_eligible_marketing_link_has_no_violations() -> None:
    assert link_violations(PROFILE, marketing()) == []


@pytest.mark.parametrize("kind", ["personal", "business", "creator"])
def test_every_non_organization_kind_may_be_linked(kind: str) -> None:
    assert link_violations(PROFILE, facts(account_kind=kind)) == []
    assert link_violations(PROFILE, marketing(account_kind=kind)) == []


# --- official slot ------------------------------------------------------------------------------


def test_second_official_account_is_refused_while_one_is_active_or_pending() -> None:
    assert codes(link_violations(PROFILE, facts(official_taken=True))) == [
        "OFFICIAL_ACCOUNT_EXISTS"
    ]


def test_taken_official_slot_does_not_block_a_marketing_account() -> None:
    assert link_violations(PROFILE, marketing(official_taken=True)) == []


# --- marketing slots, probation, relinks --------------------------------------------------------


def test_fourth_marketing_account_is_allowed() -> None:
    assert link_violations(PROFILE, marketing(marketing_live=3)) == []


def test_fifth_marketing_account_is_refused() -> None:
    found = link_violations(PROFILE, marketing(marketing_live=4))
    assert codes(found) == ["MARKETING_ACCOUNT_LIMIT"]
    assert "4" in found[0].message


def test_marketing_account_limit_does_not_apply_to_the_official_account() -> None:
    assert link_violations(PROFILE, facts(marketing_live=4)) == []


def test_marketing_account_during_probation_is_refused() -> None:
    assert codes(link_violations(PROFILE, marketing(shop_in_probation=True))) == [
        "PROBATION_ACTIVE"
    ]


def test_official_account_during_probation_is_allowed() -> None:
    assert link_violations(PROFILE, facts(shop_in_probation=True)) == []


def test_tenth_marketing_link_within_180_days_is_allowed() -> None:
    assert link_violations(PROFILE, marketing(marketing_links_recent=9)) == []


def test_eleventh_marketing_link_within_180_days_is_refused_as_relink_limit() -> None:
    found = link_violations(PROFILE, marketing(marketing_links_recent=10))
    assert codes(found) == ["RELINK_LIMIT"]
    assert "180 days" in found[0].message


def test_relink_limit_does_not_apply_to_the_official_role() -> None:
    assert link_violations(PROFILE, facts(marketing_links_recent=10)) == []


# --- the account's other live link --------------------------------------------------------------


def test_marketing_account_of_this_shop_cannot_also_be_its_official_account() -> None:
    found = link_violations(PROFILE, facts(account_other_link=here("marketing")))
    assert codes(found) == ["ROLE_CONFLICT"]


def test_official_account_of_this_shop_cannot_also_be_its_marketing_account() -> None:
    found = link_violations(PROFILE, marketing(account_other_link=here("official")))
    assert codes(found) == ["ROLE_CONFLICT"]


@pytest.mark.parametrize("role", ["official", "marketing"])
@pytest.mark.parametrize("other_role", ["official", "marketing"])
def test_account_linked_to_another_shop_is_refused(role: str, other_role: str) -> None:
    found = link_violations(PROFILE, facts(role=role, account_other_link=elsewhere(other_role)))
    assert codes(found) == ["ACCOUNT_ALREADY_LINKED"]


@pytest.mark.parametrize("role", ["official", "marketing"])
def test_account_already_linked_to_this_shop_in_the_same_role_is_refused(role: str) -> None:
    found = link_violations(PROFILE, facts(role=role, account_other_link=here(role)))
    assert codes(found) == ["ACCOUNT_ALREADY_LINKED"]


# --- region, kind, entity, state ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["official", "marketing"])
def test_account_from_another_region_is_refused_as_region_mismatch(role: str) -> None:
    found = link_violations(PROFILE, facts(role=role, account_region="GB"))
    assert codes(found) == ["REGION_MISMATCH"]
    assert "US" in found[0].next_action


def test_organization_account_of_the_sellers_entity_may_be_linked() -> None:
    assert (
        link_violations(PROFILE, facts(account_kind="organization", account_entity_id=ENTITY)) == []
    )


@pytest.mark.parametrize("entity", ["ENT-OTHER", None])
def test_organization_account_of_another_entity_is_refused_as_org_entity_mismatch(
    entity: str | None,
) -> None:
    found = link_violations(PROFILE, facts(account_kind="organization", account_entity_id=entity))
    assert codes(found) == ["ORG_ENTITY_MISMATCH"]


@pytest.mark.parametrize("role", ["official", "marketing"])
def test_deleted_account_is_refused_as_account_inactive(role: str) -> None:
    assert codes(link_violations(PROFILE, facts(role=role, account_active=False))) == [
        "ACCOUNT_INACTIVE"
    ]


@pytest.mark.parametrize("role", ["official", "marketing"])
def test_closed_shop_is_refused_as_shop_closed(role: str) -> None:
    assert codes(link_violations(PROFILE, facts(role=role, shop_open=False))) == ["SHOP_CLOSED"]


# --- every failing rule at once -----------------------------------------------------------------


def test_every_failing_rule_is_returned_at_once() -> None:
    found = link_violations(
        PROFILE, facts(shop_open=False, account_active=False, account_region="GB")
    )
    assert sorted(codes(found)) == ["ACCOUNT_INACTIVE", "REGION_MISMATCH", "SHOP_CLOSED"]


def test_a_marketing_request_failing_every_marketing_rule_lists_them_all() -> None:
    found = link_violations(
        PROFILE,
        marketing(
            shop_open=False,
            account_active=False,
            account_region="GB",
            account_kind="organization",
            account_entity_id="ENT-OTHER",
            marketing_live=4,
            shop_in_probation=True,
            marketing_links_recent=10,
            account_other_link=elsewhere(),
        ),
    )
    assert sorted(codes(found)) == sorted(
        [
            "SHOP_CLOSED",
            "ACCOUNT_INACTIVE",
            "REGION_MISMATCH",
            "ORG_ENTITY_MISMATCH",
            "MARKETING_ACCOUNT_LIMIT",
            "PROBATION_ACTIVE",
            "RELINK_LIMIT",
            "ACCOUNT_ALREADY_LINKED",
        ]
    )


# --- organization accounts ----------------------------------------------------------------------


def test_creating_an_organization_account_is_allowed() -> None:
    assert create_organization_violations(PROFILE) == []


def test_converting_an_existing_account_into_an_organization_account_is_refused() -> None:
    assert codes(conversion_violations(PROFILE)) == ["ACCOUNT_CONVERSION_UNSUPPORTED"]


# --- unbinding ----------------------------------------------------------------------------------


def test_unbind_exactly_24h_after_binding_is_allowed() -> None:
    assert unbind(after=DAY) == []


def test_unbind_one_second_before_24h_after_binding_is_refused_as_cooldown() -> None:
    assert codes(unbind(after=DAY - SECOND)) == ["UNBIND_COOLDOWN"]


def test_unbind_within_24h_of_binding_names_the_time_it_becomes_possible() -> None:
    (found,) = unbind(after=timedelta(hours=1))
    possible_at = T0 + DAY
    assert next_unbind_at(PROFILE, T0) == possible_at
    assert found.code == "UNBIND_COOLDOWN"
    assert possible_at.isoformat() in found.next_action


def test_unbind_cooldown_is_measured_from_bound_at_for_marketing_accounts_too() -> None:
    assert codes(unbind(role="marketing", after=DAY - SECOND)) == ["UNBIND_COOLDOWN"]
    assert unbind(role="marketing", after=DAY) == []


def test_third_official_unbind_is_allowed() -> None:
    assert unbind(used=2) == []


def test_fourth_official_unbind_is_refused_as_unbind_limit_reached() -> None:
    found = unbind(used=3)
    assert codes(found) == ["UNBIND_LIMIT_REACHED"]
    assert "3" in found[0].message


def test_unbind_limit_does_not_apply_to_marketing_accounts() -> None:
    assert unbind(role="marketing", used=3) == []


def test_unbind_within_cooldown_with_no_unbinds_left_returns_both_violations() -> None:
    assert sorted(codes(unbind(after=SECOND, used=3))) == [
        "UNBIND_COOLDOWN",
        "UNBIND_LIMIT_REACHED",
    ]


# --- names --------------------------------------------------------------------------------------


def test_renaming_the_bound_official_account_directly_is_refused_as_name_locked() -> None:
    found = account_rename_violations(PROFILE, bound_as_official=True, changes_in_window=0)
    assert codes(found) == ["NAME_LOCKED"]


def test_renaming_an_account_that_is_not_a_bound_official_account_is_allowed() -> None:
    assert account_rename_violations(PROFILE, bound_as_official=False, changes_in_window=99) == []


@pytest.mark.parametrize("changes", [0, 4, 5, 1000])
def test_shop_renames_are_unlimited(changes: int) -> None:
    assert shop_rename_violations(PROFILE, has_bound_official=True, changes_in_window=changes) == []


# --- store type ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "requested"), [("personal", "business"), ("business", "personal")]
)
def test_changing_the_store_type_is_not_refused(current: str, requested: str) -> None:
    assert store_type_violations(PROFILE, current=current, requested=requested) == []


# --- expiry, probation, review ------------------------------------------------------------------


def test_link_request_is_expired_exactly_48h_after_it_was_made() -> None:
    expires_at = T0 + timedelta(hours=PROFILE.links.authorization_ttl_hours)
    assert expires_at == T0 + 2 * DAY
    assert is_expired(status="pending_authorization", expires_at=expires_at, now=expires_at)


def test_link_request_is_not_expired_one_second_before_48h() -> None:
    expires_at = T0 + 2 * DAY
    assert not is_expired(
        status="pending_authorization", expires_at=expires_at, now=expires_at - SECOND
    )


@pytest.mark.parametrize(
    "status", ["pending_review", "active", "declined", "cancelled", "unbound", "expired"]
)
def test_only_a_request_awaiting_authorization_expires(status: str) -> None:
    assert not is_expired(status=status, expires_at=T0, now=T0 + 10 * DAY)


def test_request_without_an_expiry_time_never_expires() -> None:
    assert not is_expired(status="pending_authorization", expires_at=None, now=T0 + 999 * DAY)


def test_shop_with_default_zero_day_probation_is_never_in_probation() -> None:
    ends = T0 + timedelta(days=PROFILE.commerce.probation_days)
    assert not in_probation(ends, T0)
    assert not in_probation(None, T0)


def test_shop_is_in_probation_until_the_end_time() -> None:
    assert in_probation(T0 + SECOND, T0)
    assert not in_probation(T0, T0)


def test_official_link_needs_manual_review() -> None:
    assert needs_review(PROFILE, "official")


def test_marketing_link_needs_no_review() -> None:
    assert not needs_review(PROFILE, "marketing")


# --- every violation tells a person what to do --------------------------------------------------


def _every_violation() -> list[Violation]:
    return [
        *link_violations(
            PROFILE,
            marketing(
                shop_open=False,
                account_active=False,
                account_region="GB",
                account_kind="organization",
                account_entity_id="ENT-OTHER",
                marketing_live=4,
                shop_in_probation=True,
                marketing_links_recent=10,
                account_other_link=here("official"),
            ),
        ),
        *link_violations(PROFILE, facts(official_taken=True, account_other_link=elsewhere())),
        *unbind(after=SECOND, used=3),
        *account_rename_violations(PROFILE, bound_as_official=True, changes_in_window=0),
        *conversion_violations(PROFILE),
    ]


def test_every_violation_has_a_message_and_a_next_action() -> None:
    found = _every_violation()
    assert len({v.code for v in found}) == 14
    for violation in found:
        assert violation.message.strip(), violation
        assert violation.next_action.strip(), violation


# --- properties ---------------------------------------------------------------------------------


@given(arbitrary_facts())
def test_link_violations_never_raise_and_use_only_known_codes(link_facts: LinkFacts) -> None:
    found = link_violations(PROFILE, link_facts)
    assert {v.code for v in found} <= LINK_CODES
    assert len(found) == len({v.code for v in found})
    assert all(v.next_action for v in found)


@given(
    role=st.sampled_from(["official", "marketing"]),
    seconds=st.integers(min_value=-10 * 86400, max_value=10 * 86400),
    used=st.integers(min_value=0, max_value=10),
)
def test_unbind_is_refused_exactly_when_in_cooldown_or_out_of_unbinds(
    role: str, seconds: int, used: int
) -> None:
    found = codes(unbind(role=role, after=timedelta(seconds=seconds), used=used))
    assert set(found) <= UNBIND_CODES
    assert ("UNBIND_COOLDOWN" in found) == (seconds < 24 * 3600)
    assert ("UNBIND_LIMIT_REACHED" in found) == (role == "official" and used >= 3)
    assert "UNBIND_NOT_ALLOWED" not in found
