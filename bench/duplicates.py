"""Near-duplicate grouping: how well it groups copies, and what it costs at scale.

    python -m bench.duplicates [--model demo-resnet] [--scale-n 100000] [--exact-n 20000]
                               [--write]

**Quality.** The benchmark makes its own set: originals (rendered held-out demo scenes and
the sample photos), and for each original six copies: JPEG re-saves at quality 85, 60 and
35, a 50 % resize, a crop of 3 % from every side and a colour adjustment (brightness x1.15,
saturation x1.3). For each demo scene it also renders a *different* scene with the same
caption (same objects, colours and background, another layout and style): a similar photo
that must stay apart. Everything is indexed through the product's pipeline with the shipped
demo model, then ``index.duplicates.find_duplicates`` runs at several thresholds. Pairwise
precision/recall: a pair is true when both photos come from the same original.

**Scale.** The vectors of bench.scale (a Gaussian fitted to the model's encodings of real
photos and scenes) in a library built by bench.scale (cached), with 1 % of them given a
planted near-copy (the vector plus small noise, cosine about 0.98). The product's ANN
self-join is timed against an exact all-pairs scan (blocked matrix products) at
``--exact-n``, and alone at ``--scale-n``; peak memory is the process's maximum RSS, each
measurement in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance

from bench._common import REPO, SHARED_PHOTOS, machine_info, peak_rss_mb, write_section
from index.duplicates import DEFAULT_THRESHOLD

THRESHOLDS = (0.95, 0.97, 0.98, 0.99, 0.995)
COPY_KINDS = ("jpeg85", "jpeg60", "jpeg35", "resize50", "crop3", "colour")
PLANTED = 0.01


def make_copy(image: Image.Image, kind: str, target: Path) -> Path:
    image = image.convert("RGB")
    if kind.startswith("jpeg"):
        image.save(target.with_suffix(".jpg"), "JPEG", quality=int(kind[4:]))
        return target.with_suffix(".jpg")
    if kind == "resize50":
        image = image.resize((image.width // 2, image.height // 2), Image.LANCZOS)
    elif kind == "crop3":
        dx, dy = round(image.width * 0.03), round(image.height * 0.03)
        image = image.crop((dx, dy, image.width - dx, image.height - dy))
    elif kind == "colour":
        image = ImageEnhance.Color(ImageEnhance.Brightness(image).enhance(1.15)).enhance(1.3)
    image.save(target.with_suffix(".jpg"), "JPEG", quality=92)
    return target.with_suffix(".jpg")


def make_set(folder: Path, n_scenes: int, seed: int) -> dict[str, str]:
    """Write originals, copies and similar scenes; returns file name -> original id."""
    # Not at the top: the timing children stay free of torch.
    from engine.demo.scenes.captions import caption
    from engine.demo.scenes.generate import scene_for_query
    from engine.demo.scenes.held_out import held_out_scenes
    from engine.demo.scenes.render import render_scene

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng([11, seed])
    origin: dict[str, str] = {}
    originals: list[tuple[str, Image.Image]] = []
    for i, scene in enumerate(held_out_scenes(n_scenes, seed)):
        image = render_scene(scene, (1024, 768))
        originals.append((f"scene{i:03d}", image))
        twin = scene_for_query(caption(scene), rng, split="eval")
        name = f"scene{i:03d}_similar.png"
        render_scene(twin, (1024, 768)).save(folder / name)
        origin[name] = f"scene{i:03d}_similar"
    if SHARED_PHOTOS.is_dir():
        for path in sorted(SHARED_PHOTOS.iterdir()):
            if path.suffix.lower() in (".jpg", ".jpeg", ".png"):
                originals.append((f"photo_{path.stem}", Image.open(path).convert("RGB")))
    for key, image in originals:
        image.save(folder / f"{key}.png")
        origin[f"{key}.png"] = key
        for kind in COPY_KINDS:
            origin[make_copy(image, kind, folder / f"{key}_{kind}").name] = key
    return origin


def pair_scores(groups: list[list[str]], origin: dict[str, str]) -> dict[str, float]:
    found = {(a, b) for g in groups for a in g for b in g if a < b}
    names = sorted(origin)
    truth = {(a, b) for a in names for b in names if a < b and origin[a] == origin[b]}
    hit = len(found & truth)
    split_similar = sum(
        1
        for name, key in origin.items()
        if key.endswith("_similar")
        and not any((min(name, k), max(name, k)) in found for k in origin if k.startswith(key[:8]))
    )
    n_similar = sum(key.endswith("_similar") for key in origin.values())
    return {
        "precision": hit / len(found) if found else 1.0,
        "recall": hit / len(truth) if truth else 1.0,
        "similar_kept_apart": split_similar / n_similar if n_similar else 1.0,
        **{f"recall_{kind}": _kind_recall(found, origin, kind) for kind in COPY_KINDS},
    }


def _kind_recall(found: set, origin: dict[str, str], kind: str) -> float:
    copies = [n for n in origin if f"_{kind}." in n]
    grouped = sum((min(n, f"{origin[n]}.png"), max(n, f"{origin[n]}.png")) in found for n in copies)
    return grouped / len(copies) if copies else 1.0


def quality(model: str, n_scenes: int, seed: int) -> dict:
    from app import context
    from app.commands.indexing import index_folders
    from index.duplicates import find_duplicates
    from index.folders import add_folder

    root = Path(tempfile.mkdtemp(prefix="photosearch-dups-"))
    try:
        origin = make_set(root / "photos", n_scenes, seed)
        with context.open_library(str(root / "library"), writable=True) as library:
            spec = context.choose_spec(library, model, None)
            encoder = context.make_encoder(spec, ("image",))
            context.bind(library, encoder)
            index_folders(library, lambda: encoder, [add_folder(library, str(root / "photos"))])
            rows = {}
            for threshold in THRESHOLDS:
                groups = [
                    [Path(c.path).name for c in g.copies]
                    for g in find_duplicates(library, threshold)
                ]
                rows[str(threshold)] = pair_scores(groups, origin)
        return {"model": model, "photos": len(origin), "thresholds": rows}
    finally:
        shutil.rmtree(root, ignore_errors=True)


# -- scale --------------------------------------------------------------------------------
def _library_with_copies(model: str, n: int, seed: int) -> Path:
    """bench.scale's library of ``n`` vectors, copied, with planted near-copies added."""
    from bench.scale.build import build_library
    from bench.scale.vectors import base_vectors, fit_distribution, held_out_queries, model_case
    from index.library import Library
    from index.vector_store import DEFAULT_EF_CONSTRUCTION, DEFAULT_M

    case = model_case(model, None)
    fit = fit_distribution(case, 4, seed)
    base = base_vectors(case, fit, n, seed)
    queries = held_out_queries(fit, 10, seed)
    built = build_library(
        case,
        base,
        n,
        DEFAULT_M,
        DEFAULT_EF_CONSTRUCTION,
        checkpoints={},
        queries=queries,
    )
    target = Path(tempfile.mkdtemp(prefix="photosearch-dups-scale-")) / "library"
    shutil.copytree(built["dir"], target)
    planted = int(n * PLANTED)
    rng = np.random.default_rng([5, seed])
    rows = rng.choice(n, planted, replace=False)
    noise = (
        rng.standard_normal((planted, base.shape[1])).astype(np.float32)
        * 0.2
        / np.sqrt(base.shape[1])
    )
    copies = np.asarray(base[rows]) + noise
    copies /= np.linalg.norm(copies, axis=1, keepdims=True)
    with Library(target, writable=True) as library:
        folder = library.catalog.add_folder("/copies")
        ids = [
            library.catalog.upsert_pending(f"/copies/{i}.jpg", folder.id, 1000, 0)
            for i in range(planted)
        ]
        library.store.add(ids, copies)
        library.save()
        library.catalog.mark_indexed([(i, 1000, 0, f"copy{i}", 0, 0) for i in ids], case.model_id)
    return target


