"""Where good matches end: precision/recall of the cutoff rule, and the nonsense rate.

    python -m bench.cutoff [--model demo-resnet --model demo] [--count 1200] [--write]

The held-out demo set of bench.quality (``--count`` rendered scenes, captions saying what
each shows) is encoded with each model and put in a real vector store; each query runs
through the product's own rule (``index.cutoff``: lift over the query's median, gate
calibrated with random strings, relative cut), reading its top ``TOP`` results.

* Real queries: the 120 held-out queries in English and in Chinese (the demo models read
  both; relevance recomputed from the Chinese text, as bench.quality does), and 20
  subtractions ("a circle - red": relevant when a circle of another colour is in the photo).
  A result marked good is a true positive when its caption satisfies the query; recall is
  over every relevant photo in the set.
* Nonsense: "asdfgh"-style keyboard runs and random Latin strings, and random Han-character
  strings (both seeded apart from the calibration strings); the rate is the fraction with no
  result marked good.

Each setting is the product's rule (null strings in the query's own script); one more row
calibrates every query with Latin null strings, what the rule did before it had scripts.

Baselines in the same run: the first 10 results all taken as good (today's behaviour), and
one flat score threshold, set where 90 % of the nonsense queries' best scores fall below
it (chosen on the test nonsense itself, so flattering to the flat rule).
"""

from __future__ import annotations

import argparse
import json
import shutil
import string
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench import quality
from bench._common import machine_info, write_section
from engine.demo.scenes.captions import noun_phrase
from engine.demo.scenes.captions_csv import read_captions
from engine.demo.scenes.chinese_phrases import phrased
from engine.demo.scenes.held_out import held_out_queries
from engine.demo.scenes.matching import caption_satisfies
from engine.demo.scenes.scene import COLOURS, SHAPES
from engine.encoder import ClipEncoder
from index.cutoff import DEFAULT_RULE, HAN, LATIN, Calibration, CutoffRule, null_texts
from index.library import Library, ModelBinding
from index.query import Query, combine, parse_query
from index.vector_store import TEXT_EF_SEARCH

TOP = 200
SETTINGS = ((0.9, 0.9), (0.95, 0.8), (0.95, 0.9), (0.95, 0.95), (0.975, 0.9), (1.0, 0.9))
LATIN_ONLY = "latin-only"  # the default rule with Latin null strings for every query
KEYBOARD = ("asdfgh", "qwerty", "zxcvbn", "hjkl", "lorem ipsum", "asdf jkl", "qwertyuiop")
HEADING = "## Where good matches end (issue 21)"


def nonsense_queries(seed: int = 4242) -> list[str]:
    rng = np.random.default_rng(seed)
    out = list(KEYBOARD)
    for alphabet in (string.ascii_lowercase, string.ascii_letters + string.digits + "#!?&"):
        out += ["".join(rng.choice(list(alphabet), int(rng.integers(3, 16)))) for _ in range(60)]
    return out


def han_nonsense_queries(seed: int = 4242) -> list[str]:
    """120 random Han-character strings, drawn as the calibration's but with another seed."""
    return null_texts(120, seed, HAN)


def subtraction_queries(captions: list[str]) -> tuple[list[str], np.ndarray]:
    """20 "a SHAPE - COLOUR" queries and their relevance over ``captions``."""
    rng = np.random.default_rng(7)
    colours, queries, rows = list(COLOURS), [], []
    while len(queries) < 20:
        shape = SHAPES[int(rng.integers(len(SHAPES)))]
        colour = colours[int(rng.integers(len(colours)))]
        text = f"a {shape} - {colour}"
        if text in queries:
            continue
        others = [noun_phrase("a", c, shape) for c in colours if c != colour]
        queries.append(text)
        rows.append([any(caption_satisfies(cap, o) for o in others) for cap in captions])
    return queries, np.array(rows, dtype=bool)


def _library(root: Path, encoder: ClipEncoder, vectors: np.ndarray) -> Library:
    library = Library(root, writable=True)
    library.bind(ModelBinding(encoder.spec.name, None, encoder.model_id, encoder.dim))
    library.store.add(range(1, len(vectors) + 1), vectors)
    return library


