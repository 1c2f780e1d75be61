"""Business rules as pure functions over plain values.

Each function returns *every* violation, so the eligibility endpoint can list them all and
the write paths raise the first. Nothing here knows about HTTP or SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shoplink.policy.profile import Profile
from shoplink.policy.texts import N_, fill


@dataclass(frozen=True, slots=True)
class Violation:
    """A refused rule. Its texts are %(name)s templates filled from `params`, so the API can
    answer in English and a page in the reader's language from the same violation."""

    code: str
    message_template: str
    next_action_template: str
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def message(self) -> str:
        return fill(self.message_template, self.params)

    @property
    def next_action(self) -> str:
        return fill(self.next_action_template, self.params)


@dataclass(frozen=True, slots=True)
class OtherLink:
    """Another live (pending or active) link of the account being linked."""

    shop_id: int
    role: str


@dataclass(frozen=True, slots=True)
class LinkFacts:
    role: str
    shop_id: int
    shop_open: bool
    shop_region: str
    shop_in_probation: bool
    seller_entity_id: str
    account_active: bool
    account_region: str
    account_kind: str
    account_entity_id: str | None
    official_taken: bool
    marketing_live: int
    account_other_link: OtherLink | None
    marketing_links_recent: int


def link_violations(profile: Profile, facts: LinkFacts) -> list[Violation]:
    """May this account be linked to this shop in this role (slots held by itself excluded)?"""
    found: list[Violation] = []
    found += _state_violations(facts)
    found += _region_violations(profile, facts)
    found += _kind_violations(profile, facts)
    if facts.role == "official":
        found += _official_slot_violations(facts)
    else:
        found += _marketing_violations(profile, facts)
    found += _account_busy_violations(facts)
    return found


def _state_violations(facts: LinkFacts) -> list[Violation]:
    found = []
    if not facts.shop_open:
        found.append(
            Violation(
                "SHOP_CLOSED",
                N_("The shop is closed."),
                N_("Links can only be made to open shops."),
            )
        )
    if not facts.account_active:
        found.append(
            Violation(
                "ACCOUNT_INACTIVE",
                N_("The account is deleted."),
                N_("Choose an account that exists."),
            )
        )
    return found


def _region_violations(profile: Profile, facts: LinkFacts) -> list[Violation]:
    if profile.regions.account_must_match_shop and facts.account_region != facts.shop_region:
        return [
            Violation(
                "REGION_MISMATCH",
                N_(
                    "The account is registered in %(account_region)s,"
                    " the shop sells in %(shop_region)s."
                ),
                N_("Choose an account registered in %(shop_region)s."),
                {"account_region": facts.account_region, "shop_region": facts.shop_region},
            )
        ]
    return []


def _kind_violations(profile: Profile, facts: LinkFacts) -> list[Violation]:
    if facts.account_kind != "organization":
        return []
    if not profile.organizations.offered:
        return [
            Violation(
                "ACCOUNT_KIND_NOT_ALLOWED",
                N_("%(platform)s does not offer organization accounts."),
                N_("Link a personal, business or creator account instead."),
                {"platform": profile.profile.title},
            )
        ]
    if facts.account_entity_id != facts.seller_entity_id:
        return [
            Violation(
                "ORG_ENTITY_MISMATCH",
                N_("The organization account belongs to another legal entity."),
                N_("Use an organization account of your own entity, or create one."),
            )
        ]
    return []


def _official_slot_violations(facts: LinkFacts) -> list[Violation]:
    if facts.official_taken:
        return [
            Violation(
                "OFFICIAL_ACCOUNT_EXISTS",
                N_("The shop already has an official account, bound or pending."),
                N_("Unbind the current official account or cancel the pending request first."),
            )
        ]
    return []


def _marketing_violations(profile: Profile, facts: LinkFacts) -> list[Violation]:
    knobs = profile.links
    if knobs.marketing_per_shop == 0:
        return [
            Violation(
                "MARKETING_NOT_OFFERED",
                N_("%(platform)s does not offer marketing accounts."),
                N_("Use the shop's official account."),
                {"platform": profile.profile.title},
            )
        ]
    found = []
    if facts.marketing_live >= knobs.marketing_per_shop:
        found.append(
            Violation(
                "MARKETING_ACCOUNT_LIMIT",
                N_("The shop already has %(max)s marketing accounts, bound or pending."),
                N_("Remove a marketing account or cancel a pending request first."),
                {"max": knobs.marketing_per_shop},
            )
        )
    if facts.shop_in_probation and not knobs.marketing_during_probation:
        found.append(
            Violation(
                "PROBATION_ACTIVE",
                N_("Marketing accounts are not available while the shop is on probation."),
                N_("Wait until the probation period ends."),
            )
        )
    if knobs.marketing_relinks_max and facts.marketing_links_recent >= knobs.marketing_relinks_max:
        found.append(
            Violation(
                "RELINK_LIMIT",
                N_(
                    "The account was linked as a marketing account %(count)s times"
                    " in the last %(days)s days."
                ),
                N_("Choose another account or wait until older links leave the window."),
                {
                    "count": facts.marketing_links_recent,
                    "days": knobs.marketing_relinks_window_days,
                },
            )
        )
    return found


