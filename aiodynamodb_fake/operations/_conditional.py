"""Conditional writes: a write request's expression and legacy parameters, checked in DynamoDB's
order, and its condition tested against the stored item.

PutItem, DeleteItem and UpdateItem (and TransactWriteItems' Put, Update, Delete and ConditionCheck)
share this. Every caller has first checked its request against its member table
(``members.check_request``: every JSON kind, then the one constraint envelope, where the legacy
members' enums and ReturnValuesOnConditionCheckFailure are listed); what is left needs more than one
member. Reference §6.1, dynalite's validations/putItem.js, deleteItem.js, updateItem.js and
``validateExpressionParams`` give the order: legacy and expression members mixed, then names or
values sent with no expression to use them (``check_expression_parameters``); then, after the
operation has checked its Key or Item, AttributeUpdates (UpdateItem), Expected with
ConditionalOperator, the two maps, the values' contents, the UpdateExpression, the
ConditionExpression and the unused entries (``parse_write_expressions``). The legacy members become
the expression engine's own objects (``expressions.legacy``): Expected a ``ConditionExpression``,
AttributeUpdates a ``LegacyUpdate``. ``condition_refusal`` then gives the
``ConditionalCheckFailedException`` a failed condition refuses the write with (the plan carries it:
``_contract``), holding the old item when ``ReturnValuesOnConditionCheckFailure`` is ALL_OLD and
there was one. A transaction's actions have no legacy members (their shapes do not
declare them), so TransactWriteItems never passes them here.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ConditionalCheckFailedException, ValidationException

from .. import messages as msg
from ..expressions import (
    ConditionExpression,
    UpdateExpression,
    parse_expressions,
    validate_expression_attribute_names,
    validate_expression_attribute_values,
)
from ..expressions.legacy import (
    DELETE_ITEM_PARAMETERS,
    PUT_ITEM_PARAMETERS,
    UPDATE_ITEM_PARAMETERS,
    LegacyUpdate,
    attribute_updates,
    check_mixing,
    expected_condition,
)
from ..keys import KeyValues
from ..state import Table
from ..storage import Item

__all__ = [
    "CONDITION_FAILED",
    "WriteExpressions",
    "check_expression_parameters",
    "condition_holds",
    "condition_refusal",
    "parse_write_expressions",
    "stored_condition_refusal",
]

CONDITION_FAILED = "The conditional request failed"
VALUES_WITHOUT_EXPRESSION = "ExpressionAttributeValues can only be specified when using expressions: {which}"

# The expression parameters that can use ExpressionAttributeValues, in the order DynamoDB names them
# in VALUES_WITHOUT_EXPRESSION (reference §6.1; dynalite's validations/updateItem.js for the pair).
_VALUE_EXPRESSIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "PutItem": ("ConditionExpression",),
    "DeleteItem": ("ConditionExpression",),
    "ConditionCheck": ("ConditionExpression",),
    "UpdateItem": ("UpdateExpression", "ConditionExpression"),
}
# Each operation's (legacy, expression) parameters (``expressions.legacy``); a ConditionCheck has none.
_LEGACY: Final[Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "PutItem": PUT_ITEM_PARAMETERS,
    "DeleteItem": DELETE_ITEM_PARAMETERS,
    "ConditionCheck": ((), ()),
    "UpdateItem": UPDATE_ITEM_PARAMETERS,
}


@dataclass(frozen=True, slots=True)
class WriteExpressions:
    """A write request's parsed expressions; ``return_old_on_failure``: ReturnValuesOnConditionCheckFailure
    is ALL_OLD.

    ``condition`` is the ConditionExpression or, for a legacy request, its Expected (with
    ConditionalOperator); ``attribute_updates`` UpdateItem's legacy AttributeUpdates (never sent
    beside an UpdateExpression: ``check_expression_parameters`` refuses the mix).
    """

    condition: ConditionExpression | None
    update: UpdateExpression | None
    return_old_on_failure: bool
    attribute_updates: LegacyUpdate | None = None

    @property
    def changes(self) -> UpdateExpression | LegacyUpdate | None:
        """What an UpdateItem writes: its UpdateExpression, its AttributeUpdates, or None."""
        return self.update if self.update is not None else self.attribute_updates


def _operation_members(operation: str) -> tuple[str, ...]:
    if operation not in _VALUE_EXPRESSIONS:
        raise ValueError(f"not a conditional write: {operation}")
    return _VALUE_EXPRESSIONS[operation]


def check_expression_parameters(request: Mapping[str, Any], *, operation: str) -> None:
    """The checks DynamoDB makes before the Key or Item: legacy and expression members mixed ("Can not
    use both expression and non-expression parameters ..."), then ExpressionAttributeNames and
    ExpressionAttributeValues sent with no expression that could use them (reference §6.1; with only
    legacy members they are refused the same way). ``request`` has passed its member table."""
    members = _operation_members(operation)
    legacy, expressions = _LEGACY[operation]
    if legacy:
        check_mixing(request, legacy=legacy, expression=expressions)
    present = [member for member in members if request.get(member) is not None]
    if request.get("ExpressionAttributeNames") is not None and not present:
        raise ValidationException(msg.NAMES_WITHOUT_EXPRESSION)
    if request.get("ExpressionAttributeValues") is not None and not present:
        which = " and ".join(members) + (" are null" if len(members) > 1 else " is null")
        raise ValidationException(VALUES_WITHOUT_EXPRESSION.format(which=which))


def parse_write_expressions(request: Mapping[str, Any], *, operation: str) -> WriteExpressions:
    """Every expression and legacy parameter of one write (``operation``: PutItem, DeleteItem,
    UpdateItem or ConditionCheck), checked in DynamoDB's order; reads no state, raises DynamoDB's
    errors.

    ``request`` must have passed its member table (``members.check_request``: the JSON kinds and
    the enums, ReturnValuesOnConditionCheckFailure's and the legacy members' among them). Runs
    ``check_expression_parameters`` again (cheap, and so a caller with no Key or Item checks of its
    own gets it), then AttributeUpdates (UpdateItem), Expected with ConditionalOperator (dynalite's
    order: after the Key or Item, before the expressions), the maps and the expressions.
    UpdateExpression is read for UpdateItem only, the legacy members for the single-item writes
    only. Whether ConditionExpression is required (ConditionCheck) is the member table's.
    """
    check_expression_parameters(request, operation=operation)
    legacy = _LEGACY[operation][0]
    updates = attribute_updates(request.get("AttributeUpdates")) if "AttributeUpdates" in legacy else None
    expected = None
    if "Expected" in legacy:
        expected = expected_condition(request.get("Expected"), request.get("ConditionalOperator"))
    names = validate_expression_attribute_names(request.get("ExpressionAttributeNames"))
    values = validate_expression_attribute_values(request.get("ExpressionAttributeValues"))
    parsed = parse_expressions(
        names=names,
        values=values,
        update=request.get("UpdateExpression") if operation == "UpdateItem" else None,
        condition=request.get("ConditionExpression"),
    )
    condition = parsed.condition if parsed.condition is not None else expected
    on_failure = request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
    return WriteExpressions(condition, parsed.update, on_failure, updates)


def condition_holds(expressions: WriteExpressions, old: Item | None) -> bool:
    """Whether the write's condition (if any) holds for the stored item (None: there is none)."""
    return expressions.condition is None or expressions.condition.evaluate(old)


def condition_refusal(
    expressions: WriteExpressions, old: Item | None
) -> ConditionalCheckFailedException | None:
    """DynamoDB's ConditionalCheckFailedException unless the condition holds for ``old`` (then None).

    The error carries ``Item`` (the old item, which the caller must not share with storage) only
    when ALL_OLD was asked for and there was an item.
    """
    if condition_holds(expressions, old):
        return None
    extra = {"Item": old} if expressions.return_old_on_failure and old is not None else None
    return ConditionalCheckFailedException(CONDITION_FAILED, extra=extra)


def stored_condition_refusal(
    expressions: WriteExpressions, table: Table, key: KeyValues
) -> ConditionalCheckFailedException | None:
    """``condition_refusal`` against the item stored under ``key`` (PutItem, DeleteItem); a write with
    no condition does not read the stored item."""
    if expressions.condition is None:
        return None
    stored = table.store.lookup(key)
    return condition_refusal(expressions, None if stored is None else stored.item)
