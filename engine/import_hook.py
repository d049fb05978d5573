"""Run the first import of a package inside a context: a finder put first on
``sys.meta_path`` wraps the package's loader once, then leaves (:mod:`engine.without_compiler`
puts stand-ins for torch's compiler around it, :mod:`engine.deferred_imports` keeps
open_clip's optional packages out of it)."""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager

Around = Callable[[], AbstractContextManager]


def hook_first_import(names: tuple[str, ...], around: Around) -> None:
    """The first import of whichever of ``names`` comes first runs inside ``around()``
    (idempotent for the same ``around``)."""
    if not any(isinstance(f, _Finder) and f.around is around for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder(names, around))


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, names: tuple[str, ...], around: Around) -> None:
        self.names, self.around = names, around

    def find_spec(self, name, path, target=None):
        if name not in self.names:
            return None
        sys.meta_path.remove(self)  # once: the other finders locate it
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _LoaderInside(spec.loader, self.around)
        return spec


class _LoaderInside(importlib.abc.Loader):
    def __init__(self, loader, around: Around) -> None:
        self._loader, self._around = loader, around

    def __getattr__(self, name: str):  # get_resource_reader, is_package, ...
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        with self._around():
            self._loader.exec_module(module)
