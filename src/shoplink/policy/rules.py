"""Business rules as pure functions over plain values.

Each function returns *every* violation, so the eligibility endpoint can list them all and
the write paths raise the first. Nothing here knows about HTTP or SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shoplink.policy.profile import Profile


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    message: str
    next_action: str


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
            Violation("SHOP_CLOSED", "The shop is closed.", "Links can only be made to open shops.")
        )
    if not facts.account_active:
        found.append(
            Violation(
                "ACCOUNT_INACTIVE", "The account is deleted.", "Choose an account that exists."
            )
        )
    return found


def _region_violations(profile: Profile, facts: LinkFacts) -> list[Violation]:
    if profile.regions.account_must_match_shop and facts.account_region != facts.shop_region:
        return [
            Violation(
                "REGION_MISMATCH",
                f"The account is registered in {facts.account_region}, "
                f"the shop sells in {facts.shop_region}.",
                f"Choose an account registered in {facts.shop_region}.",
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
                f"{profile.profile.title} does not offer organization accounts.",
                "Link a personal, business or creator account instead.",
            )
        ]
    if facts.account_entity_id != facts.seller_entity_id:
        return [
            Violation(
                "ORG_ENTITY_MISMATCH",
                "The organization account belongs to another legal entity.",
                "Use an organization account of your own entity, or create one.",
            )
        ]
    return []


def _official_slot_violations(facts: LinkFacts) -> list[Violation]:
    if facts.official_taken:
        return [
            Violation(
                "OFFICIAL_ACCOUNT_EXISTS",
                "The shop already has an official account, bound or pending.",
                "Unbind the current official account or cancel the pending request first.",
            )
        ]
    return []


def _marketing_violations(profile: Profile, facts: LinkFacts) -> list[Violation]:
    knobs = profile.links
    if knobs.marketing_per_shop == 0:
        return [
            Violation(
                "MARKETING_NOT_OFFERED",
                f"{profile.profile.title} does not offer marketing accounts.",
                "Use the shop's official account.",
            )
        ]
    found = []
    if facts.marketing_live >= knobs.marketing_per_shop:
        found.append(
            Violation(
                "MARKETING_ACCOUNT_LIMIT",
                f"The shop already has {knobs.marketing_per_shop} marketing accounts,"
                " bound or pending.",
                "Remove a marketing account or cancel a pending request first.",
            )
        )
    if facts.shop_in_probation and not knobs.marketing_during_probation:
        found.append(
            Violation(
                "PROBATION_ACTIVE",
                "Marketing accounts are not available while the shop is on probation.",
                "Wait until the probation period ends.",
            )
        )
    if knobs.marketing_relinks_max and facts.marketing_links_recent >= knobs.marketing_relinks_max:
        found.append(
            Violation(
                "RELINK_LIMIT",
                f"The account was linked as a marketing account {facts.marketing_links_recent}"
                f" times in the last {knobs.marketing_relinks_window_days} days.",
                "Choose another account or wait until older links leave the window.",
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
                f"The account is already this shop's {other.role} account.",
                f"Unbind it as {other.role} account first.",
            )
        ]
    return [
        Violation(
            "ACCOUNT_ALREADY_LINKED",
            "The account is already linked, or pending, to a shop.",
            "The account's current link must end before it can be linked again.",
        )
    ]


def create_organization_violations(profile: Profile) -> list[Violation]:
    if profile.organizations.offered:
        return []
    return [
        Violation(
            "ACCOUNT_KIND_NOT_ALLOWED",
            f"{profile.profile.title} does not offer organization accounts.",
            "Link an existing account instead.",
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
                f"On {profile.profile.title} the official account cannot be unbound by hand.",
                "The binding ends only when the shop closes or the account is deleted.",
            )
        ]
    found = []
    possible_at = next_unbind_at(profile, bound_at)
    if now < possible_at:
        found.append(
            Violation(
                "UNBIND_COOLDOWN",
                f"An account can be unbound {knobs.unbind_cooldown_hours} h after binding.",
                f"Try again after {possible_at.isoformat()}.",
            )
        )
    if role == "official" and official_unbinds_used >= knobs.official_unbinds_lifetime:
        found.append(
            Violation(
                "UNBIND_LIMIT_REACHED",
                f"The shop has used all {knobs.official_unbinds_lifetime}"
                " official-account unbinds.",
                "Contact platform support.",
            )
        )
    return found


def _quota_violation(profile: Profile, changes_in_window: int) -> list[Violation]:
    limit = profile.names.max_changes_while_bound
    if limit and changes_in_window >= limit:
        return [
            Violation(
                "NAME_CHANGE_LIMIT",
                f"The name was changed {changes_in_window} times in the last "
                f"{profile.names.changes_window_days} days (at most {limit}).",
                "Wait until older changes leave the window.",
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
                "The official account's name follows the shop's name.",
                "Rename the shop instead; the account follows.",
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
            "A store's type cannot be changed.",
            "Open a business shop and migrate the catalog with POST /shops/{id}/migrate.",
        )
    ]


def conversion_violations(profile: Profile) -> list[Violation]:
    if profile.organizations.conversion_allowed:
        return []
    return [
        Violation(
            "ACCOUNT_CONVERSION_UNSUPPORTED",
            "An existing account cannot be converted into an organization account.",
            "Create a new organization account from the shop's Official Account page.",
        )
    ]


def is_expired(*, status: str, expires_at: datetime | None, now: datetime) -> bool:
    return status == "pending_authorization" and expires_at is not None and expires_at <= now


def in_probation(probation_ends_at: datetime | None, now: datetime) -> bool:
    return probation_ends_at is not None and now < probation_ends_at


def needs_review(profile: Profile, role: str) -> bool:
    mode = profile.links.official_review if role == "official" else profile.links.marketing_review
    return mode == "manual"
