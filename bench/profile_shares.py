"""Where one binding step's CPU goes, from a py-spy recording of bench/profile_binding.py.

    .venv/bin/py-spy record -r 2000 -f raw -o approve.raw -- \\
        .venv/bin/python bench/profile_binding.py --no-profile --requests 600
    .venv/bin/python bench/profile_shares.py approve.raw approve

Each sample of the step (its stack passes through the step's function in
profile_binding.py) is counted once, in the first of these parts its stack reaches; the
README's before/after profile of approve is this table for two commits.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

# (part, a frame name that puts a sample in it), inside the app; the first that matches wins.
PARTS = (
    ("commit (held writes + COMMIT)", "AsyncSession.commit"),
    ("endpoint: locked read (ORM)", "_locked (shoplink/links/deciding.py"),
    ("endpoint: rule recheck (slot-holding links)", "_recheck (shoplink/links/deciding.py"),
    ("endpoint: rest (transition, events, presenter)", "run_endpoint_function"),
    ("FastAPI dependency solving (caller lookup included)", "solve_dependencies"),
    ("FastAPI routing", "_IncludedRouter.matches"),
    ("response serialization", "serialize_response"),
)


def part_of(stack: str) -> str:
    if "ASGITransport.handle_async_request" not in stack:
        return "test client (httpx, in-process)"
    if "TransactionMiddleware._attempt" not in stack:
        return "middleware (metrics, public cache, ASGI)"
    return next(
        (part for part, frame in PARTS if frame in stack),
        "other request handling (Starlette, FastAPI)",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw", help="py-spy's raw (collapsed stacks) output")
    parser.add_argument("step", choices=("request", "authorize", "approve"))
    args = parser.parse_args()
    step = re.compile(rf"(run\.<locals>\.)?{args.step} \(profile_binding\.py")
    shares: Counter[str] = Counter()
    with open(args.raw) as raw:
        for line in raw:
            stack, _, count = line.rstrip().rpartition(" ")
            if count.isdigit() and any(step.match(f.strip()) for f in stack.split(";")):
                shares[part_of(stack)] += int(count)
    total = sum(shares.values())
    for part, n in shares.most_common():
        print(f"{n / total * 100:5.1f} %  {part}")
    print(f"{total} samples")


if __name__ == "__main__":
    main()
