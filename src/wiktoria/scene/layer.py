"""Layer specs: the data half of a layer, and the registry of layer types.

A layer is a **spec** (a frozen dataclass deriving from :class:`Layer`, whose fields declare
their type, range and one-line meaning with :func:`param`) plus a **renderer** (see
:mod:`wiktoria.render.layer`). This module holds the spec half and the registry of types, so a
scene can be read and written without rendering anything.

Layer types are registered by :func:`wiktoria.render.register_layer` (built-in layers use it
too) or by installed plug-ins through the entry-point group ``wiktoria.layers``, which is read
the first time the registry is consulted. The built-in layers are registered before the
registry first answers or changes (:mod:`wiktoria.common.builtin_layers`), so they are there
even when nothing has imported :mod:`wiktoria.render` yet. A scene file only ever *names* a
layer type: it never imports a module.

Examples
--------
>>> from dataclasses import dataclass
>>> from typing import ClassVar
>>> @dataclass(frozen=True)
... class Rings(Layer):
...     '''Concentric rings.'''
...     type: ClassVar[str] = "rings-doc"
...     count: int = param(5, 1, 50, "number of rings")
...     width: float = param(0.1, 0.0, 1.0, "ring width, fraction of the spacing")
>>> Rings(count=7).to_dict()
{'type': 'rings-doc', 'count': 7, 'width': 0.1}
>>> Rings(count=0)
Traceback (most recent call last):
...
ValueError: rings-doc.count must be an integer from 1 to 50, got 0
>>> [p.name for p in Rings.describe()]
['count', 'width']
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from wiktoria.common import builtin_layers, validate

__all__ = [
    "ENTRY_POINT_GROUP",
    "Layer",
    "LayerPluginWarning",
    "ParamInfo",
    "Spec",
    "UnknownLayerError",
    "layer_class",
    "layer_from_dict",
    "layer_types",
    "param",
    "register_spec",
    "unregister_spec",
]

#: The entry-point group through which installed packages add layer types.
ENTRY_POINT_GROUP = "wiktoria.layers"

_TYPE_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
_KINDS = {"int": int, "float": float, "bool": bool, "str": str}


class UnknownLayerError(ValueError):
    """A layer type nobody registered; the message lists the registered ones."""


class LayerPluginWarning(UserWarning):
    """An installed ``wiktoria.layers`` plug-in failed to load (the others still work)."""


def param(default: Any, lo: float | None = None, hi: float | None = None, doc: str = "", *,
          choices: tuple[str, ...] | None = None) -> Any:
    """A layer parameter: its default, its range ``[lo, hi]`` (or its ``choices``) and its
    one-line meaning.

    The parameter's type is the field's annotation: ``int``, ``float`` or ``bool`` (numbers
    need ``lo`` and ``hi``), or ``str`` with ``choices``, the names it may take.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Glow(Layer):
    ...     strength: float = param(0.5, 0.0, 1.0, "how bright")
    ...     shape: str = param("disc", doc="outline of the glow", choices=("disc", "ring"))
    >>> Glow().strength, Glow(shape="ring").shape
    (0.5, 'ring')
    """
    meta: dict[str, Any] = {"lo": lo, "hi": hi, "doc": doc}
    if choices is not None:
        meta["choices"] = tuple(choices)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class ParamInfo:
    """What :meth:`Layer.describe` says of one parameter."""

    name: str
    kind: str  # "int", "float", "bool" or "str"
    default: Any
    lo: float | None
    hi: float | None
    doc: str
    choices: tuple[str, ...] | None = None

    @property
    def range(self) -> str:
        """``"1 to 9"``, ``"true or false"``, ``"one of a, b"``..."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "str":
            return "one of " + ", ".join(self.choices or ())
        return f"{self.lo:g} to {self.hi:g}"


def _kind(f: dataclasses.Field[Any]) -> str:
    t = f.type
    name = t if isinstance(t, str) else getattr(t, "__name__", str(t))
    if name not in _KINDS:
        raise TypeError(f"layer parameter {f.name!r} must be annotated int, float, bool or "
                        f"str, got {name!r}")
    return name


@dataclass(frozen=True)
class Spec:
    """Base of frozen dataclasses of validated parameters (layer specs, the composition).

    Subclasses set the class variable ``type`` (the name scenes use) and declare parameters
    with :func:`param`. Construction checks every parameter (numpy scalars are accepted and
    stored as Python numbers); a bad value raises a one-line error naming ``type.param``, the
    range and the value.
    """

    type: ClassVar[str] = ""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
            where = f"{self.type}.{f.name}"
            kind = _kind(f)
            if kind == "int":
                value = validate.integer(value, where, lo, hi)  # type: ignore[arg-type]
            elif kind == "float":
                value = validate.number(value, where, lo, hi)
            elif kind == "str":
                value = validate.choice(value, where, f.metadata.get("choices") or ())
            else:
                value = validate.boolean(value, where)
            object.__setattr__(self, f.name, value)

    @classmethod
    def params(cls) -> tuple[str, ...]:
        """Names of the parameters of this layer type."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def describe(cls) -> tuple[ParamInfo, ...]:
        """Type, default, range and meaning of every parameter, in declaration order."""
        return tuple(
            ParamInfo(f.name, _kind(f), f.default, f.metadata.get("lo"), f.metadata.get("hi"),
                      f.metadata.get("doc", ""), f.metadata.get("choices"))
            for f in fields(cls)
        )

    @classmethod
    def summary(cls) -> str:
        """The first paragraph of the spec's docstring, on one line."""
        doc = (cls.__doc__ or "").strip()
        return " ".join(doc.split("\n\n")[0].split()) if doc else ""

    def to_dict(self) -> dict[str, Any]:
        """``{"type": ..., param: value, ...}``."""
        return {"type": self.type, **dataclasses.asdict(self)}


