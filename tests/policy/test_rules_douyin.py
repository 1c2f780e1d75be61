"""The pure binding rules under the douyin profile (SPEC §1, §3). No database, no HTTP."""

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
)

PROFILE = load_profile("douyin")
DAY = timedelta(hours=24)
SECOND = timedelta(seconds=1)
NAME_CODES = frozenset({"NAME_LOCKED", "NAME_CHANGE_LIMIT"})


def marketing(**overrides: object) -> LinkFacts:
    return facts(role="marketing", **overrides)


def unbind(*, role: str = "official", after: timedelta = 2 * DAY, used: int = 0) -> list[Violation]:
    return unbind_violations(
        PROFILE, role=role, bound_at=T0, now=T0 + after, official_unbinds_used=used
    )


# --- link_violations: the eligible case ---------------------------------------------------------


def test_eligible_official_link_has_no_violations() -> None:
    assert link_violations(PROFILE, facts()) == []


@pytest.mark.parametrize("kind", ["personal", "business", "creator"])
def test_every_non_organization_kind_may_be_the_official_account(kind: str) -> None:
    assert link_violations(PROFILE, facts(account_kind=kind)) == []


# --- official slot ------------------------------------------------------------------------------


def test_second_official_account_is_refused_while_one_is_active_or_pending() -> None:
    assert codes(link_violations(PROFILE, facts(official_taken=True))) == [
        "OFFICIAL_ACCOUNT_EXISTS"
    ]


# --- marketing accounts are not offered ---------------------------------------------------------


def test_marketing_account_is_refused_as_marketing_not_offered() -> None:
    found = link_violations(PROFILE, marketing())
    assert codes(found) == ["MARKETING_NOT_OFFERED"]
    assert "Douyin" in found[0].message


def test_marketing_not_offered_replaces_the_marketing_limits() -> None:
    found = link_violations(
        PROFILE, marketing(marketing_live=4, shop_in_probation=True, marketing_links_recent=10)
    )
    assert codes(found) == ["MARKETING_NOT_OFFERED"]


# --- account's other live link, region, kind, state ---------------------------------------------


@pytest.mark.parametrize("other_role", ["official", "marketing"])
def test_account_linked_to_another_shop_is_refused(other_role: str) -> None:
    found = link_violations(PROFILE, facts(account_other_link=elsewhere(other_role)))
    assert codes(found) == ["ACCOUNT_ALREADY_LINKED"]


def test_account_from_another_region_is_refused_as_region_mismatch() -> None:
    found = link_violations(PROFILE, facts(shop_region="CN", account_region="US"))
    assert codes(found) == ["REGION_MISMATCH"]
    assert "CN" in found[0].next_action


@pytest.mark.parametrize("entity", [ENTITY, "ENT-OTHER", None])
def test_organization_account_is_refused_as_account_kind_not_allowed(entity: str | None) -> None:
    found = link_violations(PROFILE, facts(account_kind="organization", account_entity_id=entity))
    assert codes(found) == ["ACCOUNT_KIND_NOT_ALLOWED"]


def test_deleted_account_is_refused_as_account_inactive() -> None:
    assert codes(link_violations(PROFILE, facts(account_active=False))) == ["ACCOUNT_INACTIVE"]


def test_closed_shop_is_refused_as_shop_closed() -> None:
    assert codes(link_violations(PROFILE, facts(shop_open=False))) == ["SHOP_CLOSED"]


def test_official_account_during_probation_is_allowed() -> None:
    assert link_violations(PROFILE, facts(shop_in_probation=True)) == []


def test_every_failing_rule_is_returned_at_once() -> None:
    found = link_violations(
        PROFILE, facts(shop_open=False, account_active=False, account_region="GB")
    )
    assert sorted(codes(found)) == ["ACCOUNT_INACTIVE", "REGION_MISMATCH", "SHOP_CLOSED"]


def test_an_official_request_failing_every_rule_lists_them_all() -> None:
    found = link_violations(
        PROFILE,
        facts(
            shop_open=False,
            account_active=False,
            account_region="GB",
            account_kind="organization",
            official_taken=True,
            account_other_link=elsewhere(),
        ),
    )
    assert sorted(codes(found)) == sorted(
        [
            "SHOP_CLOSED",
            "ACCOUNT_INACTIVE",
            "REGION_MISMATCH",
            "ACCOUNT_KIND_NOT_ALLOWED",
            "OFFICIAL_ACCOUNT_EXISTS",
            "ACCOUNT_ALREADY_LINKED",
        ]
    )


# --- organization accounts ----------------------------------------------------------------------


def test_creating_an_organization_account_is_refused_as_account_kind_not_allowed() -> None:
    assert codes(create_organization_violations(PROFILE)) == ["ACCOUNT_KIND_NOT_ALLOWED"]


def test_converting_an_existing_account_into_an_organization_account_is_refused() -> None:
    assert codes(conversion_violations(PROFILE)) == ["ACCOUNT_CONVERSION_UNSUPPORTED"]


# --- unbinding ----------------------------------------------------------------------------------


