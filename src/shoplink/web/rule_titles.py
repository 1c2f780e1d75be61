"""Short, translatable titles for the stable codes of SPEC §3, shown above a refusal's
message. `N_` marks them for translation; they are looked up at render time."""

from __future__ import annotations

from shoplink.policy.texts import N_

TITLES = {
    "OFFICIAL_ACCOUNT_EXISTS": N_("The shop already has an official account"),
    "MARKETING_ACCOUNT_LIMIT": N_("All marketing account slots are taken"),
    "MARKETING_NOT_OFFERED": N_("Marketing accounts are not offered"),
    "ROLE_CONFLICT": N_("The account already has the other role in this shop"),
    "ACCOUNT_ALREADY_LINKED": N_("The account is linked to another shop"),
    "REGION_MISMATCH": N_("The account's region differs from the shop's"),
    "ORG_ENTITY_MISMATCH": N_("The organization account belongs to another entity"),
    "ACCOUNT_KIND_NOT_ALLOWED": N_("This kind of account is not allowed here"),
    "ACCOUNT_INACTIVE": N_("The account is deleted"),
    "SHOP_CLOSED": N_("The shop is closed"),
    "UNBIND_COOLDOWN": N_("Unbinding is not possible yet"),
    "UNBIND_LIMIT_REACHED": N_("No official unbinds left"),
    "UNBIND_NOT_ALLOWED": N_("This platform has no manual unbind"),
    "NAME_LOCKED": N_("The name follows the shop"),
    "NAME_CHANGE_LIMIT": N_("Name change limit reached"),
    "RELINK_LIMIT": N_("The account was linked too often"),
    "INVALID_STATE": N_("Not possible in the request's current state"),
    "TERMS_NOT_ACCEPTED": N_("The agreement was not accepted"),
    "AUTHORIZATION_EXPIRED": N_("The request has expired"),
    "ACCOUNT_CONVERSION_UNSUPPORTED": N_("Accounts cannot be converted"),
    "STORE_UPGRADE_UNSUPPORTED": N_("The store type cannot be changed"),
    "DEPOSIT_REQUIRED": N_("The creator deposit is not paid"),
    "PROBATION_ACTIVE": N_("The shop is on probation"),
    "OFFICIAL_NO_AFFILIATE": N_("Official accounts cannot promote affiliate products"),
    "OFFICIAL_USES_SHOP_PAGE": N_("Official accounts use the Shop Page"),
    "PRODUCT_NOT_OPEN_TO_AFFILIATES": N_("The product is not open to affiliates"),
    "USERNAME_TAKEN": N_("That username is taken"),
    "SKU_TAKEN": N_("That SKU is taken"),
    "ALREADY_MEMBER": N_("Already a member"),
    "ALREADY_STAFF": N_("Already on the staff"),
    "VALIDATION_ERROR": N_("Some fields are not valid"),
    "NOT_FOUND": N_("Not found"),
    "FORBIDDEN": N_("Not allowed"),
    "UNAUTHENTICATED": N_("Please log in"),
    "RATE_LIMITED": N_("Too many requests"),
    "INTERNAL": N_("Something went wrong"),
}


def title_of(code: str) -> str:
    return TITLES.get(code, code.replace("_", " ").capitalize())
