"""The options every command accepts (before or after the command name). Light: the
query-service client parses them too."""

from __future__ import annotations

import argparse
import os

from app.translation import _
from engine.device_names import DEVICES

DEVICE_ENV = "PHOTOSEARCH_DEVICE"


def device_choice(option: str | None) -> str | None:
    """``--device``, else ``$PHOTOSEARCH_DEVICE``, else None (``auto``); never remembered."""
    return option or os.environ.get(DEVICE_ENV) or None


def add_global_options(parser: argparse.ArgumentParser, default, *, brief: bool = False) -> None:
    """``brief``: a short --model help that needs no model registry (the query-service
    client's parser, which must not import the model code, never prints help)."""
    if brief:
        model_help = "model name"
    else:
        from engine.registry import model_names_help

        model_help = model_names_help(_)

    group = parser.add_argument_group(_("global options"))
    group.add_argument(
        "--library",
        metavar="DIR",
        default=default,
        help=_("library folder (env PHOTOSEARCH_LIBRARY; default: your data dir)"),
    )
    group.add_argument(
        "--model",
        metavar="NAME",
        default=default,
        help=model_help,
    )
    group.add_argument(
        "--weights",
        metavar="TAG|FILE|random",
        default=default,
        help=_("pretrained tag (downloaded once), a checkpoint file, or random"),
    )
    group.add_argument(
        "--device",
        choices=DEVICES,
        default=default,
        help=_(
            "where to encode: auto tries cuda, then mps, then cpu (env PHOTOSEARCH_DEVICE;"
            " default auto)"
        ),
    )
    group.add_argument(
        "--debug",
        action="store_true",
        default=False if default is None else default,
        help=_("show tracebacks and debug logs"),
    )
