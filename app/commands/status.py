"""`status`: what the library holds, and which files were skipped and why."""

from __future__ import annotations

import argparse
import json

from app import context
from index.catalog import PENDING
from index.library import CATALOG_FILE, Library
from index.offline import is_offline
from index.paths import display
from index.text_index import TextIndex, TextProgress


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="show the library: photos, folders, model, skipped files")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(func=run_status)


def library_status(library: Library) -> dict:
    catalog = library.catalog
    counts = catalog.folder_counts()
    binding = library.binding
    skipped = catalog.skipped()
    return {
        "library": str(library.root),
        "photos": catalog.count(),
        "pending": catalog.count(PENDING),
        "folders": [
            {
                "path": f.path,
                "photos": counts.get(f.id, 0),
                "state": "offline" if is_offline(f) else "ok",
            }
            for f in catalog.folders()
        ],
        "model": binding.name if binding else None,
        "model_id": binding.model_id if binding else None,
        "skipped": len(skipped),
        "skipped_files": [{"path": display(r.path), "reason": r.reason} for r in skipped],
        "text": text_status(TextIndex(catalog).progress(context.text_engine_id())),
    }


def text_status(progress) -> dict:
    """The OCR pass, apart from the vector pass: photos read, with text, still to read."""
    return {
        "available": context.text_unavailable_reason() is None,
        "reason": context.text_unavailable_reason(),
        "read": progress.done,
        "pending": progress.total - progress.done,
        "with_text": progress.with_text,
    }


def run_status(args: argparse.Namespace) -> int:
    root = context.library_dir(args.library)
    if not (root / CATALOG_FILE).exists():
        info = {
            "library": str(root),
            "photos": 0,
            "pending": 0,
            "folders": [],
            "model": None,
            "model_id": None,
            "skipped": 0,
            "skipped_files": [],
            "text": text_status(TextProgress(0, 0, 0)),
        }
    else:
        with Library(root, writable=False) as library:
            info = library_status(library)
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"library:  {info['library']}")
    print(f"model:    {info['model'] or '(none yet)'}")
    print(
        f"photos:   {info['photos']}" + (f" ({info['pending']} pending)" if info["pending"] else "")
    )
    for f in info["folders"]:
        print(
            f"folder:   {f['path']}  {f['photos']} photos"
            + (
                "  [offline: drive unplugged? its photos are kept]"
                if f["state"] == "offline"
                else ""
            )
        )
    text = info["text"]
    if text["available"]:
        print(
            f"text:     {text['read']} photos read, {text['with_text']} with text"
            + (f" ({text['pending']} to read)" if text["pending"] else "")
        )
    else:
        print(f"text:     {text['reason']}")
    print(f"skipped:  {info['skipped']}")
    for s in info["skipped_files"]:
        print(f"  {s['path']}: {s['reason']}")
    return 0
