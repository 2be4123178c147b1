"""``@frozen_dataclass``: ``@dataclass(frozen=True)`` without writing and compiling source per class.

The standard decorator writes the source of ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__`` and ``__delattr__`` for every class and compiles each one: about 4 million
instructions a class, paid at import by every start of the command line (a cold ``redress
evaluate`` loads a few dozen such classes).  Here the standard decorator still makes the class a
dataclass (its fields, ``__match_args__``, ``dataclasses.fields``/``replace``/``asdict``), but
asked for no methods; the methods are then shared functions over the field names, and
``__init__`` is one compiled body per number of fields, renamed for the class (so its signature,
defaults and argument errors are the ones the standard ``__init__`` has).

The result behaves as ``@dataclass(frozen=True)`` does: equality and hash by the compared fields,
the same repr, ``FrozenInstanceError`` on assignment, the same ``__dataclass_params__``
(``tests/unit/test_frozen_dataclass.py`` compares every class that uses it with the standard
decorator's).  Only what these classes need is supported: fields with defaults or default factories,
no ``__post_init__``, ``InitVar``, ``kw_only``, ``order`` or ``slots``.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")
_SELF_DICT = "_frozen_dataclass_fields"  # __init__'s own local (never a field's name)
_FACTORY = dataclasses._HAS_DEFAULT_FACTORY  # type: ignore[attr-defined]  # the standard marker


@cache
def _init_code(count: int, factories: bool) -> types.CodeType:
    """``__init__(self, _0, …, _n)`` storing each argument under ``N[i]`` (and, for a field with
    a ``default_factory`` left at its default, a value made by the factory): compiled once per
    number of fields, its argument names replaced per class."""
    params = "".join(f", _{i}" for i in range(count))
    lines = [f"def __init__(self{params}):", f"    {_SELF_DICT} = self.__dict__"]
    lines += [f"    {_SELF_DICT}[N[{i}]] = _{i}" for i in range(count)]
    if factories:
        lines += ["    for _name, _make in F:",
                  f"        if {_SELF_DICT}[_name] is _FACTORY:",
                  f"            {_SELF_DICT}[_name] = _make()"]
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), "<redress frozen dataclass>", "exec"), namespace)  # noqa: S102 - no names from outside: only argument numbers
    code: types.CodeType = namespace["__init__"].__code__
    return code


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    names = tuple(f.name for f in fields)
    factories = tuple((f.name, f.default_factory) for f in fields
                      if f.default_factory is not dataclasses.MISSING)
    template = _init_code(len(names), bool(factories))
    code = template.replace(co_varnames=("self", *names, *template.co_varnames[len(names) + 1:]),
                            co_qualname=f"{cls.__qualname__}.__init__")
    # A factory field's default is the standard decorator's own marker (shown as ``<factory>``).
    defaults = tuple(_FACTORY if f.default_factory is not dataclasses.MISSING else f.default
                     for f in fields if f.default is not dataclasses.MISSING
                     or f.default_factory is not dataclasses.MISSING)
    init = types.FunctionType(code, {"N": names, "F": factories, "_FACTORY": _FACTORY},
                              "__init__", defaults or None)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = {**{f.name: f.type for f in fields}, "return": None}
    return init


def _methods(cls: type[Any], fields: tuple[dataclasses.Field[Any], ...]) -> dict[str, Any]:
    shown = tuple(f.name for f in fields if f.repr)
    compared = tuple(f.name for f in fields if f.compare)
    hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    names = frozenset(f.name for f in fields)

    def values(of: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
        if len(of) == 1:  # attrgetter of one name gives the value itself, not a tuple
            one = attrgetter(of[0])
            return lambda obj: (one(obj),)
        return attrgetter(*of) if of else (lambda obj: ())

    key, hash_key = values(compared), values(hashed)

    @recursive_repr("...")
    def __repr__(self: Any) -> str:
        return (f"{type(self).__qualname__}("
                + ", ".join(f"{name}={getattr(self, name)!r}" for name in shown) + ")")

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hash_key(self))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    made: dict[str, Any] = {"__repr__": __repr__, "__eq__": __eq__, "__hash__": __hash__,
                            "__setattr__": __setattr__, "__delattr__": __delattr__}
    for name, method in made.items():
        method.__qualname__ = f"{cls.__qualname__}.{name}"
    return made


@dataclass_transform(frozen_default=True)
def frozen_dataclass(cls: type[T]) -> type[T]:
    """``@dataclass(frozen=True)`` for a plain class of fields (see the module's notes)."""
    documented = bool(cls.__dict__.get("__doc__"))
    made = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    every = getattr(made, dataclasses._FIELDS)  # type: ignore[attr-defined]  # with class variables
    if (len(every) != len(fields) or hasattr(made, "__post_init__")
            or any(not f.init or f.kw_only for f in fields)
            or {f.name for f in fields} & {"_name", "_make", _SELF_DICT}):
        raise TypeError(f"{cls.__qualname__}: @frozen_dataclass takes plain fields only")
    own = dict(cls.__dict__)
    if "__setattr__" in own or "__delattr__" in own:
        raise TypeError(f"{cls.__qualname__}: a frozen dataclass cannot define __setattr__ or "
                        "__delattr__")
    explicit_hash = own.get("__hash__", dataclasses.MISSING) is not dataclasses.MISSING and not (
        own["__hash__"] is None and "__eq__" in own)
    made.__init__ = _init(made, fields)  # type: ignore[method-assign]
    for name, method in _methods(made, fields).items():
        # As the standard decorator: a repr or eq of the class's own is kept, and a hash.
        if name not in own or (name == "__hash__" and not explicit_hash):
            setattr(made, name, method)
    params = made.__dataclass_params__  # type: ignore[attr-defined]  # this class's own
    params.init = params.repr = params.eq = params.frozen = True
    if not documented:  # the standard decorator's own docstring: the name and the signature
        made.__doc__ = made.__name__ + str(inspect.signature(made)).replace(" -> None", "")
    return made


__all__ = ["frozen_dataclass"]
