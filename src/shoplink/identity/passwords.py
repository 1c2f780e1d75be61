"""argon2id password hashing, off the event loop (argon2 releases the GIL in a thread).

Defaults are argon2-cffi's RFC 9106 low-memory profile; the cost is a setting so that test
suites, which create hundreds of users, can choose a cheaper one.
"""

from __future__ import annotations

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_dummy_hash: str | None = None


def configure(*, time_cost: int, memory_kib: int) -> None:
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
    _dummy_hash = None


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Verifies against a dummy hash when the user is unknown, so both paths take as long."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = await hash_password("shoplink-timing-equaliser")
    target = password_hash or _dummy_hash
    try:
        ok: bool = await anyio.to_thread.run_sync(_hasher.verify, target, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None
