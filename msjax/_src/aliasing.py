"""``import mindspore...`` served by msjax: one set of module objects under both names.

A meta-path finder answers every ``mindspore`` / ``mindspore.X`` import with the already-imported ``msjax`` /
``msjax.X`` module itself (``sys.modules['mindspore.nn'] is msjax.nn``): a second copy would mean two Tensor classes
and two bprop registries.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys

_ALIAS = "mindspore"
_TARGET = "msjax"


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, module):
        self._module = module

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        # The import system returns whatever sys.modules holds under the name after exec: the msjax module.
        sys.modules[module.__name__] = self._module


class _MindSporeFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != _ALIAS and not fullname.startswith(_ALIAS + "."):
            return None
        target_name = _TARGET + fullname[len(_ALIAS):]
        try:
            module = importlib.import_module(target_name)
        except ModuleNotFoundError as error:
            if error.name != target_name:
                raise
            raise ModuleNotFoundError(
                f"No module named '{fullname}': msjax does not provide '{fullname}' yet. msjax serves MindSpore's "
                f"API on JAX; see msjax's README for what is supported.", name=fullname) from None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(module))


_finder = _MindSporeFinder()


def install():
    """Make ``import mindspore`` (and every ``mindspore.*`` submodule) resolve to msjax in this interpreter."""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    existing = sys.modules.get(_ALIAS)
    if existing is not None and not getattr(existing, "__msjax__", False):
        raise ImportError("The real MindSpore is already imported in this interpreter; msjax.install() must run "
                          "before the first 'import mindspore'.")
    import msjax
    sys.modules[_ALIAS] = msjax
    for name, module in list(sys.modules.items()):
        if name.startswith(_TARGET + ".") and not name.startswith(_TARGET + "._src"):
            sys.modules.setdefault(_ALIAS + name[len(_TARGET):], module)


def uninstall():
    """Undo `install` (tests use it)."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in [n for n in sys.modules if n == _ALIAS or n.startswith(_ALIAS + ".")]:
        if getattr(sys.modules[name], "__name__", "").startswith(_TARGET):
            del sys.modules[name]
