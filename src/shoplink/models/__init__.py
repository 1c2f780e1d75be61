"""ORM models, one per file; importing this package registers them all on Base.metadata."""

from shoplink.models.account import Account, OrgMember
from shoplink.models.api_token import ApiToken
from shoplink.models.base import Base
from shoplink.models.clock_state import ClockState
from shoplink.models.deposit import Deposit
from shoplink.models.event import Event
from shoplink.models.idempotency_key import IdempotencyKey
from shoplink.models.link import LIVE_STATUSES, Link
from shoplink.models.name_change import NameChange
from shoplink.models.product import Product
from shoplink.models.seller import Seller, SellerStaff
from shoplink.models.shop import Shop
from shoplink.models.showcase import ShowcaseItem
from shoplink.models.user import User
from shoplink.models.web_session import InstanceSecret, WebSession
from shoplink.models.webhook import (
    OutboxMessage,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

__all__ = [
    "LIVE_STATUSES",
    "Account",
    "ApiToken",
    "Base",
    "ClockState",
    "Deposit",
    "Event",
    "IdempotencyKey",
    "InstanceSecret",
    "Link",
    "NameChange",
    "OrgMember",
    "OutboxMessage",
    "Product",
    "Seller",
    "SellerStaff",
    "Shop",
    "ShowcaseItem",
    "User",
    "WebSession",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
