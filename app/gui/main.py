"""Start the desktop application: ``photosearch gui`` or ``photosearch-gui``."""

from __future__ import annotations

import argparse
import logging
import sys

from app.gui.settings import APPLICATION, ORGANIZATION


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="photosearch-gui", description="photosearch window")
    parser.add_argument("--library", metavar="DIR", help="library folder")
    parser.add_argument("--model", metavar="NAME", help="model name or .sparse file")
    parser.add_argument("--weights", metavar="TAG|FILE|random", help="model weights")
    parser.add_argument("--debug", action="store_true", help="debug logs")
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

    from PySide6.QtWidgets import QApplication

    from app.gui.main_window import GuiOptions, MainWindow

    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("photosearch")
    window = MainWindow(GuiOptions(library=library, model=model, weights=weights))
    window.show()
    return app.exec()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run(args.library, args.model, args.weights, args.debug)


if __name__ == "__main__":
    sys.exit(main())
