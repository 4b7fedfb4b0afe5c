"""ExpressionAttributeNames / ExpressionAttributeValues: the request-level rules on the two maps.

Implements the key syntax, the non-empty rule and the unused-entry rule of the Developer Guide pages
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
and .../Expressions.ExpressionAttributeValues.html, with the messages of reference §7.5. An operation
validates each map first (``validate_expression_attribute_names`` / ``..._values``), parses its
expressions (each reports the aliases it used), then calls ``check_unused_names`` and
``check_unused_values`` with the union of what they used. Values of ExpressionAttributeValues are
AttributeValues and are checked elsewhere (§1.2); here they only have to be maps. ``require_str`` is
the SerializationException for a non-string where the wire has a string; every wrong-kind text is
``members/kinds.py``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from aiodynamodb.errors import SerializationException, ValidationException

from ..members import kinds
from ..messages import MAP_KEY_NOT_STRING

__all__ = [
    "check_unused_names",
    "check_unused_values",
    "require_str",
    "validate_expression_attribute_names",
    "validate_expression_attribute_values",
]

_NAME_KEY = re.compile(r"#[0-9A-Za-z_]+")
_VALUE_KEY = re.compile(r":[0-9A-Za-z_]+")

INVALID_KEY = '{param} contains invalid key: Syntax error; key: "{key}"'
MUST_NOT_BE_EMPTY = "{param} must not be empty"
UNUSED = "Value provided in {param} unused in expressions: keys: {{{keys}}}"
# Not in the reference: this is the text DynamoDB answers in user reports (an app matching on
# "ExpressionAttributeNames contains invalid value: Empty attribute name for key #DE").
EMPTY_NAME_VALUE = "ExpressionAttributeNames contains invalid value: Empty attribute name for key {key}"


def require_str(value: object, what: str) -> str:
    """``value`` if it is a ``str``; otherwise the SerializationException DynamoDB's deserializer gives.

    The texts are the shared ones of ``members/kinds.py`` (``TRUE_VALUE cannot be converted to
    String``...); a Python value with no JSON form gets a plain description naming ``what``.
    """
    if isinstance(value, str):
        return value
    raise kinds.wrong_kind(value, kinds.STRING, what)


def _require_map(value: object, param: str, target: kinds.Target) -> Mapping[Any, Any]:
    if isinstance(value, Mapping):
        return value
    raise kinds.wrong_kind(value, target, param)


def _require_key(key: object) -> str:
    """A map key: JSON's are always strings; a Python caller's other keys get ours."""
    if isinstance(key, str):
        return key
    raise SerializationException(MAP_KEY_NOT_STRING)


def validate_expression_attribute_names(names: object) -> Mapping[str, str] | None:
    """The request's ExpressionAttributeNames, checked; None when the request has none.

    Order: the map is non-empty, then per entry in request order the key's syntax, then its value
    (a string, not empty). The order between entries and between key and value is not in the
    reference; request order, key first, is our choice. The 255-byte key limit and the 2 MB total of
    [DG:ServiceQuotas] are not enforced: their messages are not known. O(total key length).
    """
    if names is None:
        return None
    mapping = _require_map(names, "ExpressionAttributeNames", kinds.STRING_MAP)
    if not mapping:
        raise ValidationException(MUST_NOT_BE_EMPTY.format(param="ExpressionAttributeNames"))
    checked: dict[str, str] = {}
    for key, value in mapping.items():
        key_text = _require_key(key)
        if _NAME_KEY.fullmatch(key_text) is None:
            raise ValidationException(INVALID_KEY.format(param="ExpressionAttributeNames", key=key_text))
        name = require_str(value, f"ExpressionAttributeNames[{key_text}]")
        if not name:
            raise ValidationException(EMPTY_NAME_VALUE.format(key=key_text))
        checked[key_text] = name
    return checked


def validate_expression_attribute_values(values: object) -> Mapping[str, Mapping[str, Any]] | None:
    """The request's ExpressionAttributeValues with keys checked; None when the request has none.

    Checks the map is non-empty and each key's syntax (request order). Each value only has to be a
    map here; its AttributeValue rules (§7.5: ``ExpressionAttributeValues contains invalid value:
    <§1.2 message> for key :v``) are for the caller, with the shared AttributeValue validator.
    """
    if values is None:
        return None
    mapping = _require_map(values, "ExpressionAttributeValues", kinds.ATTRIBUTE_MAP)
    if not mapping:
        raise ValidationException(MUST_NOT_BE_EMPTY.format(param="ExpressionAttributeValues"))
    checked: dict[str, Mapping[str, Any]] = {}
    for key, value in mapping.items():
        key_text = _require_key(key)
        if _VALUE_KEY.fullmatch(key_text) is None:
            raise ValidationException(INVALID_KEY.format(param="ExpressionAttributeValues", key=key_text))
        checked[key_text] = _require_map(
            value, f"ExpressionAttributeValues[{key_text}]", kinds.ATTRIBUTE_VALUE
        )
    return checked


def _check_unused(param: str, keys: Iterable[str], used: frozenset[str]) -> None:
    # The order DynamoDB lists several unused keys in is not in the reference (nor is it knowable
    # from one-key examples); we keep the request's order, as dynalite does.
    unused = [key for key in keys if key not in used]
    if unused:
        raise ValidationException(UNUSED.format(param=param, keys=", ".join(unused)))


def check_unused_names(names: Mapping[str, str] | None, used: frozenset[str]) -> None:
    """Refuse ExpressionAttributeNames entries no expression of the request used (§7.5)."""
    if names:
        _check_unused("ExpressionAttributeNames", names.keys(), used)


def check_unused_values(values: Mapping[str, Any] | None, used: frozenset[str]) -> None:
    """Refuse ExpressionAttributeValues entries no expression of the request used (§7.5)."""
    if values:
        _check_unused("ExpressionAttributeValues", values.keys(), used)
