"""The BENCHMARKS.md section: the side-by-side table, targets, quality and settings."""

from __future__ import annotations

from bench.sparsity.run import GATE_THRESHOLD

SECTION = "## Sparsity (issue 4)"


def _fmt(value, spec: str = ".2f") -> str:
    return "n/a" if value is None else format(value, spec)


def table(results: dict, machine: dict, command: str) -> str:
    """The whole section: header and side-by-side table, targets, quality, settings."""
    lines = _side_by_side(results, machine, command)
    lines += _targets(results)
    lines += _quality(results)
    lines += _calibrated(results)
    return "\n".join(lines) + "\n"


def _side_by_side(results: dict, machine: dict, command: str) -> list[str]:
    lines = [
        SECTION,
        "",
        f"Command: `{command}`; date {machine['date']}; {machine['cores']} cores "
        f"({machine['cpu']}), torch threads 2, load average at start "
        f"{machine['loadavg_1_5_15']} (the machine is shared: absolute rates are noisy, the "
        "ratios come from interleaved runs).",
        "",
        "Baseline: the product's dense encoder, which (since issue 14) runs every text encode"
        " only up to the longest real token sequence, as every model does (exact truncation)."
        " So the text speedup below is what the sparse file adds beyond exact truncation, not"
        " beyond a full 77-position encode.",
        "",
        "What the sparse (`--sparsity dynamic`) files do, labelled honestly: ViT prunes patch"
        " tokens by class-token attention at the calibrated keep ratio (dynamic, approximate);"
        " ResNet encodes low-detail images at a lower resolution when calibration allows it"
        " (dynamic, approximate); int8 weights for transformer Linear layers, fp16 token"
        " embedding, fused conv+BN with bf16 channels-last ResNet (engineering, not sparsity)."
        " Static = magnitude pruning |w| < 1e-3, dense fp32 compute, CSR storage only where"
        " smaller. Random-weight models (ViT-B-32, RN50) measure speed and memory; their"
        " quality numbers say nothing.",
        "",
        "| model | images/s dense → sparse (static) | image speedup | text q/s dense → sparse"
        " (static) | text speedup | model memory ratio (process) | file MB fp32 / .sparse"
        " (static) | recall@10 dense / sparse (static) | top-10 overlap text (dense lib) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        if "skipped" in r:
            lines.append(f"| {name} | skipped: {r['skipped']} |||||||")
            continue
        s = r["speed"]
        st = s.get("static")
        img = f"{s['dense']['images_per_s']:.1f} → {s['dynamic']['images_per_s']:.1f}"
        txt = f"{s['dense']['queries_per_s']:.0f} → {s['dynamic']['queries_per_s']:.0f}"
        if st:
            img += f" ({st['images_per_s']:.1f})"
            txt += f" ({st['queries_per_s']:.0f})"
        f = r["file_mb"]
        files = f"{f['dense_fp32']:.0f} / {f['dynamic']:.0f}"
        if "static" in f:
            files += f" ({f['static']:.0f})"
        recall = f"{_fmt(r['recall10_dense'], '.3f')} / {_fmt(r['recall10_sparse'], '.3f')}"
        if r.get("recall10_static") is not None:
            recall += f" ({r['recall10_static']:.3f})"
        ov = r["overlap"]["dynamic"]
        lines.append(
            f"| {name} | {img} | {r['image_speedup']:.2f}x | {txt} | {r['text_speedup']:.2f}x |"
            f" {r['memory_ratio']:.2f} ({r['process_memory_ratio']:.2f}) | {files} | {recall} |"
            f" {ov['text_both_sparse']:.3f} ({ov['text_dense_library']:.3f}) |"
        )
    return lines


def _targets(results: dict) -> list[str]:
    lines = ["", "Targets (sparse vs dense, this run):", ""]
    for name, r in results.items():
        if "skipped" in r:
            continue
        checks = [
            ("images/s >= 1.5x", r["image_speedup"] >= 1.5, f"{r['image_speedup']:.2f}x"),
            ("text q/s >= 5x", r["text_speedup"] >= 5, f"{r['text_speedup']:.2f}x"),
            ("model memory <= 0.71x", r["memory_ratio"] <= 0.71, f"{r['memory_ratio']:.2f}"),
            ("top-10 overlap >= 0.95", r["top10_overlap"] >= 0.95, f"{r['top10_overlap']:.3f}"),
        ]
        if r.get("recall10_dense"):
            loss = 1 - r["recall10_sparse"] / r["recall10_dense"]
            checks.append(("recall@10 loss <= 0.8%", loss <= 0.008, f"{100 * loss:.2f}%"))
            q = r["quality"]
            loss = 1 - q["dynamic"]["precision@10"] / q["dense"]["precision@10"]
            checks.append(("precision@10 loss <= 0.8%", loss <= 0.008, f"{100 * loss:.2f}%"))
        text = "; ".join(f"{c} {v} ({'met' if ok else 'SHORT'})" for c, ok, v in checks)
        lines.append(f"- {name}: {text}")
        if "gated" in r["speed"]:
            g = r["speed"]["gated"]["images_per_s"] / r["speed"]["dynamic"]["images_per_s"]
            lines.append(
                f"  - activation gating delta(a)*a (|a| < {GATE_THRESHOLD}) on top of sparse:"
                f" {g:.2f}x images/s (dense GEMM still multiplies the zeros; off by default)"
            )
    lines += [
        "",
        "Reading the shortfalls: the demo models' text towers (3 layers, 64 wide, 32 positions)"
        " take about 1 ms per query, almost all of it per-call overhead, so int8 weights have"
        " nothing left to save; their 8-17 MB of weights are small next to the"
        " runtime's own allocations, so the model-memory ratio stays near 1. Top-10 overlap for"
        " RN50 is measured on random weights, where scores are near-tied. The ViT keep ratio is"
        " the smallest that keeps image-to-image agreement (mean cosine >= 0.98, top-10 overlap"
        " >= 0.95) and the text-to-photo scores of the calibration statements (mean change <="
        " 1.25% of their spread): image agreement alone let the demo ViT prune to keep 0.4 and"
        " lose 2.8% precision@10.",
    ]
    return lines


def _quality(results: dict) -> list[str]:
    lines: list[str] = []
    quality_rows = [(n, r["quality"]) for n, r in results.items() if "quality" in r]
    if quality_rows:
        lines += [
            "",
            "Search quality on the demo held-out set (`bench.quality`), dense vs sparse:",
            "",
            "| model | file | recall@1 | recall@5 | recall@10 | precision@10 |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for name, quality in quality_rows:
            for mode, q in quality.items():
                lines.append(
                    f"| {name} | {mode} | {q['recall@1']:.3f} | {q['recall@5']:.3f} |"
                    f" {q['recall@10']:.3f} | {q['precision@10']:.3f} |"
                )
    return lines


def _calibrated(results: dict) -> list[str]:
    lines = ["", "Calibrated settings per model:", ""]
    for name, r in results.items():
        if "settings" in r:
            st = r["settings"]["settings"]
            lines.append(
                f"- {name}: keep ratio {st['vit_keep_ratio']} after block {st['vit_prune_after']},"
                f" ResNet low resolution {st['resnet_low_size']} below detail"
                f" {st['resnet_detail_threshold']:.3f}, int8 Linear {st['int8_linear']},"
                f" bf16 ResNet {st['bf16_resnet']}; calibration: {r['settings']['calibration']}"
            )
    return lines
