"""KeyConditions: Query's legacy key condition, as ``KeyTerms`` that bind to a key schema.

Implements https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.KeyConditions.html.
``key_conditions`` checks the map as any map of Conditions (``legacy_conditions.read_conditions``:
shape, constraint envelope, values, arguments), then its size (one or two conditions, the same
message as KeyConditionExpression's). ``LegacyKeyTerms.bind`` then answers as DynamoDB does for
this parameter, which differs from KeyConditionExpression in one place: an operator that cannot
select a key range (NULL, NOT_NULL, NE, CONTAINS, NOT_CONTAINS, IN) is refused with ``Attempted
conditional constraint is not an indexable operation``, after the missing-key check and before the
type check, key by key (hash first), as dynalite's actions/query.js does (its tests ran against
DynamoDB). The result is the same ``KeyCondition`` a KeyConditionExpression gives, so Query walks
both alike. O(number of conditions).
"""

from __future__ import annotations

from dataclasses import dataclass

from aiodynamodb.errors import ValidationException

from ..schema import KeySchema
from . import legacy_messages as msg
from . import messages as expression_msg
from .evaluate import type_of
from .key_conditions import KeyCondition, KeyOperator, KeyTerm, KeyTerms, SortKeyCondition
from .legacy_conditions import ComparisonTest, read_conditions

__all__ = ["LegacyKeyTerms", "key_conditions"]

_KEY_OPERATORS: dict[str, KeyOperator] = {
    "EQ": "=",
    "LT": "<",
    "LE": "<=",
    "GT": ">",
    "GE": ">=",
    "BETWEEN": "BETWEEN",
    "BEGINS_WITH": "begins_with",
}


@dataclass(frozen=True, slots=True)
class LegacyKeyTerms(KeyTerms):
    """KeyConditions' one or two tests. ``terms`` holds those that can select a key range (as a
    KeyConditionExpression's would); ``tests`` all of them, in request order."""

    tests: tuple[ComparisonTest, ...] = ()

    def bind(self, schema: KeySchema) -> KeyCondition:
        """The ``KeyCondition`` for a table's or index's key schema, or DynamoDB's error for it."""
        by_name = {test.name: test for test in self.tests}
        count = len(self.tests)
        keys = [(schema.hash_name, schema.hash_type, True)]
        if schema.range_name is not None and schema.range_type is not None:
            keys.append((schema.range_name, schema.range_type, False))
        found: list[ComparisonTest] = []
        for name, key_type, is_hash in keys:
            if is_hash and schema.range_name is None and count > 1:
                raise ValidationException(expression_msg.KEY_NOT_SUPPORTED)
            test = by_name.get(name)
            if test is None:
                if is_hash or count > 1:
                    raise ValidationException(expression_msg.KEY_MISSED_ELEMENT.format(name=name))
                continue
            if test.operator not in _KEY_OPERATORS:
                raise ValidationException(msg.NOT_INDEXABLE)
            if any(type_of(value) != key_type for value in test.values):
                raise ValidationException(expression_msg.KEY_TYPE_MISMATCH)
            if is_hash and test.operator != "EQ":
                raise ValidationException(expression_msg.KEY_NOT_SUPPORTED)
            found.append(test)
        sort = None
        if len(found) == 2:
            sort = SortKeyCondition(found[1].name, _KEY_OPERATORS[found[1].operator], found[1].values)
        return KeyCondition(schema.hash_name, found[0].values[0], sort)


def _term(test: ComparisonTest) -> KeyTerm | None:
    operator = _KEY_OPERATORS.get(test.operator)
    return None if operator is None else KeyTerm(test.name, operator, test.values)


def key_conditions(conditions: object) -> KeyTerms:
    """The terms of Query's ``KeyConditions``, or DynamoDB's error for the parameter alone.

    Call it where DynamoDB validates KeyConditions: after the request's expressions (dynalite's
    validations/query.js). Absent, it is the error Query gives when neither KeyConditions nor
    KeyConditionExpression is sent. What needs the key schema is ``bind``'s.
    """
    if conditions is None:
        raise ValidationException(msg.MISSING_KEY_CONDITIONS)
    tests = read_conditions(conditions, "KeyConditions") or []
    if len(tests) not in (1, 2):
        raise ValidationException(expression_msg.KEY_CONDITION_COUNT)
    terms = tuple(term for term in map(_term, tests) if term is not None)
    return LegacyKeyTerms(terms, tuple(tests))
