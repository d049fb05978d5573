"""`status`: what the library holds, and which files were skipped and why."""

from __future__ import annotations

import argparse
import json

from app import context
from app.messages import localized_text
from app.translation import _
from index.catalog import PENDING
from index.exclusions import patterns
from index.library import CATALOG_FILE, Library
from index.offline import is_offline
from index.paths import display
from index.text_index import TextIndex, TextProgress


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help=_("show the library: photos, folders, model, skipped files"))
    p.add_argument("--json", action="store_true", help=_("print a JSON object"))
    p.set_defaults(func=run_status)


def library_status(library: Library) -> dict:
    catalog = library.catalog
    counts = catalog.folder_counts()
    binding = library.binding
    skipped = catalog.skipped()
    text_engine = context.text_engine_id(load_runtime=False)
    return {
        "library": str(library.root),
        "photos": catalog.count(),
        "pending": catalog.count(PENDING),
        "folders": [
            {
                "path": f.path,
                "photos": counts.get(f.id, 0),
                "state": "offline" if is_offline(f) else "ok",
                "exclude": list(patterns(f)),
            }
            for f in catalog.folders()
        ],
        "model": binding.name if binding else None,
        "model_id": binding.model_id if binding else None,
        "skipped": len(skipped),
        "skipped_files": [{"path": display(r.path), "reason": r.reason} for r in skipped],
        "text": text_status(TextIndex(catalog).progress(text_engine)),
    }


def text_status(progress) -> dict:
    """The OCR pass, apart from the vector pass: photos read, with text, still to read."""
    reason = context.text_unavailable_reason(load_runtime=False)  # status reads nothing
    return {
        "available": reason is None,
        "reason": reason,
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
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return 0
    print(_("library:  {path}").format(path=info["library"]))
    print(_("model:    {name}").format(name=info["model"] or _("(none yet)")))
    pending = info["pending"]
    print(
        _("photos:   {count}").format(count=info["photos"])
        + (" " + _("({count} pending)").format(count=pending) if pending else "")
    )
    for f in info["folders"]:
        print(
            _("folder:   {path}  {count} photos").format(path=f["path"], count=f["photos"])
            + (
                "  " + _("[offline: drive unplugged? its photos are kept]")
                if f["state"] == "offline"
                else ""
            )
        )
        if f["exclude"]:
            print("          " + _("excludes: {patterns}").format(patterns=", ".join(f["exclude"])))
    text = info["text"]
    if text["available"]:
        print(
            _("text:     {read} photos read, {with_text} with text").format(
                read=text["read"], with_text=text["with_text"]
            )
            + (
                " " + _("({count} to read)").format(count=text["pending"])
                if text["pending"]
                else ""
            )
        )
    else:
        print(_("text:     {reason}").format(reason=localized_text(text["reason"])))
    print(_("skipped:  {count}").format(count=info["skipped"]))
    for s in info["skipped_files"]:
        print(f"  {s['path']}: {localized_text(s['reason'])}")
    return 0
