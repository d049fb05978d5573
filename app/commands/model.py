"""`model convert` and `model info`: the .sparse model file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.translation import _
from engine.sparse.settings import MODES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("model", help=_("convert a model to a .sparse file, or describe one"))
    group = p.add_subparsers(dest="model_command", metavar="ACTION")
    group.required = True

    c = group.add_parser("convert", help=_("write a sparsified model file"))
    c.add_argument(
        "--input",
        required=True,
        metavar="SOURCE",
        help=_(
            "the model to convert, named as --model names it (--weights applies too; or"
            " NAME:TAG, NAME:random, NAME:FILE)"
        ),
    )
    c.add_argument("--output", required=True, metavar="OUT.sparse", type=Path)
    c.add_argument("--sparsity", choices=MODES, default="dynamic")
    c.add_argument(
        "--calibrate",
        metavar="PHOTO_DIR",
        type=Path,
        help=_(
            "calibrate the dynamic settings on these photos; a captions.csv (file,caption)"
            " in the folder adds its captions as text queries (demo models default to rendered"
            " training scenes with statements)"
        ),
    )
    c.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    c.set_defaults(func=run_convert)

    i = group.add_parser("info", help=_("size, sparsity settings, source and measured effect"))
    i.add_argument("file", type=Path, metavar="FILE")
    i.add_argument("--json", action="store_true", help=_("print a JSON object"))
    i.set_defaults(func=run_info)


def run_convert(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from app.calibration import calibration_for
    from engine.registry import parse_source
    from engine.sparse.convert import check_output, convert

    spec = parse_source(args.input, args.weights)
    check_output(args.output)
    calibration = None
    if args.sparsity == "dynamic" and not spec.is_sparse:  # convert refuses a .sparse source
        calibration = calibration_for(spec, args.calibrate)
    bar: tqdm | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=_("calibrating"), unit="step", leave=False)
        bar.update(done - bar.n)

    try:
        result = convert(spec, args.output, args.sparsity, calibration, progress)
    finally:
        if bar is not None:
            bar.close()
    _print(result, args.json)
    return 0


def run_info(args: argparse.Namespace) -> int:
    from engine.sparse.convert import info

    _print(info(args.file), args.json)
    return 0


def _print(result: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2))
        return
    print(
        _("file:      {path} ({mb:.1f} MB)").format(
            path=result["file"], mb=result["size_bytes"] / 1e6
        )
    )
    print(
        _("source:    {source} (model id {model_id})").format(
            source=result["source"], model_id=result["source_model_id"]
        )
    )
    print(_("arch:      {arch}").format(arch=result["arch"]))
    settings = result["settings"]
    print(_("sparsity:  {mode}").format(mode=settings["mode"]))
    for key, value in settings.items():
        if key != "mode":
            print(f"  {key} = {value}")
    print(
        _("storage:   {int8} int8 matrices, {csr} CSR").format(
            int8=result["int8_matrices"], csr=result["csr_matrices"]
        )
    )
    effect = result["effect"]
    if effect:
        print(_("measured effect:"))
        for key, value in effect.items():
            shown = f"{value:.4f}" if isinstance(value, float) else value
            print(f"  {key} = {shown}")
    else:
        print(_("measured effect: unknown"))
