"""`gui`: open the desktop window."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the desktop window")
    p.set_defaults(func=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    from app.gui.main import run

    return run(args.library, args.model, args.weights, args.debug)
