"""Encoding without importing ``torch._dynamo``, torch's compiler, which eager inference
never uses: it is about 150 MB of RSS and 1 s of CPU at every cold start
(docs/BENCHMARKS.md, "Where indexing memory goes").

Three things import it although nothing compiles: torchvision's ``ops/roi_align.py`` imports
a function from ``torch._dynamo.utils`` at module level; timm decorates methods with
``torch.compiler.disable``; and torch's own Python meta kernels (building a tower on the meta
device) are wrapped in ``torch._dynamo.disable``, which imports dynamo on first call. While
those run (:func:`install`'s hook on the first import of open_clip, torchvision or timm;
:func:`stand_ins` around a meta build) ``torch._dynamo`` and ``torch._dynamo.utils`` are
stand-ins: their ``disable`` calls the function as it is while dynamo is not imported (it
cannot be tracing then, so disabling it changes nothing) and defers to the real ``disable``
once it is; ``is_compile_supported`` imports the real one when called; any other name asked
of them imports the real module on the spot, so a version that needs more of dynamo gets it
(and costs what it did). A later ``import torch._dynamo`` or ``torch.compile`` gets the real
compiler.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import sys
import types
from collections.abc import Iterator

from engine import import_hook

HOOKED = ("open_clip", "torchvision", "timm")  # whichever is imported first
_DYNAMO = "torch._dynamo"
_UTILS = "torch._dynamo.utils"


def install() -> None:
    """Hook the next import of a :data:`HOOKED` package (idempotent; nothing once one of them
    or dynamo is imported)."""
    if any(name in sys.modules for name in (*HOOKED, _DYNAMO)):
        return
    import_hook.hook_first_import(HOOKED, stand_ins)


@contextlib.contextmanager
def stand_ins() -> Iterator[None]:
    """Stand-ins for dynamo while the block runs, unless the real one is imported already."""
    if _DYNAMO in sys.modules:
        yield
        return
    import torch  # first, and without the stand-ins

    dynamo, utils = _StandIn(_DYNAMO), _StandIn(_UTILS)
    dynamo.__path__ = []  # a package, so that ``torch._dynamo.utils`` resolves
    dynamo.disable = _disable
    utils.is_compile_supported = _forwarded(_UTILS, "is_compile_supported")
    sys.modules.update({_DYNAMO: dynamo, _UTILS: utils})
    try:
        yield
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


def _real_dynamo() -> types.ModuleType | None:
    """The real dynamo once it is imported (and done importing), else None."""
    dynamo = sys.modules.get(_DYNAMO)
    if dynamo is None or isinstance(dynamo, _StandIn) or not hasattr(dynamo, "disable"):
        return None
    return dynamo


def _forwarded(module: str, name: str):
    def call(*args, **kwargs):
        return getattr(_real(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


def _disable(fn=None, recursive=True, **kwargs):
    """``torch._dynamo.disable`` that imports nothing: ``fn`` as it is until dynamo is
    imported (nothing can be tracing it before), the real ``disable(fn)`` from then on."""
    if fn is None:
        return functools.partial(_disable, recursive=recursive, **kwargs)
    if isinstance(fn, type):  # a class is changed in place: only the real one can do that
        return _real(_DYNAMO).disable(fn, recursive, **kwargs)
    disabled = None

    @functools.wraps(fn)
    def call(*args, **call_kwargs):
        nonlocal disabled
        if disabled is None:
            dynamo = _real_dynamo()
            if dynamo is None:
                return fn(*args, **call_kwargs)
            disabled = dynamo.disable(fn, recursive, **kwargs)
        return disabled(*args, **call_kwargs)

    return call
