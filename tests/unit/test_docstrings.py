"""Every public method of the public API (``redress.__all__``) and every public function and
method of the HTTP service (``redress.serve``) has a docstring: an integrator reads them in an
editor or with ``help()``, and they are the API's reference."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import redress
import redress.serve


def _undocumented_members(cls: type) -> list[str]:
    missing = []
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        function = member.fget if isinstance(member, property) else getattr(member, "__func__",
                                                                             member)
        if inspect.isfunction(function) and not (function.__doc__ or "").strip():
            missing.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    return missing


def _public_api() -> list[Any]:
    found = []
    for name in redress.__all__:
        obj = getattr(redress, name)
        if inspect.isclass(obj):
            found += [k for k in obj.__mro__ if k.__module__.startswith("redress")]
    return found


def _service_objects() -> list[Any]:
    found = []
    for info in pkgutil.iter_modules(redress.serve.__path__):
        module = importlib.import_module(f"redress.serve.{info.name}")
        found += [obj for name, obj in vars(module).items() if not name.startswith("_")
                  and getattr(obj, "__module__", None) == module.__name__
                  and (inspect.isclass(obj) or inspect.isfunction(obj))]
    return found


def test_every_public_method_has_a_docstring() -> None:
    missing: list[str] = []
    for obj in {*_public_api(), *_service_objects()}:
        if inspect.isclass(obj):
            missing += _undocumented_members(obj)
        elif not (obj.__doc__ or "").strip():
            missing.append(f"{obj.__module__}.{obj.__qualname__}")
    assert not sorted(missing), "no docstring: " + ", ".join(sorted(missing))