def _measure(kind: str, library_dir: str, n: int, threshold: float) -> None:
    """Child process: time one grouping method; print JSON with time and peak RSS."""
    from index.duplicates import find_duplicates
    from index.library import Library

    with Library(library_dir, writable=False) as library:
        labels = sorted(library.store.labels())[:n]
        start = time.perf_counter()
        if kind == "ann":
            from index.duplicates import similar_pairs

            pairs = similar_pairs(library, labels, threshold)
            groups = len(find_duplicates(library, threshold)) if n == len(library.store) else -1
        else:
            pairs, groups = _exact_pairs(library, labels, threshold), -1
        seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "pairs": sorted(map(list, pairs)),
                "groups": groups,
                "peak_rss_mb": peak,
            }
        )
    )


def _exact_pairs(library, labels: list[int], threshold: float) -> set[tuple[int, int]]:
    vectors = library.store.get(labels)
    ids = np.asarray(labels)
    pairs = set()
    for start in range(0, len(labels), 2048):
        block = vectors[start : start + 2048] @ vectors.T
        rows, cols = np.nonzero(block >= threshold)
        for r, c in zip(rows + start, cols, strict=True):
            if r < c:
                pairs.add((int(ids[r]), int(ids[c])))
    return pairs


def _run_child(kind: str, library_dir: Path, n: int, threshold: float) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.duplicates",
            "--child",
            kind,
            str(library_dir),
            str(n),
            str(threshold),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def scale_run(model: str, scale_n: int, exact_n: list[int], threshold: float, seed: int) -> dict:
    library_dir = _library_with_copies(model, scale_n, seed)
    try:
        rows = []
        for n in sorted({*exact_n, scale_n}):
            ann = _run_child("ann", library_dir, n, threshold)
            row = {
                "n": n,
                "ann_s": round(ann["seconds"], 2),
                "ann_rss_mb": round(ann["peak_rss_mb"]),
            }
            if n in exact_n:
                exact = _run_child("exact", library_dir, n, threshold)
                truth = {tuple(p) for p in exact["pairs"]}
                found = {tuple(p) for p in ann["pairs"]}
                row.update(
                    exact_s=round(exact["seconds"], 2),
                    exact_rss_mb=round(exact["peak_rss_mb"]),
                    pair_recall=round(len(found & truth) / len(truth), 4) if truth else 1.0,
                    speedup=round(exact["seconds"] / ann["seconds"], 1),
                )
            rows.append(row)
        return {"model": model, "threshold": threshold, "planted": PLANTED, "rows": rows}
    finally:
        shutil.rmtree(library_dir.parent, ignore_errors=True)


