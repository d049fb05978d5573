"""The `photosearch` command line."""

from __future__ import annotations

import argparse
import os
import sys

from app.global_options import add_global_options
from app.translation import _, use_language

# logging, signal and threading are imported where used: a search answered by the query
# service never needs them (a cold search's cost is mostly its imports).

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM (logout, a service stop, `kill`): stop the way Ctrl-C does.

    Raised in the main thread, it unwinds through the indexer's checkpoint, so the photos
    encoded so far are saved before the process exits.
    """


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


def build_parser() -> argparse.ArgumentParser:
    from app.commands import indexing, query, status

    parser = argparse.ArgumentParser(
        prog="photosearch",
        description=_("Semantic photo search on your own computer. Nothing leaves the machine."),
    )
    add_global_options(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in (indexing, query, status, *_optional_command_modules()):
        module.register(sub)
    # Global options are accepted after the command too ("index DIR --model RN50").
    for subparser in _all_subparsers(sub):
        add_global_options(subparser, default=argparse.SUPPRESS)
    return parser


def _all_subparsers(sub: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    found = []
    for subparser in dict.fromkeys(sub.choices.values()):
        nested = [a for a in subparser._actions if isinstance(a, argparse._SubParsersAction)]
        found.extend(_all_subparsers(nested[0]) if nested else [subparser])
    return found


def _optional_command_modules() -> list:
    """Command groups added by later features; each is a module with register()."""
    import importlib

    modules = []
    names = ("demo", "model", "watch", "gui", "duplicates", "browse", "service", "desktop")
    for name in names:
        try:
            modules.append(importlib.import_module(f"app.commands.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"app.commands.{name}":
                raise
    return modules


def setup_logging(debug: bool) -> None:
    import logging

    from app.progress import TqdmLogHandler

    handler = TqdmLogHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    # Third-party libraries log chatter at WARNING (open_clip on random weights).
    root.setLevel(logging.DEBUG if debug else logging.ERROR)
    logging.getLogger("photosearch").setLevel(logging.DEBUG if debug else logging.INFO)


def main(argv: list[str] | None = None) -> int:
    try:
        return _run(argv)
    except BrokenPipeError:  # the reader went away (`photosearch search ... | head`)
        # Python would report the pipe again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR


def _run(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    use_language()
    from app.query_client import search_through_service

    answered = search_through_service(argv)  # before anything imports the model
    if answered is not None:
        return answered
    import signal
    import threading

    from app.errors import USER_ERRORS, UsageError

    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.debug)
    # Not for the window: Qt's event loop would hold a Python handler back indefinitely.
    if args.command != "gui" and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        return args.func(args) or EXIT_OK
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(_("photosearch: error: {message}").format(message=exc), file=sys.stderr)
        return EXIT_USAGE
    except USER_ERRORS as exc:
        if args.debug:
            raise
        from app.messages import localized

        message = localized(exc)
        print(_("photosearch: error: {message}").format(message=message), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt as exc:
        if isinstance(exc, Terminated):
            print(_("photosearch: stopped by SIGTERM; finished work is saved"), file=sys.stderr)
        else:
            print(_("photosearch: interrupted; finished work is saved"), file=sys.stderr)
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as exc:  # last resort: one line, never a traceback without --debug
        if args.debug:
            raise
        message = f"{type(exc).__name__}: {exc}"
        print(_("photosearch: error: {message}").format(message=message), file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
