"""Shared builders for the pure-rule tests: an eligible case by default, one field overridden."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from shoplink.policy.rules import LinkFacts, OtherLink, Violation

SHOP_ID = 1
OTHER_SHOP_ID = 2
REGION = "US"
ENTITY = "ENT-0001"
T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)

LINK_CODES = frozenset(
    {
        "OFFICIAL_ACCOUNT_EXISTS",
        "MARKETING_ACCOUNT_LIMIT",
        "MARKETING_NOT_OFFERED",
        "ROLE_CONFLICT",
        "ACCOUNT_ALREADY_LINKED",
        "REGION_MISMATCH",
        "ORG_ENTITY_MISMATCH",
        "ACCOUNT_KIND_NOT_ALLOWED",
        "ACCOUNT_INACTIVE",
        "SHOP_CLOSED",
        "RELINK_LIMIT",
        "PROBATION_ACTIVE",
    }
)
UNBIND_CODES = frozenset({"UNBIND_COOLDOWN", "UNBIND_LIMIT_REACHED", "UNBIND_NOT_ALLOWED"})

_ELIGIBLE = LinkFacts(
    role="official",
    shop_id=SHOP_ID,
    shop_open=True,
    shop_region=REGION,
    shop_in_probation=False,
    seller_entity_id=ENTITY,
    account_active=True,
    account_region=REGION,
    account_kind="personal",
    account_entity_id=None,
    official_taken=False,
    marketing_live=0,
    account_other_link=None,
    marketing_links_recent=0,
)


def facts(**overrides: Any) -> LinkFacts:
    """An eligible official-link request, with the given fields changed."""
    return replace(_ELIGIBLE, **overrides)


def elsewhere(role: str = "official") -> OtherLink:
    """The account's live link to another shop."""
    return OtherLink(shop_id=OTHER_SHOP_ID, role=role)


def here(role: str) -> OtherLink:
    """The account's live link to the same shop."""
    return OtherLink(shop_id=SHOP_ID, role=role)


def codes(violations: list[Violation]) -> list[str]:
    return [v.code for v in violations]


def arbitrary_facts() -> st.SearchStrategy[LinkFacts]:
    small = st.integers(min_value=-5, max_value=50)
    text = st.text(max_size=8)
    other = st.none() | st.builds(
        OtherLink, shop_id=st.integers(0, 3), role=st.sampled_from(["official", "marketing"])
    )
    return st.builds(
        LinkFacts,
        role=st.sampled_from(["official", "marketing"]) | text,
        shop_id=st.integers(0, 3),
        shop_open=st.booleans(),
        shop_region=st.sampled_from(["US", "CN", "GB"]) | text,
        shop_in_probation=st.booleans(),
        seller_entity_id=st.sampled_from([ENTITY, "ENT-9"]),
        account_active=st.booleans(),
        account_region=st.sampled_from(["US", "CN", "GB"]) | text,
        account_kind=st.sampled_from(["personal", "business", "creator", "organization"]) | text,
        account_entity_id=st.none() | st.sampled_from([ENTITY, "ENT-9"]),
        official_taken=st.booleans(),
        marketing_live=small,
        account_other_link=other,
        marketing_links_recent=small,
    )
