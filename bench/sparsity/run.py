"""One model: its sparse files, and every measurement of them against the dense encoder."""

from __future__ import annotations

from pathlib import Path

from bench._common import source_name
from bench.sparsity.files import calibrated_settings, sparse_file
from bench.sparsity.inputs import log
from bench.sparsity.measure import held_out_quality, speeds, top10_overlap
from bench.sparsity.memory import rss

GATE_THRESHOLD = 0.05  # the seed's delta(a): |a| below this is switched off
MODELS = [
    ("ViT-B-32", "random"),
    ("RN50", "random"),
    ("demo", None),
    ("demo-resnet", None),
]


def run_model(model: str, weights: str | None, ctx: dict) -> dict:
    from engine.encoder import ClipEncoder
    from engine.models import load_clip
    from engine.registry import parse_source
    from engine.sparse.blocks import set_gate_threshold
    from engine.spec import ModelError

    log(f"{source_name(model, weights)}:")
    try:
        spec = parse_source(model, weights)
        if not spec.is_random and not Path(spec.weights).is_file():
            raise ModelError(f"weights not available: {Path(spec.weights).name}")
    except ModelError as exc:
        log(f"  skipped: {exc}")
        return {"skipped": str(exc)}
    n = ctx["calib_photos"]
    files = {"dynamic": sparse_file(model, weights, "dynamic", ctx["calib"], ctx["work"], n)}
    if ctx["static"] or model.startswith("demo"):
        files["static"] = sparse_file(model, weights, "static", ctx["calib"], ctx["work"])
    # the dense baseline stays the exact fp32 model (text queries default to fp16 weights)
    encoders = {"dense": ClipEncoder(model, weights, query_precision="fp32")}
    encoders.update({mode: ClipEncoder(str(path)) for mode, path in files.items()})
    for e in encoders.values():
        e.load()
    if not model.endswith("resnet") and model != "RN50":
        gated = ClipEncoder(str(files["dynamic"])).load()
        set_gate_threshold(gated.model.visual.transformer, GATE_THRESHOLD)
        set_gate_threshold(gated.model.clip.transformer, GATE_THRESHOLD)
        encoders["gated"] = gated
    dense_bytes = sum(p.numel() * 4 for p in load_clip(spec).parameters())
    result: dict = {"source_model_id": spec.model_id}
    speed = speeds(encoders, ctx["images"], ctx["repeats"])
    result["speed"] = speed
    result["image_speedup"] = speed["dynamic"]["images_per_s"] / speed["dense"]["images_per_s"]
    result["text_speedup"] = speed["dynamic"]["queries_per_s"] / speed["dense"]["queries_per_s"]
    mem = {"dense": rss(model, weights), "dynamic": rss(str(files["dynamic"]), None)}
    result["memory"] = mem
    result["memory_ratio"] = mem["dynamic"]["model_mb"] / mem["dense"]["model_mb"]
    result["process_memory_ratio"] = mem["dynamic"]["peak_mb"] / mem["dense"]["peak_mb"]
    result["file_mb"] = {"dense_fp32": dense_bytes / 1e6}
    result["file_mb"].update({m: p.stat().st_size / 1e6 for m, p in files.items()})
    overlap = {m: top10_overlap(encoders["dense"], encoders[m], ctx["photos"]) for m in files}
    result["overlap"] = overlap
    result["top10_overlap"] = overlap["dynamic"]["text_both_sparse"]
    result["settings"] = calibrated_settings(files["dynamic"])
    if model.startswith("demo"):
        quality = {"dense": held_out_quality(model, ctx["heldout"], ctx["count"])}
        for mode, path in files.items():
            quality[mode] = held_out_quality(str(path), ctx["heldout"], ctx["count"])
        result["quality"] = quality
        result["recall10_dense"] = quality["dense"]["recall@10"]
        result["recall10_sparse"] = quality["dynamic"]["recall@10"]
        if "static" in quality:
            result["recall10_static"] = quality["static"]["recall@10"]
    else:
        result["recall10_dense"] = result["recall10_sparse"] = None
    del encoders
    return result
