"""The model's view of keys and items, computed independently of the fake: canonical numbers and
values (what DynamoDB gives back), write-request identities, and ``scramble`` to check aliasing.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Context, Decimal
from typing import Any

from aiodynamodb_fake.strategies import TableSpec, key_identity

__all__ = ["canonical_item", "canonical_number", "canonical_value", "scramble", "write_request_identity"]

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]

# Wide enough for 38 digits at either end of DynamoDB's range; the default context (28 digits) would
# round a 38-digit number in normalize().
_EXACT = Context(prec=400, Emax=999_999, Emin=-999_999)


def canonical_number(text: str) -> str:
    """DynamoDB's canonical form of a valid number (reference §1.3), computed with ``Decimal``."""
    value = Decimal(text).normalize(_EXACT)
    plain = format(value, "f")
    return "0" if value == 0 else plain


def write_request_identity(spec: TableSpec, write_request: Mapping[str, Any]) -> tuple[Any, ...]:
    """The key identity (see ``key_identity``) of a valid WriteRequest."""
    if "PutRequest" in write_request:
        return key_identity(spec, write_request["PutRequest"]["Item"])
    return key_identity(spec, write_request["DeleteRequest"]["Key"])


def canonical_value(av: Mapping[str, Any], *, numbers: bool = True) -> AttributeValue:
    """An AttributeValue as DynamoDB gives it back: numbers canonical, binary as ``bytes``; sets
    sorted, because DynamoDB keeps no set order (so no comparison here depends on one).

    With ``numbers=False`` number texts are kept as they are, to check that the fake normalised
    them itself."""
    ((kind, raw),) = av.items()
    number: Callable[[str], str] = canonical_number if numbers else str
    if kind == "N":
        return {"N": number(raw)}
    if kind == "B":
        return {"B": bytes(raw)}
    if kind == "M":
        return {"M": {name: canonical_value(member, numbers=numbers) for name, member in raw.items()}}
    if kind == "L":
        return {"L": [canonical_value(member, numbers=numbers) for member in raw]}
    if kind == "SS":
        return {"SS": sorted(raw)}
    if kind == "NS":
        return {"NS": sorted((number(m) for m in raw), key=Decimal)}
    if kind == "BS":
        return {"BS": sorted(bytes(m) for m in raw)}
    return {kind: raw}


def canonical_item(item: Mapping[str, Mapping[str, Any]], *, numbers: bool = True) -> Item:
    """``canonical_value`` of every attribute."""
    return {name: canonical_value(value, numbers=numbers) for name, value in item.items()}


def scramble(value: Any) -> None:
    """Empty every dict and list inside ``value`` in place: what a careless caller might do to a
    request or an answer it still holds, which must never reach the fake's stored state."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
            node.clear()
        elif isinstance(node, list):
            stack.extend(node)
            node.clear()