def _account_busy_violations(facts: LinkFacts) -> list[Violation]:
    other = facts.account_other_link
    if other is None:
        return []
    if other.shop_id == facts.shop_id and other.role != facts.role:
        return [
            Violation(
                "ROLE_CONFLICT",
                N_("The account is already this shop's %(role)s account."),
                N_("Unbind it as %(role)s account first."),
                {"role": other.role},
            )
        ]
    return [
        Violation(
            "ACCOUNT_ALREADY_LINKED",
            N_("The account is already linked, or pending, to a shop."),
            N_("The account's current link must end before it can be linked again."),
        )
    ]


def create_organization_violations(profile: Profile) -> list[Violation]:
    if profile.organizations.offered:
        return []
    return [
        Violation(
            "ACCOUNT_KIND_NOT_ALLOWED",
            N_("%(platform)s does not offer organization accounts."),
            N_("Link an existing account instead."),
            {"platform": profile.profile.title},
        )
    ]


def next_unbind_at(profile: Profile, bound_at: datetime) -> datetime:
    return bound_at + timedelta(hours=profile.links.unbind_cooldown_hours)


def unbind_violations(
    profile: Profile, *, role: str, bound_at: datetime, now: datetime, official_unbinds_used: int
) -> list[Violation]:
    knobs = profile.links
    if role == "official" and not knobs.manual_official_unbind:
        return [
            Violation(
                "UNBIND_NOT_ALLOWED",
                N_("On %(platform)s the official account cannot be unbound by hand."),
                N_("The binding ends only when the shop closes or the account is deleted."),
                {"platform": profile.profile.title},
            )
        ]
    found = []
    possible_at = next_unbind_at(profile, bound_at)
    if now < possible_at:
        found.append(
            Violation(
                "UNBIND_COOLDOWN",
                N_("An account can be unbound %(hours)s h after binding."),
                N_("Try again after %(possible_at)s."),
                {"hours": knobs.unbind_cooldown_hours, "possible_at": possible_at},
            )
        )
    if role == "official" and official_unbinds_used >= knobs.official_unbinds_lifetime:
        found.append(
            Violation(
                "UNBIND_LIMIT_REACHED",
                N_("The shop has used all %(max)s official-account unbinds."),
                N_("Contact platform support."),
                {"max": knobs.official_unbinds_lifetime},
            )
        )
    return found


def _quota_violation(profile: Profile, changes_in_window: int) -> list[Violation]:
    limit = profile.names.max_changes_while_bound
    if limit and changes_in_window >= limit:
        return [
            Violation(
                "NAME_CHANGE_LIMIT",
                N_(
                    "The name was changed %(count)s times in the last %(days)s days"
                    " (at most %(max)s)."
                ),
                N_("Wait until older changes leave the window."),
                {
                    "count": changes_in_window,
                    "days": profile.names.changes_window_days,
                    "max": limit,
                },
            )
        ]
    return []


def account_rename_violations(
    profile: Profile, *, bound_as_official: bool, changes_in_window: int
) -> list[Violation]:
    if not bound_as_official:
        return []
    if profile.names.sync == "shop_to_account":
        return [
            Violation(
                "NAME_LOCKED",
                N_("The official account's name follows the shop's name."),
                N_("Rename the shop instead; the account follows."),
            )
        ]
    return _quota_violation(profile, changes_in_window)


def shop_rename_violations(
    profile: Profile, *, has_bound_official: bool, changes_in_window: int
) -> list[Violation]:
    return _quota_violation(profile, changes_in_window) if has_bound_official else []


def store_type_violations(profile: Profile, *, current: str, requested: str) -> list[Violation]:
    if current == requested or profile.commerce.store_upgrade != "unsupported":
        return []
    return [
        Violation(
            "STORE_UPGRADE_UNSUPPORTED",
            N_("A store's type cannot be changed."),
            N_("Open a business shop and migrate the catalog with POST /shops/{id}/migrate."),
        )
    ]


def conversion_violations(profile: Profile) -> list[Violation]:
    if profile.organizations.conversion_allowed:
        return []
    return [
        Violation(
            "ACCOUNT_CONVERSION_UNSUPPORTED",
            N_("An existing account cannot be converted into an organization account."),
            N_("Create a new organization account from the shop's Official Account page."),
        )
    ]


def is_expired(*, status: str, expires_at: datetime | None, now: datetime) -> bool:
    return status == "pending_authorization" and expires_at is not None and expires_at <= now


def in_probation(probation_ends_at: datetime | None, now: datetime) -> bool:
    return probation_ends_at is not None and now < probation_ends_at


def needs_review(profile: Profile, role: str) -> bool:
    mode = profile.links.official_review if role == "official" else profile.links.marketing_review
    return mode == "manual"
