"""A text search right after an indexing checkpoint: the good-match gate measured again
after every change (as before) against only after the library changed by more than
``index.cutoff.REDRAW_AFTER_CHANGE``.

    python -m bench.gate_redraw [--n 100000] [--queries 40] [--photos-per-checkpoint 200]

On a copy of the ``bench.scale`` ViT-B-32 library of N photos (built by ``python -m
bench.scale --n N --model ViT-B-32``, never here), each step is one checkpoint (that many
photos taken out of the store, or put back) followed by one ``SearchService.by_text`` per
rule, in alternating order; both services share the library and the encoder. Reported: the
search's wall time (median, p95) per rule and their ratio, and how many gates each measured.
Then what the rule lets go stale: the gate of a text query measured on the whole library,
on the library less 5 % of its photos, and on the whole library with five other samples
(the spread a change of sample alone makes).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench._common import machine_info, percentiles, weights_for
from bench.scale.queries import query_texts
from bench.scale.vectors import model_case
from index.vector_store import DEFAULT_EF_CONSTRUCTION, DEFAULT_M

MODEL = "ViT-B-32"
RULES = ("after every change", "after 5% change")


def measure(n: int, count: int, per_checkpoint: int) -> dict:
    from engine.encoder import ClipEncoder
    from index.library import Library
    from index.search import SearchService

    case = model_case(MODEL, weights_for(MODEL, None))
    source = case.dir / f"lib-n{n}-M{DEFAULT_M}-efc{DEFAULT_EF_CONSTRUCTION}"
    if not (source / "build.json").exists():
        sys.exit(f"no {n}-photo library: run python -m bench.scale --n {n} --model {MODEL}")
    with tempfile.TemporaryDirectory() as tmp:
        lib_dir = Path(tmp) / "library"
        shutil.copytree(source, lib_dir, ignore=shutil.ignore_patterns("write.lock"))
        library = Library(lib_dir)
        encoder = ClipEncoder(MODEL, weights_for(MODEL, None), towers=("text",)).load()
        services = {rule: SearchService(library, encoder) for rule in RULES}
        services[RULES[0]].calibration._still_fits = lambda size: False
        measured = {rule: 0 for rule in RULES}
        for rule, service in services.items():
            gate = service.calibration._measure_gate

            def counted(*args, rule=rule, gate=gate):
                measured[rule] += 1
                return gate(*args)

            service.calibration._measure_gate = counted
        texts = query_texts(count, 0)
        labels = sorted(library.store.labels())[:per_checkpoint]
        held = library.store.get(labels)
        for service in services.values():
            service.by_text("warm up")
        wall: dict[str, list[float]] = {rule: [] for rule in RULES}
        for i, text in enumerate(texts):
            if i % 2 == 0:
                library.store.remove(labels)
            else:
                library.store.add(labels, held)
            for rule in RULES if i % 2 == 0 else RULES[::-1]:
                started = time.perf_counter()
                services[rule].by_text(text)
                wall[rule].append((time.perf_counter() - started) * 1000)
        drift = gate_drift(library, encoder)
        library.close()
    rows = {rule: {**percentiles(wall[rule]), "gates_measured": measured[rule]} for rule in RULES}
    return {
        "n": n,
        "queries": count,
        "photos_per_checkpoint": per_checkpoint,
        "rules": rows,
        "gate_drift": drift,
    }


def gate_drift(library, encoder) -> dict:
    """A text query's gate: whole library; less REDRAW_AFTER_CHANGE of it; other samples."""
    from index import cutoff
    from index.vector_store import TEXT_EF_SEARCH

    def gate() -> float:
        calibration = cutoff.Calibration(library, encoder.encode_texts)
        return calibration.gate([(1.0, "text")], ef=TEXT_EF_SEARCH)

    whole = gate()
    seed = cutoff._SEED
    other_samples = []
    for offset in range(1, 6):
        cutoff._SEED = seed + offset  # the library sample's draw (not the null strings)
        other_samples.append(gate())
    cutoff._SEED = seed
    labels = sorted(library.store.labels())
    out = labels[: int(cutoff.REDRAW_AFTER_CHANGE * len(labels))]
    library.store.remove(out)
    less = gate()
    return {"whole": whole, "less_5_percent": less, "other_samples": other_samples}


def format_table(result: dict, machine: dict) -> str:
    rows = result["rules"]
    lines = [
        "| gate measured again | search p50 ms | search p95 ms | gates measured |",
        "|---|---:|---:|---:|",
        *(
            f"| {rule} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['gates_measured']} |"
            for rule, r in rows.items()
        ),
    ]
    before, now = rows[RULES[0]], rows[RULES[1]]
    return "\n".join(lines) + (
        f"\n\nN = {result['n']}, {result['queries']} searches, each after a checkpoint of "
        f"{result['photos_per_checkpoint']} photos; before / now: p50 "
        f"{before['p50_ms'] / now['p50_ms']:.1f}x, p95 {before['p95_ms'] / now['p95_ms']:.1f}x; "
        f"torch threads {machine['torch_threads']}, load average {machine['loadavg_1_5_15']} "
        f"at the start, {machine['loadavg_after']} at the end.\n\n"
        + _format_drift(result["gate_drift"])
    )


def _format_drift(drift: dict) -> str:
    others = drift["other_samples"]
    return (
        f"Gate of a text query: {drift['whole']:.4f} on the whole library, "
        f"{drift['less_5_percent']:.4f} with 5 % of its photos taken out "
        f"(a change of {drift['less_5_percent'] - drift['whole']:+.4f}); with five other "
        f"samples of the whole library {min(others):.4f} to {max(others):.4f} "
        f"(a spread of {max(others) - min(others):.4f})."
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.gate_redraw", description=__doc__)
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--queries", type=int, default=40)
    p.add_argument("--photos-per-checkpoint", type=int, default=200)
    args = p.parse_args(argv)
    machine = machine_info()
    result = measure(args.n, args.queries, args.photos_per_checkpoint)
    machine["loadavg_after"] = machine_info()["loadavg_1_5_15"]
    print(format_table(result, machine))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
