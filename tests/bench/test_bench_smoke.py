"""Smoke tests: the benchmarks run end to end at a small size and print sane JSON.

Figures are never asserted as timings; only shapes and ranges. A temp cache dir keeps CI
independent of any cached builds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_bench(module: str, args: list[str], cache: Path, timeout: float = 600) -> dict:
    env = {**os.environ, "PHOTOSEARCH_BENCH_CACHE": str(cache), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.timeout(900)
def test_scale_smoke(tmp_path: Path) -> None:
    # Small knobs keep it to about a minute on 2 shared cores: one view per source photo
    # for the fit, fewer queries; the command is otherwise the documented one.
    out = run_bench(
        "bench.scale",
        ["--n", "20000", "--json", "--model", "ViT-B-32", "--views", "1", "--queries", "200",
         "--latency-queries", "20", "--torch-threads", "1"],
        tmp_path / "cache",
    )  # fmt: skip
    for key in ("n", "recall@10", "p50_ms", "p95_ms", "p99_ms", "exact_p95_ms", "rss_mb"):
        assert key in out
    assert "build_s" in out
    assert out["n"] == 20000
    assert 0.0 <= out["recall@10"] <= 1.0
    assert 0 < out["p50_ms"] <= out["p95_ms"] <= out["p99_ms"]
    assert out["exact_p95_ms"] > 0 and out["rss_mb"] > 0 and out["build_s"] > 0
    # the same library queried through the text tower of the model's .sparse file
    assert 0 < out["sparse"]["p50_ms"] <= out["sparse"]["p95_ms"] <= out["sparse"]["p99_ms"]
    # and through the dense model's text tower on fp16 and on int8 weights
    for precision in ("fp16", "int8"):
        rows = out[precision]
        assert 0 < rows["p50_ms"] <= rows["p95_ms"] <= rows["p99_ms"]
        assert 0.0 <= rows["top10_overlap_with_fp32"] <= 1.0
    result = out["results"][0]
    assert result["growth"][-1]["n"] == 20000
    assert result["growth"][-1]["capacity"] >= 20000
    assert all(0.0 <= point["recall@10"] <= 1.0 for point in result["ef_curve"])
    assert result["vectors_file_mb"] > 0 and result["catalog_file_mb"] > 0
    # the product's query path against the one before the query loop, on that library
    side = run_bench(
        "bench.query_path", ["--n", "20000", "--queries", "4", "--json"], tmp_path / "cache"
    )
    assert all(d <= 1e-5 for d in side["max_vector_difference"].values())
    for row in side["paths"].values():
        assert 0 < row["p50_ms"] <= row["p95_ms"] and 0.0 <= row["recall@10_text_queries"] <= 1.0


@pytest.mark.timeout(900)
def test_query_precision_smoke(tmp_path: Path) -> None:
    args = ["--model", "demo", "--queries", "5", "--n", "2000", "--views", "1", "--json"]
    out = run_bench("bench.query_precision", args, tmp_path / "cache")
    (result,) = out["results"]
    assert result["queries"] == 5 and result["n"] == 2000
    assert all(0 < result["rows"][p]["p50_ms"] for p in ("fp32", "fp16", "int8"))
    for agreement in result["vs_fp32"].values():
        assert -1.0 <= agreement["cosine_min"] <= 1.0
        assert 0.0 <= agreement["top10_overlap"] <= 1.0


@pytest.mark.timeout(900)
def test_indexing_smoke(tmp_path: Path) -> None:
    out = run_bench("bench.indexing", ["--count", "50", "--json"], tmp_path / "cache")
    assert out["count"] == 50
    assert out["pipeline"]["indexed"] == 50 and out["naive"]["indexed"] == 50
    assert out["pipeline_photos_s"] > 0 and out["naive_photos_s"] > 0
    assert out["speedup_vs_naive"] > 0


@pytest.mark.timeout(600)
def test_quality_measures_the_trained_demo_model(tmp_path: Path) -> None:
    from engine.registry import DEMO_MODELS

    if not DEMO_MODELS["demo-resnet"].weights.is_file():
        pytest.skip("demo-resnet weights are not shipped")
    out = run_bench(
        "bench.quality", ["--model", "demo-resnet", "--count", "240", "--json"], tmp_path
    )
    assert out["n_images"] == 240 and out["n_queries"] == 120
    for key in ("recall@1", "recall@5", "recall@10", "precision@10"):
        assert 0.0 <= out[key] <= 1.0
    assert out["recall@1"] <= out["recall@5"] <= out["recall@10"]
    # a trained model: most queries find a matching scene at once, far above chance
    assert out["recall@10"] >= 0.9
    assert set(out["by_kind"]) == {"background", "colour+shape", "count", "relation", "size"}
    assert set(out["pairs"]) == {"direction", "binding"}
    assert all(0.0 <= v <= 1.0 for v in out["pairs"].values())


@pytest.mark.timeout(900)
def test_quality_measures_chinese_queries_on_the_same_scenes(tmp_path: Path) -> None:
    from engine.registry import DEMO_MODELS

    if not DEMO_MODELS["demo-resnet"].weights.is_file():
        pytest.skip("demo-resnet weights are not shipped")
    args = ["--model", "demo-resnet", "--count", "240", "--lang", "zh", "--json"]
    out = run_bench("bench.quality", args, tmp_path)
    assert out["lang"] == "zh" and out["n_queries"] == 120
    # the bilingual demo model reads the Chinese phrasing of every held-out query
    assert out["recall@10"] >= 0.9


@pytest.mark.timeout(600)
def test_scan_cost_and_recovery_smoke(tmp_path: Path) -> None:
    scan = ["--files", "400", "--rounds", "1", "--repeats", "1", "--no-write"]
    out = run_bench("bench.scan_cost", scan, tmp_path)
    assert out["files"] == 400 and out["ratio"] > 0
    out = run_bench("bench.recovery", ["--sizes", "40", "--no-write"], tmp_path)
    assert out["size"] == 40
    assert out["vector store deleted"][1] == 40  # every photo encoded again, in one run


@pytest.mark.timeout(900)
def test_ocr_bench_smoke(tmp_path: Path) -> None:
    out = run_bench("bench.ocr", ["--scale", "0.02", "--json"], tmp_path)
    assert out["queries"] > 0 and 0.0 <= out["character_accuracy"] <= 1.0
    assert set(out["quality"]) == {"tiered", "rrf", "clip", "text"}
    assert out["speed_12mp"]["no_text_photos_s"] > 0 and out["speed_12mp"]["text_photos_s"] > 0