@dataclass(frozen=True)
class Layer(Spec):
    """Base of every layer spec: a frozen dataclass of validated parameters.

    Subclasses set the class variable ``type`` (the name scenes use) and declare parameters
    with :func:`param`. Construction checks every parameter (numpy scalars are accepted and
    stored as Python numbers); a bad value raises a one-line error naming ``type.param``, the
    range and the value.
    """


# --------------------------------------------------------------------------- the registry

_SPECS: dict[str, type[Layer]] = {}
_LOCK = threading.RLock()
_PLUGINS_LOADED = False


def _check_spec(cls: Any) -> type[Layer]:
    if not (isinstance(cls, type) and issubclass(cls, Layer) and dataclasses.is_dataclass(cls)):
        raise TypeError(f"a layer spec must be a frozen dataclass deriving from "
                        f"wiktoria.Layer, got {cls!r}")
    params = cls.__dict__.get("__dataclass_params__")
    if "__dataclass_fields__" not in cls.__dict__ or params is None or not params.frozen:
        raise TypeError(f"layer spec {cls.__name__} must be a frozen dataclass "
                        "(@dataclass(frozen=True))")
    name = cls.type
    if not isinstance(name, str) or not _TYPE_RE.fullmatch(name):
        raise ValueError(f"layer spec {cls.__name__} needs a class variable type: a name of "
                         f"lowercase letters, digits, '-' and '_', got {name!r}")
    for f in fields(cls):
        kind = _kind(f)
        if kind == "str":
            if not f.metadata.get("choices"):
                raise TypeError(f"{name}.{f.name} needs its choices: declare it with "
                                "param(default, doc=..., choices=(...))")
        elif kind != "bool" and (f.metadata.get("lo") is None or f.metadata.get("hi") is None):
            raise TypeError(f"{name}.{f.name} needs a range: declare it with "
                            "param(default, lo, hi, doc)")
        if f.default is dataclasses.MISSING:
            raise TypeError(f"{name}.{f.name} needs a default value")
    cls()  # the defaults themselves must be valid
    return cls


def register_spec(cls: type[Layer], *, replace: bool = False) -> type[Layer]:
    """Register a layer spec under ``cls.type``.

    Use :func:`wiktoria.render.register_layer`, which registers the spec and its renderer
    together; this is its data half.

    Raises
    ------
    ValueError
        Another class is registered under the same type and ``replace`` is false.
    """
    builtin_layers.load()  # the built-ins first, so a type of one's own never precedes them
    _check_spec(cls)
    with _LOCK:
        old = _SPECS.get(cls.type)
        if old is not None and old is not cls and not replace and (
            old.__module__, old.__qualname__) != (cls.__module__, cls.__qualname__):
            raise ValueError(f"layer type {cls.type!r} is already registered by "
                             f"{old.__module__}.{old.__qualname__}; pass replace=True to "
                             "replace it")
        _SPECS[cls.type] = cls
    return cls


def unregister_spec(name: str) -> None:
    """Forget a layer type (for tests and interactive sessions)."""
    builtin_layers.load()  # else a built-in forgotten now would come back when they load
    with _LOCK:
        _SPECS.pop(name, None)


def _load_plugins() -> None:
    global _PLUGINS_LOADED
    with _LOCK:
        if _PLUGINS_LOADED:
            return
        _PLUGINS_LOADED = True
    from importlib.metadata import entry_points

    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            obj = ep.load()
            if callable(obj) and not isinstance(obj, type):
                obj()
        except Exception as exc:  # a broken plug-in must not break the others
            warnings.warn(f"layer plug-in {ep.name!r} ({ep.value}) failed to load: "
                          f"{type(exc).__name__}: {exc}", LayerPluginWarning, stacklevel=3)


def reload_plugins() -> None:
    """Read the ``wiktoria.layers`` entry points again (after installing a plug-in)."""
    global _PLUGINS_LOADED
    with _LOCK:
        _PLUGINS_LOADED = False
    _load_plugins()


def layer_types() -> dict[str, type[Layer]]:
    """Every registered layer type, ``{name: spec class}``, in registration order."""
    builtin_layers.load()
    _load_plugins()
    with _LOCK:
        return dict(_SPECS)


def _nearest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def layer_class(name: Any) -> type[Layer]:
    """The spec class of a layer type.

    Raises
    ------
    UnknownLayerError
        Naming the type and listing the registered ones.
    """
    types = layer_types()
    if isinstance(name, str) and name in types:
        return types[name]
    hint = _nearest(str(name), list(types))
    raise UnknownLayerError(f"unknown layer type {name!r}{hint}; registered types: "
                            f"{', '.join(types) or '(none)'}")


def layer_from_dict(data: Mapping[str, Any], where: str = "layer") -> Layer:
    """Build a layer from ``{"type": ..., params...}``, with one-line errors.

    Parameters missing from ``data`` take the spec's defaults.
    """
    try:
        cls = layer_class(data.get("type"))
    except UnknownLayerError as exc:
        raise UnknownLayerError(f"{where}: {exc}") from None
    params = {k: v for k, v in data.items() if k != "type"}
    unknown = [k for k in params if k not in cls.params()]
    if unknown:
        raise ValueError(f"{where}: unknown {cls.type} parameter {unknown[0]!r}"
                         f"{_nearest(unknown[0], list(cls.params()))}; valid: "
                         f"{', '.join(cls.params())}")
    return cls(**params)
