"""The admin endpoint's fault requests: JSON fields checked and turned into a ``FaultSpec``.

The fields are the keywords of ``FakeDynamoDB.throttle``, ``fail`` and ``unprocess`` (``rate``,
``operation``, ``error``, ``keys``, ``tables``, ``operations``, ``after``, ``times``, ``seed``,
``message``), with the same defaults; the positional ones (``rate``; ``operation`` and ``error``;
``operation`` and ``keys``) must be given (``operation`` may be null: every operation). ``keys``
are DynamoDB JSON (blobs in base64, as on the wire). Everything the fake would refuse is refused
here first, with a message naming the field, so a server-wide fault declared now cannot fail when a
later tenant is made.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from aiodynamodb.errors import DynamoDBError

from .databases import FaultKind, FaultSpec
from .values import validate_item
from .wire import decode_request

__all__ = ["TENANT_FIELDS", "FaultRequestError", "parse_fault"]

TENANT_FIELDS = ("access_key_id", "region")

_FIELDS: dict[FaultKind, tuple[tuple[str, ...], tuple[str, ...]]] = {  # (required, optional)
    "throttle": (("rate",), ("seed", "tables", "operations", "after", "times")),
    "fail": (("operation", "error"), ("times", "tables", "after", "message")),
    "unprocess": (("operation", "keys"), ("tables", "times", "after")),
}


class FaultRequestError(ValueError):
    """A fault request the endpoint refuses; its text is the message sent back."""


def parse_fault(kind: FaultKind, fields: Mapping[str, Any], operations: Collection[str]) -> FaultSpec:
    """The fault ``fields`` (a JSON object, tenant fields aside) declare; raises ``FaultRequestError``."""
    required, optional = _FIELDS[kind]
    known = (*required, *optional)
    for name in fields:
        if name not in known and name not in TENANT_FIELDS:
            raise FaultRequestError(
                f"unknown field {name!r} for {kind}; expected {', '.join(known)}"
                f" (and {' and '.join(TENANT_FIELDS)} to name one tenant)"
            )
    for name in required:
        if name not in fields:
            raise FaultRequestError(f"{kind} needs the field {name!r}")
    arguments: dict[str, Any] = {}
    for name in known:
        if name in fields:
            arguments[name] = _CHECKS[name](name, fields[name], operations)
    return FaultSpec(kind, arguments)


# --- one check per field ------------------------------------------------------------------------


def _rate(name: str, value: Any, operations: Collection[str]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise FaultRequestError(f"{name!r} must be a number between 0 and 1, got {_show(value)}")
    return float(value)


def _count(name: str, value: Any, operations: Collection[str]) -> int | None:
    if value is None and name == "times":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FaultRequestError(f"{name!r} must be a whole number, 0 or more, got {_show(value)}")
    return value


def _seed(name: str, value: Any, operations: Collection[str]) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise FaultRequestError(f"{name!r} must be a whole number or null, got {_show(value)}")


def _names(name: str, value: Any, operations: Collection[str]) -> list[str] | None:
    if value is None:
        return None
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise FaultRequestError(f"{name!r} must be a string, a list of strings or null, got {_show(value)}")
    if name in ("operation", "operations"):
        unknown = sorted(set(names) - set(operations))
        if unknown:
            answered = ", ".join(sorted(operations))
            raise FaultRequestError(f"unknown operation {unknown[0]!r} in {name!r}; known: {answered}")
    return names


def _text(name: str, value: Any, operations: Collection[str]) -> str | None:
    if value is None and name == "message":
        return None
    if not isinstance(value, str) or not value:
        raise FaultRequestError(f"{name!r} must be a non-empty string, got {_show(value)}")
    return value


def _keys(name: str, value: Any, operations: Collection[str]) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise FaultRequestError(f"{name!r} must be a list of keys in DynamoDB JSON, got {_show(value)}")
    keys = []
    for position, key in enumerate(value):
        if not isinstance(key, dict):
            raise FaultRequestError(f"keys[{position}] must be an object, got {_show(key)}")
        try:
            decoded = decode_request("GetItem", {"Key": key})["Key"]
            validate_item(decoded)
        except DynamoDBError as err:
            raise FaultRequestError(f"keys[{position}]: {err.message or err.code}") from None
        keys.append(decoded)
    return keys


_CHECKS = {
    "rate": _rate,
    "seed": _seed,
    "after": _count,
    "times": _count,
    "tables": _names,
    "operations": _names,
    "operation": _names,
    "error": _text,
    "message": _text,
    "keys": _keys,
}


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
