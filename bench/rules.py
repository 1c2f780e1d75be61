"""B6: µs per eligibility evaluation of the pure link rules (policy/rules.py), no database.

timeit-style: the best of several repeats of N calls of `link_violations(profile, facts)`,
for an eligible request and for one that breaks many rules at once, on both profiles.

    .venv/bin/python bench/rules.py [--quick]
"""

from __future__ import annotations

import argparse
import timeit
from dataclasses import replace
from typing import Any

from common import print_machine, write_result

from shoplink.policy import load_profile
from shoplink.policy.rules import LinkFacts, OtherLink, link_violations

TARGET_US = 20.0

ELIGIBLE = LinkFacts(
    role="marketing",
    shop_id=1,
    shop_open=True,
    shop_region="US",
    shop_in_probation=False,
    seller_entity_id="ENT-1",
    account_active=True,
    account_region="US",
    account_kind="personal",
    account_entity_id=None,
    official_taken=True,
    marketing_live=2,
    account_other_link=None,
    marketing_links_recent=3,
)
REFUSED = replace(
    ELIGIBLE,
    shop_open=False,
    account_active=False,
    account_region="GB",
    account_kind="organization",
    account_entity_id="ENT-2",
    marketing_live=4,
    shop_in_probation=True,
    account_other_link=OtherLink(shop_id=9, role="official"),
    marketing_links_recent=10,
)


def measure(number: int, repeat: int) -> dict[str, Any]:
    cases: dict[str, float] = {}
    for name in ("tiktok_shop", "douyin"):
        profile = load_profile(name)
        for label, facts in (
            ("eligible", ELIGIBLE),
            ("official", replace(ELIGIBLE, role="official", official_taken=False)),
            ("refused", REFUSED),
        ):
            best = min(
                timeit.repeat(
                    lambda p=profile, f=facts: link_violations(p, f), number=number, repeat=repeat
                )
            )
            cases[f"{name}/{label}"] = best / number * 1e6
    return cases


def floor(number: int, repeat: int) -> float:
    """The baseline: a Python call with the same arguments that returns an empty list."""

    def nothing(profile: Any, facts: LinkFacts) -> list[Any]:
        return []

    profile = load_profile("tiktok_shop")
    best = min(timeit.repeat(lambda: nothing(profile, ELIGIBLE), number=number, repeat=repeat))
    return best / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    info = print_machine("B6 rules")
    number, repeat = (2_000, 3) if args.quick else (50_000, 5)
    cases = measure(number, repeat)
    worst = max(cases.values())
    call_us = floor(number, repeat)
    for case, us in cases.items():
        print(f"  {case:<22} {us:6.2f} µs per evaluation")
    print(f"  baseline: an empty Python call with the same arguments {call_us:.2f} µs")
    print(f"  worst {worst:.2f} µs (target <= {TARGET_US:.0f} µs)")
    write_result(
        "b6_rules",
        {
            "machine": info,
            "quick": args.quick,
            "number": number,
            "repeat": repeat,
            "us_per_eval": cases,
            "worst_us": worst,
            "baseline_call_us": call_us,
            "target_us": TARGET_US,
        },
    )


if __name__ == "__main__":
    main()