def _term_vectors(encoder: ClipEncoder, queries: list[str]) -> list[tuple[Query, np.ndarray]]:
    return [(q, encoder.encode_texts(q.texts)) for q in map(parse_query, queries)]


def evaluate(
    calibration: Calibration,
    queries: list[tuple[Query, np.ndarray]],
    relevant: np.ndarray | None,
    script: str | None = None,
) -> dict:
    """The product's flags (Calibration.flags) on each query's top ``TOP``."""
    store = calibration.library.store
    vectors = np.stack([combine(q.weights, parts) for q, parts in queries])
    labels, scores = store.search(vectors, TOP, ef=TEXT_EF_SEARCH)
    tp = marked = with_good = 0
    for i, (query, parts) in enumerate(queries):
        flags = calibration.flags(query, parts, scores[i], TEXT_EF_SEARCH, script)
        hits = relevant[i, labels[i] - 1] if relevant is not None else np.zeros(TOP, bool)
        tp += int((flags & hits).sum())
        marked += int(flags.sum())
        with_good += bool(flags.any())
    total = int(relevant.sum()) if relevant is not None else 0
    return {
        "precision": tp / marked if marked else None,  # None: nothing marked good
        "recall": tp / total if total else 0.0,
        "with_good": with_good / len(queries),
    }


def baselines(scores: np.ndarray, labels: np.ndarray, relevant: np.ndarray, nonsense_top: list):
    flat = float(np.quantile(nonsense_top, 0.9))
    out = {}
    for name, flags in (
        ("first 10 results, all good", np.arange(TOP)[None, :] < 10),
        (f"flat score >= {flat:.3f}", scores > flat),
    ):
        flags = np.broadcast_to(flags, scores.shape)
        hits = np.take_along_axis(relevant, labels - 1, axis=1)
        marked = int(flags.sum())
        out[name] = {
            "precision": int((flags & hits).sum()) / marked if marked else 1.0,
            "recall": int((flags & hits).sum()) / int(relevant.sum()),
            "with_good": float(flags.any(axis=1).mean()),
            "nonsense_none": float(np.mean([s <= flat for s in nonsense_top]))
            if "flat" in name
            else 0.0,
        }
    return out


def run_model(model: str, csv_path: Path) -> dict:
    rows = read_captions(csv_path)
    captions = [c for _, c in rows]
    encoder = ClipEncoder(model)
    images = quality.encode_files(encoder, [csv_path.parent / n for n, _ in rows])
    held = held_out_queries()
    held_relevant = quality.relevance(captions, held)
    chinese = [phrased(q, "zh") for q in held]
    chinese_relevant = quality.relevance(captions, chinese)
    subtractions, sub_relevant = subtraction_queries(captions)
    nonsense = nonsense_queries()
    root = Path(tempfile.mkdtemp(prefix="photosearch-cutoff-"))
    try:
        library = _library(root / "library", encoder, images)
        sets = {
            "held_out": (_term_vectors(encoder, held), held_relevant),
            "chinese": (_term_vectors(encoder, chinese), chinese_relevant),
            "subtractions": (_term_vectors(encoder, subtractions), sub_relevant),
            "nonsense": (_term_vectors(encoder, nonsense), None),
            "han_nonsense": (_term_vectors(encoder, han_nonsense_queries()), None),
        }
        out: dict = {"model": model, "model_id": encoder.model_id, "settings": []}
        runs = [(q, r, None) for q, r in SETTINGS]
        runs.append((DEFAULT_RULE.gate_quantile, DEFAULT_RULE.relative, LATIN))
        for gate_q, relative, script in runs:
            cal = Calibration(library, encoder.encode_texts, CutoffRule(gate_q, relative))
            row = {name: evaluate(cal, q, r, script) for name, (q, r) in sets.items()}
            for name in ("nonsense", "han_nonsense"):
                row[f"{name}_none"] = 1.0 - row.pop(name)["with_good"]
            row.update(gate_quantile=gate_q, relative=relative, nulls=script or "own script")
            out["settings"].append(row)
        held_q, nonsense_q = sets["held_out"][0], sets["nonsense"][0]
        held_v = np.concatenate([parts for _, parts in held_q])
        labels, scores = library.store.search(held_v, TOP, ef=TEXT_EF_SEARCH)
        junk_v = np.concatenate([parts for _, parts in nonsense_q])
        _, junk_scores = library.store.search(junk_v, 1, ef=TEXT_EF_SEARCH)
        out["baselines"] = baselines(scores, labels, held_relevant, list(junk_scores[:, 0]))
        out.update(n_images=len(rows), n_nonsense=len(nonsense))
        library.close()
        return out
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _p(row: dict) -> str:
    return "-" if row["precision"] is None else f"{row['precision']:.3f}"


