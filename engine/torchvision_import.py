"""Importing open_clip (and with it torchvision and timm) without importing
``torch._dynamo``, the compiler, which eager inference never uses.

At module level torchvision's ``ops/roi_align.py`` imports a function from
``torch._dynamo.utils``, and timm decorates a few methods with ``torch.compiler.disable``
(``import torch._dynamo`` inside): each pulls in the whole of dynamo (sympy, triton, ...),
about 150 MB of RSS and 2.5 s of a cold start in a process that only encodes
(docs/BENCHMARKS.md, "Where indexing memory goes"). :func:`install` hooks the first import
of one of those packages: while it runs, ``torch._dynamo`` and ``torch._dynamo.utils`` are
stand-ins. Their ``is_compile_supported`` and ``disable`` import the real dynamo when the
function they serve is first called (``roi_align`` on a device where it would compile, a
disabled timm method), which behaves as before in eager mode; any other name asked of them
imports the real module on the spot, so a version that needs more of dynamo gets it (and
costs what it did). The stand-ins are gone once that import is done: a later
``import torch._dynamo`` or ``torch.compile`` gets the real one.
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.util
import sys
import types

HOOKED = ("open_clip", "torchvision", "timm")  # whichever is imported first
_DYNAMO = "torch._dynamo"
_UTILS = "torch._dynamo.utils"


def install() -> None:
    """Hook the next import of a :data:`HOOKED` package (idempotent; nothing once one of them
    or dynamo is imported)."""
    if any(name in sys.modules for name in (*HOOKED, _DYNAMO)):
        return
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in HOOKED:
            return None
        sys.meta_path.remove(self)  # once: the real finders locate it
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or _DYNAMO in sys.modules:
            return spec
        spec.loader = _LoaderWithoutDynamo(spec.loader)
        return spec


class _LoaderWithoutDynamo(importlib.abc.Loader):
    def __init__(self, loader) -> None:
        self._loader = loader

    def __getattr__(self, name: str):  # get_resource_reader, is_package, ...
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        import torch  # first, and without the stand-ins

        stand_ins = {_DYNAMO: _StandIn(_DYNAMO), _UTILS: _StandIn(_UTILS)}
        stand_ins[_DYNAMO].__path__ = []  # a package, so that ``torch._dynamo.utils`` resolves
        stand_ins[_DYNAMO].disable = _disable
        stand_ins[_UTILS].is_compile_supported = _forwarded(_UTILS, "is_compile_supported")
        sys.modules.update(stand_ins)
        try:
            self._loader.exec_module(module)
        finally:
            _remove_stand_ins()
            if isinstance(torch.__dict__.get("_dynamo"), _StandIn):
                del torch._dynamo


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _remove_stand_ins() -> None:
    for name in (_UTILS, _DYNAMO):
        if isinstance(sys.modules.get(name), _StandIn):
            del sys.modules[name]


def _real(module: str) -> types.ModuleType:
    _remove_stand_ins()
    return importlib.import_module(module)


def _forwarded(module: str, name: str):
    def call(*args, **kwargs):
        return getattr(_real(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


def _disable(fn=None, recursive=True, *, reason=None):
    """``torch._dynamo.disable``, applied when the function is first called (a class: now)."""
    if fn is None:
        return functools.partial(_disable, recursive=recursive, reason=reason)
    if isinstance(fn, type):
        return _real(_DYNAMO).disable(fn, recursive, reason=reason)

    @functools.wraps(fn)
    def call(*args, **kwargs):
        return disabled()(*args, **kwargs)

    @functools.cache
    def disabled():
        return _real(_DYNAMO).disable(fn, recursive, reason=reason)

    return call
