"""`gui`: open the desktop window."""

from __future__ import annotations

import argparse
import os

from app.translation import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help=_("open the desktop window"))
    p.set_defaults(func=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    from app.context import DEVICE_ENV
    from app.gui.main import run

    if args.device:  # the window's encoders come from make_encoder, which reads the env
        os.environ[DEVICE_ENV] = args.device
    return run(args.library, args.model, args.weights, args.debug)
