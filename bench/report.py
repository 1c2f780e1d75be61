"""The summary of a bench run: bench/results/summary.md, summary.json and chart.png.

Reads the JSON each benchmark wrote to bench/results/ and puts every figure beside its
same-run baseline, the ratio, the target and whether it is met.

    .venv/bin/python bench/report.py
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from common import RESULTS


@dataclass
class Row:
    id: str
    figure: str
    measured: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None
    score: float | None  # >= 1 means the target is met (for the chart)


def read(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def b1_rows(data: dict[str, Any]) -> list[Row]:
    rows = []
    for backend in ("sqlite", "postgresql"):
        if backend not in data:
            continue
        b1 = data[backend]["b1"]
        base = b1["healthz"]
        for key, label in (
            ("api_noop", "(reference) /api/v1 no-op"),
            ("shop_page_api_uncached", "(reference) shop-page API, cache off"),
            ("shop_page_api", "shop-page API"),
            ("shop_page_html", "/@u/shop"),
        ):
            r = b1.get(key)
            if r is None:
                continue
            if "req_per_s" not in r:
                rows.append(
                    Row(
                        "B1",
                        f"{label} · {backend}",
                        "not yet available",
                        f"/healthz {base['req_per_s']:,.0f} req/s",
                        None,
                        ">= 0.5, p99 <= 20 ms",
                        None,
                        None,
                    )
                )
                continue
            ratio = r["req_per_s"] / base["req_per_s"]
            met = ratio >= 0.5 and r["p99_ms"] <= 20
            if key.startswith(("api_noop", "shop_page_api_uncached")):  # not targets
                rows.append(
                    Row(
                        "B1",
                        f"{label} · {backend}",
                        f"{r['req_per_s']:,.0f} req/s,"
                        f" p50 {r['p50_ms']:.1f} / p99 {r['p99_ms']:.1f} ms",
                        f"/healthz {base['req_per_s']:,.0f} req/s",
                        ratio,
                        "(reference)",
                        None,
                        None,
                    )
                )
                continue
            rows.append(
                Row(
                    "B1",
                    f"{label} · {backend} · c={b1['concurrency']}",
                    f"{r['req_per_s']:,.0f} req/s,"
                    f" p50 {r['p50_ms']:.1f} / p99 {r['p99_ms']:.1f} ms",
                    f"/healthz {base['req_per_s']:,.0f} req/s, p99 {base['p99_ms']:.1f} ms",
                    ratio,
                    ">= 0.5, p99 <= 20 ms",
                    met,
                    min(ratio / 0.5, 20 / r["p99_ms"]),
                )
            )
    return rows


def b2_rows(data: dict[str, Any]) -> list[Row]:
    rows = []
    for backend in ("sqlite", "postgresql"):
        if backend not in data:
            continue
        b2 = data[backend]["b2"]
        queries = b2["queries"]
        worst = max(queries, key=lambda q: queries[q]["ratio"])
        w = queries[worst]
        req = sorted(q["request_p50_ms"] for q in queries.values())
        sql = sorted(q["sql_p50_ms"] for q in queries.values())
        rows.append(
            Row(
                "B2",
                f"search · {backend} · {data['products']:,} products,"
                f" {len(queries)} EN/ZH queries, cache off",
                f"request p50 {req[0]:.1f}-{req[-1]:.1f} ms; worst {worst}:"
                f" {w['request_p50_ms']:.1f} ms",
                f"bare SQL p50 {sql[0]:.1f}-{sql[-1]:.1f} ms; {worst}: {w['sql_p50_ms']:.1f} ms",
                w["ratio"],
                "<= 2x",
                w["ratio"] <= 2,
                2 / w["ratio"],
            )
        )
    return rows


def b3_b5_rows(data: dict[str, Any]) -> list[Row]:
    rows = []
    for backend in ("sqlite", "postgresql"):
        if backend not in data:
            continue
        b3 = data[backend]["b3"]
        base = b3["baseline_insert"]
        for step in ("request", "authorize", "approve", "unbind"):
            r = b3[step]
            rows.append(
                Row(
                    "B3",
                    f"{step} · {backend} · c={r['concurrency']}, {r['count']} requests"
                    f" in {r.get('runs', 1)} rounds",
                    f"{r['req_per_s']:,.0f} req/s, p50 {r['p50_ms']:.1f} ms; round ratios "
                    + "/".join(f"{x:.2f}" for x in r.get("rounds_ratio", [r["ratio"]])),
                    f"1 INSERT/request {base['req_per_s']:,.0f} req/s (beside each round)",
                    r["ratio"],
                    ">= 0.5",
                    r["ratio"] >= 0.5,
                    r["ratio"] / 0.5,
                )
            )
    for backend in ("sqlite", "postgresql"):
        b5 = data.get(backend, {}).get("b5")
        if not b5:
            continue
        small = data[backend]["b3"]
        steps = ("request", "authorize", "approve", "unbind")
        worst = max(steps, key=lambda s: b5["growth"][s])
        g = b5["growth"][worst]
        big_lat, small_lat = b5["big"]["latency"], small["latency"]
        rows.append(
            Row(
                "B5",
                f"growth · {backend} · {small['shops']:,} -> {b5['big']['shops']:,} shops,"
                " one request at a time",
                f"worst step {worst}: p50 {big_lat[worst]['p50_ms']:.1f} ms"
                f" (INSERT control: {b5['growth']['baseline_insert']:.2f}x)",
                f"p50 {small_lat[worst]['p50_ms']:.1f} ms at {small['shops']:,} shops",
                g,
                "<= 1.2x",
                g <= 1.2,
                1.2 / g,
            )
        )
    return rows


def b4_rows(data: dict[str, Any]) -> list[Row]:
    ratio = data["ratio"]
    return [
        Row(
            "B4",
            f"import · {data['backend']} · {data['lines']:,} lines",
            f"{data['rows_per_s']:,.0f} rows/s, peak RSS {data['peak_rss_mib']:.0f} MiB",
            f"raw bulk insert {data['raw_rows_per_s']:,.0f} rows/s",
            ratio,
            ">= 0.5, RSS <= 150 MiB",
            ratio >= 0.5 and data["peak_rss_mib"] <= 150,
            min(ratio / 0.5, 150 / data["peak_rss_mib"]),
        )
    ]


def b6_rows(data: dict[str, Any]) -> list[Row]:
    worst = data["worst_us"]
    return [
        Row(
            "B6",
            "rules · worst of 6 cases (2 profiles)",
            f"{worst:.2f} µs per evaluation",
            f"empty call {data['baseline_call_us']:.2f} µs",
            None,
            "<= 20 µs",
            worst <= 20,
            20 / worst,
        )
    ]


def outbox_rows(data: dict[str, Any]) -> list[Row]:
    return [
        Row(
            "outbox",
            f"webhook delivery · {data['backend']} · {data['events']:,} events, 1 worker",
            f"{data['events_per_s']:,.0f} events/s",
            f"bare signed POSTs {data['baseline_per_s']:,.0f}/s",
            data["ratio"],
            "(none)",
            None,
            None,
        )
    ]


def collect() -> tuple[list[Row], dict[str, Any] | None]:
    rows: list[Row] = []
    machine = None
    for name, make in (
        ("b1_b2_storefront", lambda d: b1_rows(d) + b2_rows(d)),
        ("b3_b5_binding", b3_b5_rows),
        ("b4_import", b4_rows),
        ("b6_rules", b6_rows),
        ("outbox", outbox_rows),
    ):
        data = read(name)
        if data is None:
            continue
        machine = machine or data.get("machine")
        rows += make(data)
    order = ["B1", "B2", "B3", "B4", "B5", "B6", "outbox"]
    rows.sort(key=lambda r: order.index(r.id))
    return rows, machine


def markdown(rows: list[Row], machine: dict[str, Any] | None) -> str:
    lines = []
    if machine:
        lines.append(
            f"{machine['nproc']} cores ({machine['cpu']}), Python {machine['python']},"
            f" SQLite {machine['sqlite']}, PostgreSQL {machine['postgresql']},"
            f" {machine['server_workers']} server workers; load: {machine['loadgen']};"
            f" 1-minute load average when the run began: {machine.get('loadavg_1m_at_start')}."
        )
        lines.append("")
    lines.append("| | figure | measured | baseline (same run) | ratio | target | met |")
    lines.append("|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        met = {True: "yes", False: "**no**", None: "-"}[r.met]
        lines.append(
            f"| {r.id} | {r.figure} | {r.measured} | {r.baseline} | {ratio} | {r.target} | {met} |"
        )
    return "\n".join(lines) + "\n"


def chart(rows: list[Row]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scored = [r for r in rows if r.score is not None]
    labels = [f"{r.id} {r.figure.split(' · c=')[0]}" for r in scored]
    scores = [r.score or 0.0 for r in scored]
    fig, ax = plt.subplots(figsize=(10, 0.38 * len(scored) + 1.5))
    colors = ["#2e7d32" if s >= 1 else "#c62828" for s in scores]
    ax.barh(range(len(scored)), scores, color=colors)
    ax.set_yticks(range(len(scored)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_xscale("log")
    ax.set_xlabel("measured / target (>= 1: target met; log scale)")
    ax.set_title("shoplink benchmarks against their same-run baselines")
    fig.tight_layout()
    fig.savefig(RESULTS / "chart.png", dpi=110)
    plt.close(fig)


def main() -> None:
    rows, machine = collect()
    text = markdown(rows, machine)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "summary.md").write_text(text)
    (RESULTS / "summary.json").write_text(
        json.dumps({"machine": machine, "rows": [asdict(r) for r in rows]}, indent=2)
    )
    chart(rows)
    print(text)
    print(f"written: {RESULTS / 'summary.md'}, summary.json, chart.png")


if __name__ == "__main__":
    main()
