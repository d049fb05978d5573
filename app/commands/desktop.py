"""`desktop`: put the photosearch window in the applications menu (Linux)."""

from __future__ import annotations

import argparse
import sys

from app import context
from app.autostart import desktop_entry
from app.errors import CommandError
from app.translation import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("desktop", help=_("add the window to the applications menu (Linux)"))
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    actions.add_parser("install", help=_("add the menu entry and its icon")).set_defaults(
        func=run_install
    )
    actions.add_parser("uninstall", help=_("remove them")).set_defaults(func=run_uninstall)


def run_install(args: argparse.Namespace) -> int:
    if sys.platform in ("darwin", "win32"):
        raise CommandError(
            _("desktop entries are for Linux desktops; start the window with: photosearch gui")
        )
    print("\n".join(desktop_entry.install(context.library_dir(args.library).absolute())))
    return 0


def run_uninstall(args: argparse.Namespace) -> int:
    print("\n".join(desktop_entry.uninstall()))
    return 0