def _rule(s: dict) -> str:
    name = f"gate q{s['gate_quantile']}, relative {s['relative']}"
    if s["nulls"] == LATIN:
        return name + ", Latin null strings for every query"
    default = (s["gate_quantile"], s["relative"]) == (
        DEFAULT_RULE.gate_quantile,
        DEFAULT_RULE.relative,
    )
    return name + (" (default)" if default else "")


def format_tables(results: list[dict], machine: dict, command: str) -> str:
    load = ", ".join(f"{x:.1f}" for x in machine["loadavg_1_5_15"])
    lines = [
        HEADING,
        "",
        f"`{command}`, {machine['date']}, {machine['cores']} cores (shared and busy, load"
        f" average {load} at the start). Held-out demo set ({results[0]['n_images']} photos,"
        f" 120 queries in English and the same in Chinese, 20 subtractions),"
        f" {results[0]['n_nonsense']} Latin and 120 Han nonsense queries; each query reads its"
        f" top {TOP}. P/R: precision/recall of the results marked good; 'kept': queries with"
        " at least one good match; 'nonsense none': nonsense queries with no result marked"
        " good (Latin / Han).",
    ]
    for r in results:
        lines += [
            "",
            f"### {r['model']}",
            "",
            "| rule | English P | R | kept | Chinese P | R | kept | subtractions P | kept"
            " | nonsense none | Han nonsense none |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in r["settings"]:
            h, zh, sub = s["held_out"], s["chinese"], s["subtractions"]
            lines.append(
                f"| {_rule(s)} | {_p(h)} | {h['recall']:.3f} | {h['with_good']:.2f}"
                f" | {_p(zh)} | {zh['recall']:.3f} | {zh['with_good']:.2f}"
                f" | {_p(sub)} | {sub['with_good']:.2f}"
                f" | {s['nonsense_none']:.3f} | {s['han_nonsense_none']:.3f} |"
            )
        for name, b in r["baselines"].items():
            none = f"{b['nonsense_none']:.3f}" if "flat" in name else "0.000"
            lines.append(
                f"| baseline: {name} | {b['precision']:.3f} | {b['recall']:.3f}"
                f" | {b['with_good']:.2f} | | | | | | {none} | |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description="Cutoff precision/recall and nonsense rate.")
    p.add_argument("--model", action="append", help="demo-resnet and demo by default")
    p.add_argument("--count", type=int, default=quality.DEFAULT_COUNT, help="held-out images")
    p.add_argument("--data-dir", help="keep/reuse the rendered held-out set here")
    p.add_argument("--write", action="store_true", help="write the section of BENCHMARKS.md")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="photosearch-cutoff-set-"))
    try:
        csv_path = quality._held_out_folder(data_dir, args.count, 0)
        results = [run_model(m, csv_path) for m in args.model or ["demo-resnet", "demo"]]
    finally:
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    shown = ["DIR" if i and argv[i - 1] == "--data-dir" else a for i, a in enumerate(argv)]
    text = format_tables(results, machine_info(), "python -m bench.cutoff " + " ".join(shown))
    print(json.dumps(results) if args.json else text)
    if args.write:
        write_section(HEADING, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
