"""The ``#n``/``:v`` placeholders of one request, shared by all of its expressions.

DynamoDB takes one ``ExpressionAttributeNames`` and one ``ExpressionAttributeValues`` map per request
and refuses a request in which a placeholder of either map is not used by any of its expressions
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html).
A request that carries a key condition, a filter, an update and a projection therefore renders them
all through one ``Placeholders``: numbering never restarts, so two expressions never claim the same
placeholder, and an entry exists only because some expression just wrote it into its text.

Names are shared: an attribute name gets one placeholder however often it appears. Values are never
shared (each use gets its own ``:v``), so no placeholder's value depends on which use came first.
"""

from __future__ import annotations

from typing import Any

from .._values import AttributeValue

__all__ = ["Placeholders"]


class Placeholders:
    """Allocates placeholders for one request; ``names``/``values`` are the maps to send with it.

    ``name_start``/``value_start`` continue a numbering begun elsewhere (the published builders keep
    counting across ``build_expression`` calls, as boto3's builder does).
    """

    __slots__ = ("_by_name", "_name_start", "_value_start", "names", "values")

    def __init__(self, *, name_start: int = 0, value_start: int = 0) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, AttributeValue] = {}
        self._by_name: dict[str, str] = {}
        self._name_start = name_start
        self._value_start = value_start

    def name(self, attribute: str) -> str:
        """The ``#n`` placeholder standing for ``attribute`` (one per distinct name)."""
        placeholder = self._by_name.get(attribute)
        if placeholder is None:
            placeholder = f"#n{self._name_start + len(self.names)}"
            self._by_name[attribute] = placeholder
            self.names[placeholder] = attribute
        return placeholder

    def value(self, value: AttributeValue) -> str:
        """A new ``:v`` placeholder standing for the AttributeValue ``value``."""
        placeholder = f":v{self._value_start + len(self.values)}"
        self.values[placeholder] = value
        return placeholder

    def members(self) -> dict[str, Any]:
        """``ExpressionAttributeNames``/``ExpressionAttributeValues`` for the request; an empty map is
        left out, since DynamoDB rejects empty ones."""
        members: dict[str, Any] = {}
        if self.names:
            members["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            members["ExpressionAttributeValues"] = dict(self.values)
        return members
