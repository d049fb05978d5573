"""open_clip without importing transformers or timm until a tower needs them.

open_clip imports both at its own import: transformers for hub text towers
(``open_clip.hf_model``) and CoCa's text generation (``open_clip.coca_model``), timm for timm
image towers (``open_clip.timm_model``). A CLIP model with its own towers (ViT-B-32, RN50,
the demo models) never calls either, yet they cost about 1 s of CPU at every cold start
(docs/BENCHMARKS.md, "Cold search without the query service"). While open_clip is imported
(:func:`install`'s hook on its first import) neither can be imported, so those modules take
their own branch for a machine without them; the block ends with that import.
:func:`bind` imports the real package and gives open_clip's module the names its import
would have bound (its functions look them up when called): :mod:`engine.dense` calls it
before building a model with such a tower. CoCa stays without: captioning models are not
supported.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Iterator

from engine import import_hook, without_compiler

_HOOKED = "open_clip"
# package -> (open_clip's module that imports it, {name it binds: where the name comes from})
_BINDINGS: dict[str, tuple[str, dict[str, str]]] = {
    "transformers": (
        "open_clip.hf_model",
        {
            "AutoModel": "transformers",
            "AutoTokenizer": "transformers",
            "AutoConfig": "transformers",
            "PretrainedConfig": "transformers",
            "BaseModelOutput": "transformers.modeling_outputs",
            "BaseModelOutputWithPooling": "transformers.modeling_outputs",
            "BaseModelOutputWithPoolingAndCrossAttentions": "transformers.modeling_outputs",
        },
    ),
    "timm": (
        "open_clip.timm_model",
        {
            "RotAttentionPool2d": "timm.layers",
            "AbsAttentionPool2d": "timm.layers:AttentionPool2d",
            "Mlp": "timm.layers",
            "to_2tuple": "timm.layers",
        },
    ),
}


def install() -> None:
    """Hook the next import of open_clip (idempotent; nothing once it is imported)."""
    if _HOOKED not in sys.modules:
        import_hook.hook_first_import((_HOOKED,), _without_optionals)


def bind(package: str) -> None:
    """open_clip's towers that use ``package`` ("transformers" or "timm"), with the real
    package (imported now if need be)."""
    module_name, names = _BINDINGS[package]
    module = importlib.import_module(module_name)
    if getattr(module, package) is not None:
        return
    try:
        with without_compiler.stand_ins():  # timm's import would import the compiler
            real = importlib.import_module(package)
            values = {name: _value(source, name) for name, source in names.items()}
    except ImportError:  # not installed: open_clip says so when such a tower is built
        return
    for name, value in values.items():
        setattr(module, name, value)
    setattr(module, package, real)


def _value(source: str, name: str):
    module, _, attribute = source.partition(":")
    return getattr(importlib.import_module(module), attribute or name)


@contextlib.contextmanager
def _without_optionals() -> Iterator[None]:
    blocked = [package for package in _BINDINGS if package not in sys.modules]
    for package in blocked:
        sys.modules[package] = None  # makes ``import package`` raise ImportError
    try:
        yield
    finally:
        for package in blocked:
            if package in sys.modules and sys.modules[package] is None:
                del sys.modules[package]
