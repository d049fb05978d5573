"""Text-to-image retrieval quality on held-out demo scenes (or any captioned folder).

    .venv/bin/python -m bench.quality --model demo [--weights W] [--json] [--count 1200]
    .venv/bin/python -m bench.quality --model demo-resnet --captions DIR/captions.csv
    .venv/bin/python -m bench.quality --model demo --lang zh|mixed|all [--json]

Images go through the product path: files on disk, ``engine.images.load_image`` and the
encoder's own preprocess; ranking is exact cosine similarity over all images.

Without ``--captions`` the set is ``--count`` held-out scenes written as JPEG/PNG photos by
``engine.demo.scenes.folder.write_demo_folder`` (scene i satisfies held-out query i mod 120, so with
the default 1,200 images every query has at least 10 relevant images), and the queries are
the 120 ``held_out_queries()``, phrased in ``--lang``: ``en`` (as written), ``zh`` (Chinese,
``engine.demo.scenes.chinese_phrases.to_chinese``), ``mixed`` (colour words in Chinese: "a 红色
circle") or ``all`` (each of them on the same encoded images, ``by_lang`` in the JSON).
With ``--captions`` the images are the CSV's files, and the
queries are the held-out queries with at least one relevant image among them
(``--queries captions``: the distinct captions themselves).

An image is relevant to a query when its caption satisfies the query
(``engine.demo.scenes.matching.caption_satisfies``). Metrics, averaged over queries:

* ``recall@k``: fraction of queries with at least one relevant image in the top k;
* ``precision@10``: relevant images in the top 10, divided by 10 (the standard definition);
* ``precision@10_capped``: divided by min(10, number of relevant images) instead, which
  equals ``precision@10`` when every query has >= 10 relevant images (the default set).

On the held-out scenes it also runs two-scene tests of relation queries (``pairs``): for a
query "a A left of a B" (or right of, above, below), is a scene where it holds ranked above
one with the same two objects the other way round (``direction``), or above one with their
colours swapped (``binding``)? 0.5 is chance; each is the fraction of 60 query/scene triples.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from engine.demo.scenes.captions import noun_phrase
from engine.demo.scenes.captions_csv import read_captions
from engine.demo.scenes.chinese_phrases import LANGUAGES, phrased
from engine.demo.scenes.folder import write_demo_folder
from engine.demo.scenes.generate import scene_for_query
from engine.demo.scenes.held_out import held_out_queries
from engine.demo.scenes.matching import caption_constraints
from engine.demo.scenes.query import parse_query
from engine.demo.scenes.render import render_scene
from engine.demo.scenes.scene import COLOURS, RELATIONS, SHAPES, ObjectSpec
from engine.demo.scenes.statements import near_miss_statements
from engine.encoder import ClipEncoder
from engine.images import load_image

KS = (1, 5, 10)
DEFAULT_COUNT = 1200
PAIR_TRIALS = 60


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def query_kind(query: str) -> str:
    """Which attribute combination a query tests (for the per-kind breakdown)."""
    constraints = parse_query(query)
    kinds = {c[0] for c in constraints}
    if "relation" in kinds:
        return "relation"
    if "background" in kinds:
        return "background"
    spec, count = next((c[1], c[2]) for c in constraints if c[0] == "object")
    if count is not None:
        return "count"
    return "size" if spec.size else "colour+shape"


def relevance(captions: list[str], queries: list[str]) -> np.ndarray:
    """Boolean (queries, images): caption j satisfies query i. Unparseable captions match none."""
    holds = []
    for text in captions:
        try:
            holds.append(caption_constraints(text))
        except ValueError:
            holds.append(frozenset())
    wanted = [parse_query(q) for q in queries]
    return np.array([[w <= h for h in holds] for w in wanted], dtype=bool)


def retrieval_metrics(similarity: np.ndarray, relevant: np.ndarray) -> dict[str, float]:
    """recall@k, precision@10 (and capped) for a (queries, images) similarity matrix."""
    top = np.argsort(-similarity, axis=1, kind="stable")[:, : max(KS)]
    hits = np.take_along_axis(relevant, top, axis=1)
    out = {f"recall@{k}": float(hits[:, :k].any(axis=1).mean()) for k in KS}
    n_relevant = relevant.sum(axis=1)
    out["precision@10"] = float((hits[:, :10].sum(axis=1) / 10).mean())
    out["precision@10_capped"] = float(
        (hits[:, :10].sum(axis=1) / np.minimum(10, np.maximum(n_relevant, 1))).mean()
    )
    return out


def encode_files(encoder: ClipEncoder, paths: list[Path], batch: int = 64) -> np.ndarray:
    chunks = []
    for i in range(0, len(paths), batch):
        images = [load_image(p, min_side=encoder.image_size) for p in paths[i : i + batch]]
        chunks.append(encoder.encode_images(images))
        _log(f"  encoded {min(i + batch, len(paths))}/{len(paths)} images")
    return np.concatenate(chunks)


def _held_out_folder(data_dir: Path, count: int, seed: int) -> Path:
    """A folder of held-out scenes, reused when it was written with the same count/seed."""
    meta_path = data_dir / "bench-meta.json"
    meta = {"count": count, "seed": seed}
    csv_path = data_dir / "captions.csv"
    if csv_path.is_file() and meta_path.is_file() and json.loads(meta_path.read_text()) == meta:
        return csv_path
    _log(f"rendering {count} held-out scenes into {data_dir} ...")
    write_demo_folder(data_dir, count, seed)
    meta_path.write_text(json.dumps(meta))
    return csv_path


def run(args: argparse.Namespace) -> dict:
    temp_dir = None
    if args.captions:
        csv_path = Path(args.captions)
    else:
        if args.data_dir:
            data_dir = Path(args.data_dir)
        else:
            temp_dir = data_dir = Path(tempfile.mkdtemp(prefix="photosearch-bench-"))
        csv_path = _held_out_folder(data_dir, args.count, args.seed)
    try:
        rows = read_captions(csv_path)
        paths = [csv_path.parent / name for name, _ in rows]
        captions = [text for _, text in rows]
        if args.queries == "captions":
            queries = sorted(set(captions))
        else:
            queries = held_out_queries()
        relevant = relevance(captions, queries)
        keep = relevant.any(axis=1)
        queries = [q for q, k in zip(queries, keep, strict=True) if k]
        relevant = relevant[keep]
        if not queries:
            raise SystemExit("no query has a relevant image among these captions")

        encoder = ClipEncoder(args.model, args.weights)
        start = time.time()
        image_vectors = encode_files(encoder, paths)
        encode_s = time.time() - start
    finally:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)

    result: dict = {"model": args.model, "model_id": encoder.model_id}
    n_relevant = relevant.sum(axis=1)
    result.update(
        n_images=len(paths),
        n_queries=len(queries),
        min_relevant=int(n_relevant.min()),
        median_relevant=float(np.median(n_relevant)),
        encode_seconds=round(encode_s, 1),
    )
    languages = LANGUAGES if args.lang == "all" else (args.lang,)
    by_lang = {
        lang: _language_result(encoder, image_vectors, captions, queries, lang, args)
        for lang in languages
    }
    if args.lang == "all":
        result["by_lang"] = by_lang
    else:
        result.update(lang=args.lang, **by_lang[args.lang])
    return result


def _language_result(
    encoder: ClipEncoder,
    image_vectors: np.ndarray,
    captions: list[str],
    queries: list[str],
    lang: str,
    args: argparse.Namespace,
) -> dict:
    """Metrics of the queries phrased in ``lang``; relevance is recomputed from the phrased
    text, so the query grammar's reading of it is checked too."""
    texts = [phrased(q, lang) for q in queries]
    relevant = relevance(captions, texts)
    similarity = encoder.encode_texts(texts) @ image_vectors.T
    result: dict = retrieval_metrics(similarity, relevant)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, query in enumerate(queries):
        by_kind[query_kind(query)].append(i)
    result["by_kind"] = {
        kind: {"n_queries": len(idx), **retrieval_metrics(similarity[idx], relevant[idx])}
        for kind, idx in sorted(by_kind.items())
    }
    if not args.captions:
        result["pairs"] = pair_tests(encoder, args.seed, lang=lang)
    return result


