"""Start the desktop application: ``photosearch gui`` or ``photosearch-gui``."""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from app.gui.settings import APPLICATION, ORGANIZATION
from app.translation import _, use_language

SIGNAL_CHECK_MS = 200


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="photosearch-gui", description=_("photosearch window"))
    parser.add_argument("--library", metavar="DIR", help=_("library folder"))
    parser.add_argument("--model", metavar="NAME", help=_("model name or .sparse file"))
    parser.add_argument("--weights", metavar="TAG|FILE|random", help=_("model weights"))
    parser.add_argument("--debug", action="store_true", help=_("debug logs"))
    return parser


def run(
    library: str | None = None,
    model: str | None = None,
    weights: str | None = None,
    debug: bool = False,
) -> int:
    from app.gui.platform_check import check_platform

    why_not = check_platform()
    if why_not is not None:
        print(why_not, file=sys.stderr)
        return 1

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.gui.main_window import GuiOptions, MainWindow
    from app.gui.settings import GuiSettings
    from app.gui.translator import install_language

    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("photosearch")
    install_language(GuiSettings.load().language)
    window = MainWindow(GuiOptions(library=library, model=model, weights=weights))
    window.show()
    # SIGTERM (logout, `kill`) and Ctrl-C close the window as its close button does: indexing
    # stops at a checkpoint and the library is saved. Python runs signal handlers only
    # between its own bytecodes, so a light timer lets it in while Qt's loop waits.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: window.close())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(SIGNAL_CHECK_MS)
    code = app.exec()
    window.controller.shutdown()  # a no-op after a close; needed if the loop ended otherwise
    return code


def main(argv: list[str] | None = None) -> int:
    use_language()
    args = build_parser().parse_args(argv)
    return run(args.library, args.model, args.weights, args.debug)


if __name__ == "__main__":
    sys.exit(main())
