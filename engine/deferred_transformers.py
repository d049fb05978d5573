"""open_clip without importing transformers until a hub text tower is built.

open_clip imports transformers at its own import, for its hub text towers
(``open_clip.hf_model``) and CoCa's text generation (``open_clip.coca_model``), though a
CLIP model with its own text tower never calls it: about 0.9 s of CPU at every cold start
(docs/BENCHMARKS.md, "Cold start: transformers deferred"). While open_clip is imported
(:func:`install`'s hook on its first import) ``transformers`` cannot be imported, so both
modules take their own branch for a machine without it; the block ends with that import.
:func:`bind` imports the real transformers and gives ``open_clip.hf_model`` the names its
import would have bound (its functions look them up when called): :mod:`engine.dense`
calls it before building a model with a hub text tower. CoCa stays without: captioning
models are not supported.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys

_PACKAGE = "transformers"
_HOOKED = "open_clip"
_NAMES = ("AutoModel", "AutoTokenizer", "AutoConfig", "PretrainedConfig")
_OUTPUTS = ("BaseModelOutput", "BaseModelOutputWithPooling")
_OUTPUTS += ("BaseModelOutputWithPoolingAndCrossAttentions",)


def install() -> None:
    """Hook the next import of open_clip (idempotent; nothing once it or transformers is
    imported)."""
    if _HOOKED in sys.modules or _PACKAGE in sys.modules:
        return
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def bind() -> None:
    """open_clip's hub text towers, with the real transformers (imported now if need be)."""
    import open_clip.hf_model as hf_model

    if hf_model.transformers is not None:
        return
    try:
        import transformers
        import transformers.modeling_outputs as outputs
    except ImportError:  # not installed: hf_model says so when a tower is built
        return

    for name in _NAMES:
        setattr(hf_model, name, getattr(transformers, name))
    for name in _OUTPUTS:
        setattr(hf_model, name, getattr(outputs, name))
    hf_model.transformers = transformers


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != _HOOKED:
            return None
        sys.meta_path.remove(self)  # once: the other finders locate it
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None and _PACKAGE not in sys.modules:
            spec.loader = _LoaderWithoutTransformers(spec.loader)
        return spec


class _LoaderWithoutTransformers(importlib.abc.Loader):
    def __init__(self, loader) -> None:
        self._loader = loader

    def __getattr__(self, name: str):  # get_resource_reader, is_package, ...
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        sys.modules[_PACKAGE] = None  # makes ``import transformers`` raise ImportError
        try:
            self._loader.exec_module(module)
        finally:
            if sys.modules.get(_PACKAGE, 0) is None:
                del sys.modules[_PACKAGE]