@pytest.mark.parametrize("after", [SECOND, DAY, 365 * DAY])
def test_official_account_cannot_be_unbound_by_hand_at_any_time(after: timedelta) -> None:
    found = unbind(after=after)
    assert codes(found) == ["UNBIND_NOT_ALLOWED"]
    assert "closes" in found[0].next_action


def test_unbind_not_allowed_is_the_only_reason_given_even_with_unbinds_used() -> None:
    assert codes(unbind(after=SECOND, used=3)) == ["UNBIND_NOT_ALLOWED"]


# --- names: both ways, at most 4 changes in 30 days ---------------------------------------------


@pytest.mark.parametrize("previous", [0, 1, 2, 3])
def test_first_four_account_renames_within_30_days_are_allowed(previous: int) -> None:
    assert (
        account_rename_violations(PROFILE, bound_as_official=True, changes_in_window=previous) == []
    )


def test_fifth_account_rename_within_30_days_is_refused_as_name_change_limit() -> None:
    found = account_rename_violations(PROFILE, bound_as_official=True, changes_in_window=4)
    assert codes(found) == ["NAME_CHANGE_LIMIT"]
    assert "30 days" in found[0].message


def test_bound_official_account_is_not_name_locked() -> None:
    assert "NAME_LOCKED" not in codes(
        account_rename_violations(PROFILE, bound_as_official=True, changes_in_window=9)
    )


@pytest.mark.parametrize("previous", [0, 3])
def test_first_four_shop_renames_within_30_days_are_allowed(previous: int) -> None:
    assert (
        shop_rename_violations(PROFILE, has_bound_official=True, changes_in_window=previous) == []
    )


def test_fifth_shop_rename_within_30_days_is_refused_as_name_change_limit() -> None:
    found = shop_rename_violations(PROFILE, has_bound_official=True, changes_in_window=4)
    assert codes(found) == ["NAME_CHANGE_LIMIT"]


def test_name_change_limit_applies_only_while_bound() -> None:
    assert account_rename_violations(PROFILE, bound_as_official=False, changes_in_window=9) == []
    assert shop_rename_violations(PROFILE, has_bound_official=False, changes_in_window=9) == []


# --- store type ---------------------------------------------------------------------------------


def test_personal_to_business_store_upgrade_is_refused() -> None:
    found = store_type_violations(PROFILE, current="personal", requested="business")
    assert codes(found) == ["STORE_UPGRADE_UNSUPPORTED"]
    assert "migrate" in found[0].next_action


@pytest.mark.parametrize("store_type", ["personal", "business"])
def test_keeping_the_store_type_is_not_an_upgrade(store_type: str) -> None:
    assert store_type_violations(PROFILE, current=store_type, requested=store_type) == []


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


def test_shop_is_in_probation_for_30_days() -> None:
    ends = T0 + timedelta(days=PROFILE.commerce.probation_days)
    assert ends == T0 + 30 * DAY
    assert in_probation(ends, T0)
    assert in_probation(ends, ends - SECOND)
    assert not in_probation(ends, ends)


def test_probation_ended_by_a_reviewer_is_over() -> None:
    assert not in_probation(None, T0)


def test_official_link_needs_manual_review() -> None:
    assert needs_review(PROFILE, "official")


def test_marketing_link_needs_no_review() -> None:
    assert not needs_review(PROFILE, "marketing")


# --- every violation tells a person what to do --------------------------------------------------


def test_every_violation_has_a_message_and_a_next_action() -> None:
    found = [
        *link_violations(
            PROFILE,
            facts(
                shop_open=False,
                account_active=False,
                account_region="GB",
                account_kind="organization",
                official_taken=True,
                account_other_link=elsewhere(),
            ),
        ),
        *link_violations(PROFILE, marketing()),
        *unbind(),
        *account_rename_violations(PROFILE, bound_as_official=True, changes_in_window=4),
        *store_type_violations(PROFILE, current="personal", requested="business"),
        *create_organization_violations(PROFILE),
        *conversion_violations(PROFILE),
    ]
    assert len({v.code for v in found}) == 11
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
    assert not {"MARKETING_ACCOUNT_LIMIT", "RELINK_LIMIT", "PROBATION_ACTIVE"} & {
        v.code for v in found
    }


@given(
    role=st.sampled_from(["official", "marketing"]),
    seconds=st.integers(min_value=0, max_value=10 * 86400),
    used=st.integers(min_value=0, max_value=10),
)
def test_official_unbind_is_always_refused_and_marketing_never(
    role: str, seconds: int, used: int
) -> None:
    found = codes(unbind(role=role, after=timedelta(seconds=seconds), used=used))
    assert set(found) <= UNBIND_CODES
    assert found == (["UNBIND_NOT_ALLOWED"] if role == "official" else [])


@given(
    bound=st.booleans(),
    previous=st.integers(min_value=0, max_value=100),
)
def test_renames_are_refused_exactly_from_the_fifth_change_while_bound(
    bound: bool, previous: int
) -> None:
    for found in (
        account_rename_violations(PROFILE, bound_as_official=bound, changes_in_window=previous),
        shop_rename_violations(PROFILE, has_bound_official=bound, changes_in_window=previous),
    ):
        assert {v.code for v in found} <= NAME_CODES
        assert bool(found) == (bound and previous >= 4)
