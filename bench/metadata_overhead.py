"""What keeping photo metadata costs indexing: the product's pipeline with and without it.

    python -m bench.metadata_overhead [--count N] [--rounds R] [--json]

Photos: bench.indexing's cached 4000x3000 JPEGs, each given an EXIF block (date with
offset, camera, lens, GPS spread over the world) spliced in without re-encoding, so every
photo exercises the EXIF read, the place lookup and the metadata write. "with": the
pipeline as ``photosearch index`` runs it (``app.context.make_indexer``). "without": the
same pipeline with the facts read and the metadata write switched off (the decoder's
``photo_facts`` returns nothing and the indexer builds no metadata): the pipeline as it
was before metadata. Runs alternate (without, with, without, with, ...) so a busy
machine's drift hits both; medians of wall and of this process's CPU time are compared, and
the added work is also timed alone per photo. Model loading is outside the timings.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import struct
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from bench._common import cache_root, machine_info, weights_for
from bench.indexing import large_photos, run_pipeline
from engine.exif import photo_facts


def exif_block(rng: random.Random) -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Google", f"Pixel {rng.randint(5, 9)}"
    exif[0x8769] = {
        0x9003: f"20{rng.randint(10, 25)}:0{rng.randint(1, 9)}:1{rng.randint(0, 9)} 12:00:00",
        0x9011: "+02:00",
        0xA434: "Pixel back camera 6.81mm f/1.68",
    }
    lat, lon = rng.uniform(-50, 60), rng.uniform(-170, 170)

    def dms(v: float) -> tuple:
        v = abs(v)
        return (IFDRational(int(v), 1), IFDRational(int(v % 1 * 60), 1), IFDRational(0, 1))

    exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W"}
    exif[0x8825][4] = dms(lon)
    return exif.tobytes()


def photos_with_exif(count: int) -> Path:
    """bench.indexing's photos, each with an APP1 EXIF segment after its SOI marker."""
    source = large_photos(count)
    folder = cache_root() / "metadata" / f"exif-{count}"
    if (folder / ".done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    for path in sorted(source.glob("*.jpg")):
        data = path.read_bytes()
        block = exif_block(rng)
        if not block.startswith(b"Exif\x00\x00"):
            block = b"Exif\x00\x00" + block
        segment = b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block
        (folder / path.name).write_bytes(data[:2] + segment + data[2:])
    (folder / ".done").touch()
    return folder


@contextmanager
def metadata_off():
    import engine.images
    import index.pipeline

    facts, meta = engine.images.photo_facts, index.pipeline.meta_from_facts
    engine.images.photo_facts = lambda img: {}
    index.pipeline.meta_from_facts = lambda facts, mtime_ns: None
    try:
        yield
    finally:
        engine.images.photo_facts, index.pipeline.meta_from_facts = facts, meta


def timed_run(photos: Path, library_dir: Path, encoder) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one pipeline run."""
    cpu = time.process_time()
    wall = run_pipeline(photos, library_dir, encoder)["seconds"]
    return wall, round(time.process_time() - cpu, 2)


def component_costs(photos: Path, library_dir: Path) -> dict:
    """The added work alone, per photo: the EXIF read on an open file, building the
    metadata, and writing it with place names (32 a batch, as a checkpoint does)."""
    from index.library import Library
    from index.meta_store import write_meta
    from index.photo_meta import meta_from_facts
    from index.places import places

    started = time.perf_counter()
    places([(48.85, 2.35)])  # the geocoder's one load per process
    load_s = time.perf_counter() - started
    paths = sorted(photos.glob("*.jpg"))
    facts_s, metas = 0.0, []
    for path in paths:
        with Image.open(path) as img:
            started = time.perf_counter()
            facts = photo_facts(img)
            metas.append(meta_from_facts(facts, 0))
            facts_s += time.perf_counter() - started
    shutil.rmtree(library_dir, ignore_errors=True)
    with Library(library_dir, writable=True) as library:
        folder = library.catalog.add_folder(str(photos))
        ids = [library.catalog.upsert_pending(str(p), folder.id, 1, 1) for p in paths]
        started = time.perf_counter()
        for c in range(0, len(ids), 32):
            write_meta(library.catalog, list(zip(ids[c : c + 32], metas[c : c + 32], strict=True)))
        write_s = time.perf_counter() - started
    shutil.rmtree(library_dir, ignore_errors=True)
    return {
        "exif_read_ms_per_photo": round(1000 * facts_s / len(paths), 3),
        "write_ms_per_photo": round(1000 * write_s / len(paths), 3),
        "geocoder_load_s_once": round(load_s, 2),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.metadata_overhead")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--rounds", type=int, default=3, help="runs of each, alternating")
    p.add_argument("--model", default="ViT-B-32")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    from app.context import make_encoder
    from engine.registry import parse_source

    encoder = make_encoder(parse_source(args.model, weights_for(args.model, None))).load()
    encoder.encode_prepared([encoder.prepare(Image.new("RGB", (256, 256)))] * 4)  # warm-up
    photos = photos_with_exif(args.count)
    library_dir = cache_root() / "metadata" / "library"
    machine = machine_info()
    components = component_costs(photos, library_dir)
    runs: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
    for _ in range(args.rounds):
        with metadata_off():
            runs["without"].append(timed_run(photos, library_dir, encoder))
        runs["with"].append(timed_run(photos, library_dir, encoder))
    shutil.rmtree(library_dir, ignore_errors=True)
    wall = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
    per_photo_ms = 1000 * wall["without"] / args.count
    added_ms = components["exif_read_ms_per_photo"] + components["write_ms_per_photo"]
    out = {
        "count": args.count,
        "model": args.model,
        "runs_wall_cpu_s": runs,
        "median_wall_s": wall,
        "median_cpu_s": cpu,
        "wall_overhead_%": round(100 * (wall["with"] / wall["without"] - 1), 2),
        "cpu_overhead_%": round(100 * (cpu["with"] / cpu["without"] - 1), 2),
        **components,
        "pipeline_ms_per_photo_without": round(per_photo_ms, 1),
        "component_overhead_%": round(100 * added_ms / per_photo_ms, 3),
        "machine": machine | {"loadavg_after": machine_info()["loadavg_1_5_15"]},
    }
    print(json.dumps(out) if args.json else json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
