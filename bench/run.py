"""`make bench`: every benchmark, one after the other, then the summary table and chart.

Each benchmark runs in its own process and writes bench/results/<name>.json; a failing one
is reported and the others still run. Exit status 1 if any failed.

    .venv/bin/python bench/run.py [--quick] [--events N] [--import-lines N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from common import BENCH, RESULTS, print_machine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run for CI")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--import-lines", type=int, default=1_000_000)
    args = parser.parse_args()
    quick = ["--quick"] if args.quick else []
    print_machine("shoplink bench" + (" --quick" if args.quick else ""))
    RESULTS.mkdir(exist_ok=True)
    for old in RESULTS.glob("*.json"):
        old.unlink()
    runs = [
        ["rules.py", *quick],
        ["storefront.py", *quick],
        ["binding.py", *quick],
        ["catalog_import.py", "--lines", str(args.import_lines), *quick],
        ["outbox.py", "--events", str(args.events), *quick],
    ]
    failed = []
    started = time.perf_counter()
    for command in runs:
        began = time.perf_counter()
        print(f"\n=== {' '.join(command)}", flush=True)
        code = subprocess.run([sys.executable, str(BENCH / command[0]), *command[1:]]).returncode
        print(f"=== {command[0]}: {time.perf_counter() - began:.0f} s", flush=True)
        if code != 0:
            failed.append(command[0])
    print(f"\n=== all benchmarks: {time.perf_counter() - started:.0f} s\n", flush=True)
    subprocess.run([sys.executable, str(BENCH / "report.py")], check=True)
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
