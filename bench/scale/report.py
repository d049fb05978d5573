"""The Markdown tables ``python -m bench.scale`` prints without ``--json``."""

from __future__ import annotations

import json

REDUCED_PRECISIONS = ("fp16", "int8")  # the opt-in text towers' rows, in this order


def format_table(out: dict) -> str:
    cols = [
        ("model", "model"), ("dim", "dim"), ("n", "N"), ("recall@10", "recall@10"),
        ("recall@10_text_queries", "recall@10 text q"), ("p50_ms", "p50 ms"),
        ("p95_ms", "p95 ms"), ("p99_ms", "p99 ms"), ("encode_p95_ms", "encode p95"),
        ("knn_catalog_p95_ms", "knn+catalog p95"), ("exact_p95_ms", "exact p95 ms"),
        ("exact_scan_catalog_p95_ms", "exact scan+catalog p95"), ("build_s", "build s"),
        ("vectors_file_mb", "vectors MB"), ("catalog_file_mb", "catalog MB"),
        ("rss_mb", "RSS MB"), ("exact_matrix_mb", "exact matrix MB"),
    ]  # fmt: skip
    lines = ["| " + " | ".join(h for _, h in cols) + " |", "|" + "---|" * len(cols)]
    for r in out["results"]:
        lines.append("| " + " | ".join(str(r.get(k, "")) for k, _ in cols) + " |")
        for precision in REDUCED_PRECISIONS:
            if f"{precision}_queries" in r:
                row = r | r[f"{precision}_queries"]
                default = " (default)" if precision == out.get("query_precision") else ""
                row["model"] = f"{r['model']} ({precision} text tower{default})"
                lines.append("| " + " | ".join(str(row.get(k, "")) for k, _ in cols) + " |")
        if "sparse_queries" in r:
            row = r | r["sparse_queries"] | {"model": f"{r['model']} (.sparse text tower)"}
            lines.append("| " + " | ".join(str(row.get(k, "")) for k, _ in cols) + " |")
    for r in out["results"]:
        lines.append(
            f"\ngrowth ({r['model']}): "
            + ", ".join(
                f"n={g['n']} cap={g['capacity']} recall={g['recall@10']}" for g in r["growth"]
            )
        )
        lines.append(
            f"ef curve ({r['model']}): "
            + ", ".join(
                f"ef={e['ef']}: {e['recall@10']} / {e['knn_p95_ms']} ms" for e in r["ef_curve"]
            )
        )
        lines.append(
            f"ef curve, text queries ({r['model']}): "
            + ", ".join(
                f"ef={e['ef']}: {e['recall@10']} / {e['knn_p95_ms']} ms"
                for e in r["ef_curve_text_queries"]
            )
        )
    lines.append(
        "\nA .sparse row queries the same dense-built library with the text tower of the"
        " model's `--sparsity dynamic` file (run only to the last real token, int8 linears)."
    )
    lines.append(
        "An fp16 or int8 row queries it with the dense model's text tower on fp16 or int8"
        " weights (`ClipEncoder(query_precision=...)`); top-10 overlap with fp32: "
        + ", ".join(
            f"{r['model']} {p} {r[f'{p}_queries']['top10_overlap_with_fp32']}"
            for r in out["results"]
            for p in REDUCED_PRECISIONS
            if f"{p}_queries" in r
        )
    )
    lines.append(f"machine: {json.dumps(out['machine'])}")
    return "\n".join(lines)


def format_sweep(out: dict) -> str:
    lines = [
        "| M | ef_construction | build s | file MB | ef | recall@10 | knn p50 ms | knn p95 ms |"
    ]
    lines.append("|---|---|---|---|---|---|---|---|")
    for r in out["rows"]:
        lines.append(
            f"| {r['M']} | {r['ef_construction']} | {r['build_s']} | {r['file_mb']} | {r['ef']}"
            f" | {r['recall@10']} | {r['knn_p50_ms']} | {r['knn_p95_ms']} |"
        )
    lines.append(f"\nsmallest with recall@10 >= 0.99: {out['smallest_ok']}")
    return "\n".join(lines)