def format_tables(out: dict, command: str) -> str:
    q, s, m = out["quality"], out["scale"], out["machine"]
    lines = [
        "## Near-duplicates (issue 21)",
        "",
        f"`{command}` on {m.get('cpu', '?')} ({m.get('cores', '?')} cores, shared with other"
        f" jobs and busy: load {m.get('loadavg_1_5_15')}), {m['date']}.",
        "",
        f"Grouping quality: {q['photos']} photos made by the benchmark, indexed with"
        f" `{q['model']}` (the shipped demo model: real pixels, a toy model's vectors).",
        "",
        "| threshold | precision | recall | similar scenes kept apart | "
        + " | ".join(COPY_KINDS)
        + " |",
        "|---|---|---|---|" + "---|" * len(COPY_KINDS),
    ]
    for t, r in q["thresholds"].items():
        kinds = " | ".join(f"{r[f'recall_{k}']:.2f}" for k in COPY_KINDS)
        lines.append(
            f"| {t} | {r['precision']:.3f} | {r['recall']:.3f} | {r['similar_kept_apart']:.2f}"
            f" | {kinds} |"
        )
    lines += [
        "",
        f"Speed and memory: bench.scale's `{s['model']}` vectors with {s['planted']:.0%} planted"
        f" near-copies, threshold {s['threshold']}; ANN self-join (the product) against an exact"
        " all-pairs scan, each in a fresh process (peak RSS includes the loaded store).",
        "",
        "| N | ANN s | ANN peak RSS MB | exact s | exact peak RSS MB | speed-up"
        " | pairs found vs exact |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in s["rows"]:
        lines.append(
            f"| {r['n']:,} | {r['ann_s']} | {r['ann_rss_mb']} | {r.get('exact_s', '-')} |"
            f" {r.get('exact_rss_mb', '-')} | {r.get('speedup', '-')}"
            f" | {r.get('pair_recall', '-')} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        _measure(argv[1], argv[2], int(argv[3]), float(argv[4]))
        return 0
    p = argparse.ArgumentParser(description="Near-duplicate grouping benchmark.")
    p.add_argument("--model", default="demo-resnet", help="quality: the model that encodes")
    p.add_argument("--scale-model", default="demo", help="scale: bench.scale's vectors of")
    p.add_argument("--scenes", type=int, default=30, help="demo scenes used as originals")
    p.add_argument("--scale-n", type=int, default=100_000)
    p.add_argument(
        "--exact-n", type=int, nargs="+", default=[20_000, 50_000], help="sizes with the exact scan"
    )
    p.add_argument(
        "--threshold", type=float, default=DEFAULT_THRESHOLD, help="scale: grouping threshold"
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--write", action="store_true", help="write the section of BENCHMARKS.md")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    out = {
        "quality": quality(args.model, args.scenes, args.seed),
        "scale": scale_run(args.scale_model, args.scale_n, args.exact_n, args.threshold, args.seed),
        "machine": machine_info(),
    }
    command = "python -m bench.duplicates " + " ".join(argv)
    text = format_tables(out, command.strip())
    print(json.dumps(out) if args.json else text)
    if args.write:
        write_section("## Near-duplicates (issue 21)", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
