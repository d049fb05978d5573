"""`service`: run `photosearch watch` at login (systemd user unit, launchd agent, Windows
startup entry), so the library stays current and searches answer at once."""

from __future__ import annotations

import argparse

from app import context
from app.autostart.platform import login_service
from app.errors import CommandError
from app.query_client import ask
from app.query_protocol import PING, VERSION
from app.translation import _


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "service",
        help=_("run `watch` for this library at login: install, uninstall, status"),
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    actions.add_parser("install", help=_("start `watch` now and at each login")).set_defaults(
        func=run_install
    )
    actions.add_parser("uninstall", help=_("stop it and remove the login entry")).set_defaults(
        func=run_uninstall
    )
    actions.add_parser("status", help=_("installed? running?")).set_defaults(func=run_status)


def run_install(args: argparse.Namespace) -> int:
    with context.open_library(args.library, writable=False) as library:
        if not library.catalog.folders():
            raise CommandError(
                _("the library has no folders yet; first run: photosearch index DIR")
            )
        root = library.root
    try:
        lines = login_service().install(root)
    except OSError as exc:
        raise CommandError(str(exc)) from None
    print("\n".join(lines))
    return 0


def run_uninstall(args: argparse.Namespace) -> int:
    print("\n".join(login_service().uninstall()))
    return 0


def run_status(args: argparse.Namespace) -> int:
    path, installed, word = login_service().state()
    state = _("installed") if installed else _("not installed")
    print(_("login service: {state} ({path})").format(state=state, path=path))
    if word:
        print(_("service manager: {state}").format(state=word))
    root = context.library_dir(args.library).absolute()
    reply = ask(root, {"v": VERSION, "op": PING}, timeout=5)
    if reply and reply.get("ok"):
        line = _("running: yes, answering searches for {library} (pid {pid})")
        print(line.format(library=root, pid=reply["pid"]))
    else:
        print(_("running: no (nothing answers searches for {library})").format(library=root))
    return 0
