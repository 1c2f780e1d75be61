"""Commerce rules as pure functions: showcases, the Shop Page's door, deposits, migration."""

from __future__ import annotations

from dataclasses import dataclass

from shoplink.policy.profile import Profile
from shoplink.policy.rules import Violation
from shoplink.policy.texts import N_


@dataclass(frozen=True, slots=True)
class ShowcaseFacts:
    account_active: bool
    account_region: str
    # The account's active link, if any: where it is official or marketing.
    link_role: str | None
    link_shop_id: int | None
    link_shop_in_probation: bool
    product_shop_id: int
    product_shop_region: str
    product_on_sale: bool  # active product of an open shop
    product_open_to_affiliates: bool
    deposit_paid: bool


def showcase_violations(profile: Profile, facts: ShowcaseFacts) -> list[Violation]:
    """May this account show this product in its showcase? Every violation, most specific first."""
    found: list[Violation] = []
    if not facts.account_active:
        found.append(
            Violation(
                "ACCOUNT_INACTIVE", N_("The account is deleted."), N_("Use an active account.")
            )
        )
    if not facts.product_on_sale:
        found.append(
            Violation(
                "INVALID_STATE",
                N_("The product is not on sale (draft, archived, or its shop is closed)."),
                N_("Choose an active product."),
            )
        )
    own = facts.link_shop_id is not None and facts.link_shop_id == facts.product_shop_id
    if facts.link_role == "official":
        found += _official_violations(profile, facts, own=own)
    if not own:
        found += _affiliate_violations(profile, facts)
    return found


def _official_violations(profile: Profile, facts: ShowcaseFacts, *, own: bool) -> list[Violation]:
    if own:
        return [
            Violation(
                "OFFICIAL_USES_SHOP_PAGE",
                N_(
                    "The official account shows the shop's products on its Shop Page automatically."
                ),
                N_("Set the product active; it appears on the Shop Page at once."),
            )
        ]
    mode = profile.commerce.official_affiliate
    if mode == "never":
        return [
            Violation(
                "OFFICIAL_NO_AFFILIATE",
                N_("An official account cannot promote other shops' products."),
                N_("Promote affiliate products from a marketing or creator account."),
            )
        ]
    if mode == "after_probation" and facts.link_shop_in_probation:
        return [
            Violation(
                "PROBATION_ACTIVE",
                N_("Alliance products are not available while the shop is on probation."),
                N_("Wait until the probation period ends or a reviewer ends it."),
            )
        ]
    return []


def _affiliate_violations(profile: Profile, facts: ShowcaseFacts) -> list[Violation]:
    found = []
    if not facts.product_open_to_affiliates:
        found.append(
            Violation(
                "PRODUCT_NOT_OPEN_TO_AFFILIATES",
                N_("The product has no affiliate commission rate."),
                N_("Choose a product that is open to affiliates."),
            )
        )
    if (
        profile.regions.account_must_match_shop
        and facts.account_region != facts.product_shop_region
    ):
        found.append(
            Violation(
                "REGION_MISMATCH",
                N_(
                    "The account's region (%(account_region)s) is not the product's shop"
                    " region (%(shop_region)s)."
                ),
                N_("Promote products of shops in the account's region."),
                {"account_region": facts.account_region, "shop_region": facts.product_shop_region},
            )
        )
    if profile.commerce.creator_deposit_required and not facts.deposit_paid:
        found.append(deposit_required(profile))
    return found


def deposit_required(profile: Profile) -> Violation:
    knobs = profile.commerce
    return Violation(
        "DEPOSIT_REQUIRED",
        N_("Promoting products needs a creator deposit of %(amount)s %(currency)s."),
        N_("Pay the deposit with POST /shops/{id}/deposit (or /accounts/{id}/deposit)."),
        {"amount": knobs.creator_deposit_amount, "currency": knobs.deposit_currency},
    )


def deposit_settled(profile: Profile, *, paid_minor: int, required_minor: int) -> bool:
    return not profile.commerce.creator_deposit_required or paid_minor >= required_minor


def enter_store(profile: Profile, *, official_active: bool, deposit_paid: bool) -> bool:
    """The Enter Store button: an active official link, and on douyin a paid deposit."""
    return official_active and (deposit_paid or not profile.commerce.creator_deposit_required)


def deposit_violations(profile: Profile) -> list[Violation]:
    if profile.commerce.creator_deposit_required:
        return []
    return [
        Violation(
            "INVALID_STATE",
            N_("%(platform)s takes no creator deposit."),
            N_("Nothing to pay."),
            {"platform": profile.profile.title},
        )
    ]


def probation_complete_violations(*, in_probation: bool) -> list[Violation]:
    if in_probation:
        return []
    return [Violation("INVALID_STATE", N_("The shop is not on probation."), N_("Nothing to do."))]


@dataclass(frozen=True, slots=True)
class MigrationFacts:
    source_store_type: str
    target_store_type: str
    same_shop: bool
    target_open: bool


def migration_violations(profile: Profile, facts: MigrationFacts) -> list[Violation]:
    if profile.commerce.store_upgrade != "unsupported":
        return [
            Violation(
                "INVALID_STATE",
                N_("%(platform)s changes a store's type in place; nothing to migrate."),
                N_("Change the store type with PATCH /shops/{id}."),
                {"platform": profile.profile.title},
            )
        ]
    found = []
    if facts.same_shop or facts.source_store_type != "personal":
        found.append(
            Violation(
                "INVALID_STATE",
                N_("Only a personal store migrates, into another shop."),
                N_("Migrate from the personal store into a new business shop."),
            )
        )
    if facts.target_store_type != "business":
        found.append(
            Violation(
                "INVALID_STATE",
                N_("The target shop must be a business store."),
                N_("Open a business shop of the same owner and migrate into it."),
            )
        )
    if not facts.target_open:
        found.append(
            Violation("SHOP_CLOSED", N_("The target shop is closed."), N_("Choose an open shop."))
        )
    return found