def pair_tests(
    encoder: ClipEncoder, seed: int, trials: int = PAIR_TRIALS, lang: str = "en"
) -> dict[str, float]:
    """Fraction of relation queries that rank their scene above a near miss (see module doc)."""
    rng = np.random.default_rng([7, seed])
    colours, shapes = list(COLOURS), SHAPES
    wins = {"direction": 0, "binding": 0}
    for i in range(trials):
        c1, c2 = (colours[j] for j in rng.choice(len(colours), 2, replace=False))
        s1, s2 = (shapes[j] for j in rng.choice(len(shapes), 2, replace=False))
        relation = RELATIONS[i % len(RELATIONS)]
        a, b = ObjectSpec(c1, s1, None), ObjectSpec(c2, s2, None)
        query = f"{noun_phrase('a', c1, s1)} {relation} {noun_phrase('a', c2, s2)}"
        near_misses = near_miss_statements(a, relation, b)  # colours differ: both kinds
        texts = [query, *near_misses.values()]
        images = [render_scene(scene_for_query(t, rng, split="eval"), (800, 600)) for t in texts]
        scores = encoder.encode_texts([phrased(query, lang)]) @ encoder.encode_images(images).T
        for k, name in enumerate(near_misses, start=1):
            wins[name] += int(scores[0, 0] > scores[0, k])
    return {name: n / trials for name, n in wins.items()}


def _print_table(result: dict) -> None:
    print(
        f"{result['model']} ({result['model_id']}): {result['n_images']} images, "
        f"{result['n_queries']} queries (>= {result['min_relevant']} relevant each)"
    )
    for lang, metrics in result.get("by_lang", {result.get("lang", "en"): result}).items():
        print(f"queries in {lang}:")
        _print_metrics(metrics)


def _print_metrics(result: dict) -> None:
    header = ("", "R@1", "R@5", "R@10", "P@10", "P@10cap")
    keys = ("recall@1", "recall@5", "recall@10", "precision@10", "precision@10_capped")
    print(f"{header[0]:<16}" + "".join(f"{h:>9}" for h in header[1:]))
    rows = [("all", result)] + [
        (f"{k} ({v['n_queries']})", v) for k, v in result["by_kind"].items()
    ]
    for name, metrics in rows:
        print(f"{name:<16}" + "".join(f"{metrics[k]:9.3f}" for k in keys))
    if "pairs" in result:
        pairs = result["pairs"]
        print(
            f"relation pairs (chance 0.5): direction {pairs['direction']:.3f}, "
            f"binding {pairs['binding']:.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Text-to-image retrieval quality benchmark.")
    parser.add_argument("--model", default="demo", help="demo, demo-resnet, ViT-B-32, ...")
    parser.add_argument("--weights", help="weights file or pretrained tag (default: model's own)")
    parser.add_argument("--captions", help="a file,caption CSV; images are relative to it")
    parser.add_argument("--queries", choices=("held-out", "captions"), default="held-out")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="held-out images")
    parser.add_argument("--seed", type=int, default=0, help="held-out set seed")
    parser.add_argument("--data-dir", help="keep/reuse the rendered held-out set here")
    parser.add_argument(
        "--lang", choices=(*LANGUAGES, "all"), default="en", help="language of the queries"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result))
    else:
        _print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
