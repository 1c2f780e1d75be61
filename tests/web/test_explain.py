"""A refusal reads in the page's language: the rule's template is translated, then filled
with the same values the English API answer uses."""

from __future__ import annotations

from datetime import UTC, datetime

from shoplink.errors import RuleViolation, refuse_if_any
from shoplink.policy import load_profile
from shoplink.policy.rules import LinkFacts, link_violations, unbind_violations
from shoplink.web import i18n
from shoplink.web.templating import explain


def _facts(**changes: object) -> LinkFacts:
    values: dict[str, object] = {
        "role": "marketing",
        "shop_id": 1,
        "shop_open": True,
        "shop_region": "US",
        "shop_in_probation": False,
        "seller_entity_id": "E1",
        "account_active": True,
        "account_region": "GB",
        "account_kind": "personal",
        "account_entity_id": None,
        "official_taken": False,
        "marketing_live": 4,
        "account_other_link": None,
        "marketing_links_recent": 0,
    }
    values.update(changes)
    return LinkFacts(**values)  # type: ignore[arg-type]


def _refusal() -> RuleViolation:
    try:
        refuse_if_any(link_violations(load_profile("tiktok_shop"), _facts()))
    except RuleViolation as refused:
        return refused
    raise AssertionError("the rules should refuse")


def test_the_api_answer_stays_english_with_the_values_filled_in() -> None:
    refused = _refusal()
    assert refused.code == "REGION_MISMATCH"
    assert refused.message == "The account is registered in GB, the shop sells in US."
    assert refused.to_problem()["violations"][1]["code"] == "MARKETING_ACCOUNT_LIMIT"


def test_every_refusing_rule_is_explained_in_chinese() -> None:
    reasons = explain(i18n.translations("zh-Hans"), _refusal())
    assert [r["code"] for r in reasons] == ["REGION_MISMATCH", "MARKETING_ACCOUNT_LIMIT"]
    assert reasons[0]["title"] == "账号地区与店铺地区不一致"
    assert reasons[0]["message"] == "账号注册地区为 GB，店铺经营地区为 US。"
    assert reasons[0]["next_action"] == "请选择注册地区为 US 的账号。"
    assert reasons[1]["message"] == "店铺已有 4 个营销账号（已绑定或待处理）。"


def test_english_pages_show_the_api_texts() -> None:
    refused = _refusal()
    reasons = explain(i18n.translations("en"), refused)
    assert reasons[0]["message"] == refused.message
    assert reasons[0]["next_action"] == refused.next_action


def test_a_service_refusal_with_parameters_is_translated_too() -> None:
    refused = RuleViolation(
        "The shop already has a product with sku '%(sku)s'",
        code="SKU_TAKEN",
        next_action="Choose another sku, or update the existing product.",
        params={"sku": "A-1"},
    )
    assert refused.message == "The shop already has a product with sku 'A-1'"
    (reason,) = explain(i18n.translations("zh-Hans"), refused)
    assert reason["message"] == "店铺已有 SKU 为“A-1”的商品"


def test_times_are_iso_for_the_api_and_readable_on_a_page() -> None:
    bound = datetime(2026, 11, 24, 23, 50, 12, tzinfo=UTC)
    (cooldown,) = unbind_violations(
        load_profile("tiktok_shop"),
        role="marketing",
        bound_at=bound,
        now=bound,
        official_unbinds_used=0,
    )
    assert cooldown.next_action == "Try again after 2026-11-25T23:50:12+00:00."
    (reason,) = explain(i18n.translations("en"), cooldown)
    assert reason["next_action"] == "Try again after 2026-11-25 23:50 UTC."
