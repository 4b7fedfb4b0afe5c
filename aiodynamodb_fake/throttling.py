"""The errors a throttled call answers with, worded and shaped as DynamoDB words and shapes them.

A provisioned table (or a provisioned GSI) over its capacity answers
``ProvisionedThroughputExceededException`` with ``ThrottlingReasons``; an on-demand table answers
``ThrottlingException`` with ``throttlingReasons`` (the member's casing differs between the two in
the API model). A reason is ResourceType + Operation + Limit, e.g.
``TableWriteProvisionedThroughputExceeded``; its resource is the table's (or index's) ARN.
Reference §5.4; https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ThrottlingReason.html
"""

from __future__ import annotations

from dataclasses import dataclass

from aiodynamodb.errors import DynamoDBError, ProvisionedThroughputExceededException, ThrottlingException

from .state import Table

__all__ = [
    "INDEX_PROVISIONED_MESSAGE",
    "ON_DEMAND_MESSAGE",
    "TABLE_PROVISIONED_MESSAGE",
    "ThrottleReason",
    "default_reason",
    "throttle_error",
]

TABLE_PROVISIONED_MESSAGE = (
    "The level of configured provisioned throughput for the table was exceeded. "
    "Consider increasing your provisioning level with the UpdateTable API."
)
INDEX_PROVISIONED_MESSAGE = (
    "The level of configured provisioned throughput for one or more global secondary indexes of the "
    "table was exceeded. Consider increasing your provisioning level for the under-provisioned global "
    "secondary indexes with the UpdateTable API."
)
ON_DEMAND_MESSAGE = (
    "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling "
    "your table or index so please try again shortly. If exceptions persist, check if you have a hot key: "
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"
)


@dataclass(frozen=True, slots=True)
class ThrottleReason:
    """Why one request was not served: which resource (the table, or one of its GSIs) hit which limit.

    ``limit`` is one of DynamoDB's: ProvisionedThroughputExceeded, KeyRangeThroughputExceeded,
    MaxOnDemandThroughputExceeded, AccountLimitExceeded.
    """

    table: Table
    write: bool
    limit: str
    index: str | None = None

    @property
    def code(self) -> str:
        resource = "Table" if self.index is None else "Index"
        return f"{resource}{'Write' if self.write else 'Read'}{self.limit}"

    def arn(self) -> str:
        arn = self.table.schema.arn
        return arn if self.index is None else f"{arn}/index/{self.index}"


def default_reason(table: Table, write: bool) -> ThrottleReason:
    """What an injected throttle says: provisioned capacity exceeded on a provisioned table, a hot
    key range on an on-demand one (the two ways a healthy table is throttled)."""
    provisioned = table.schema.billing_mode == "PROVISIONED"
    return ThrottleReason(
        table, write, "ProvisionedThroughputExceeded" if provisioned else "KeyRangeThroughputExceeded"
    )


def throttle_error(reason: ThrottleReason) -> DynamoDBError:
    """The whole-request error for a call none of whose requests could be served."""
    entry = [{"reason": reason.code, "resource": reason.arn()}]
    if reason.table.schema.billing_mode == "PROVISIONED":
        # The exception follows the table's mode; the reason says which limit (a hot key range on
        # a provisioned table included: its exact message is not documented, so it gets the table's).
        index_bound = reason.index is not None and reason.limit == "ProvisionedThroughputExceeded"
        message = INDEX_PROVISIONED_MESSAGE if index_bound else TABLE_PROVISIONED_MESSAGE
        return ProvisionedThroughputExceededException(message, extra={"ThrottlingReasons": entry})
    return ThrottlingException(ON_DEMAND_MESSAGE, extra={"throttlingReasons": entry})
