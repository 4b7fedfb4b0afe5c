"""CreateTable's throughput rules: ProvisionedThroughput for PROVISIONED tables, and the
OnDemandThroughput maxima an on-demand table and each of its GSIs may carry.

A PROVISIONED table needs ProvisionedThroughput, a PAY_PER_REQUEST one must not have it (dynalite's
tests, run against DynamoDB). OnDemandThroughput is only for on-demand tables; each member set must
be at least 1 at creation (-1 only removes a maximum, through UpdateTable); a member left out means
no maximum, and ``{}`` is as if absent. The messages are 2026 captures from real DynamoDB (quoted by
nubo-db/dynoxide's CreateTable and by an ACK-controller quirks catalogue): the billing-mode gate
names the first member set, read before write, and fires before the range check. The GSI gate's
tail is elided in the capture; choice: it ends like the table's. choice: these rules run after the
options (streams, SSE, table class) and before the tags.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_OnDemandThroughput.html
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode-max-throughput.html
"""

from __future__ import annotations

from aiodynamodb.errors import ValidationException

from .. import limits
from ..schema import OnDemandThroughput
from .create_table_request import CreateTableRequest

__all__ = ["INVALID", "MAX_CAPACITY", "check_billing", "check_on_demand"]

INVALID = "One or more parameter values were invalid: "
MAX_CAPACITY = limits.MAX_CAPACITY_UNITS  # above is "out of bounds" (see limits.py)
ON_DEMAND_ON_PROVISIONED = (
    INVALID + "{member} for OnDemandThroughput{index} cannot be specified "
    "when table BillingMode is PROVISIONED."
)
ON_DEMAND_OUT_OF_RANGE = (
    INVALID + "Requested {member} for OnDemandThroughput for {owner} is outside of valid range"
)


def check_billing(req: CreateTableRequest) -> None:
    """BillingMode against the table's ProvisionedThroughput (its GSIs' are index rules)."""
    if req.billing_mode == "PAY_PER_REQUEST":
        if req.throughput is not None:
            raise ValidationException(
                INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified "
                "when BillingMode is PAY_PER_REQUEST"
            )
        return
    if req.throughput is None:
        raise ValidationException(
            INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified "
            "when BillingMode is PROVISIONED"
        )
    for member, units in (
        ("ReadCapacityUnits", req.throughput.read_capacity_units),
        ("WriteCapacityUnits", req.throughput.write_capacity_units),
    ):
        if units > MAX_CAPACITY:
            raise ValidationException(f"Given value {units} for {member} is out of bounds")


def check_on_demand(req: CreateTableRequest) -> None:
    """The table's OnDemandThroughput, then each GSI's in request order."""
    provisioned = req.billing_mode != "PAY_PER_REQUEST"
    _check_maxima(req.on_demand, provisioned, None)
    for index in req.global_indexes or ():
        _check_maxima(index.on_demand, provisioned, index.name)


def _check_maxima(on_demand: OnDemandThroughput | None, provisioned: bool, index: str | None) -> None:
    if on_demand is None:
        return
    members = [
        (member, units)
        for member, units in (
            ("MaxReadRequestUnits", on_demand.max_read_request_units),
            ("MaxWriteRequestUnits", on_demand.max_write_request_units),
        )
        if units is not None
    ]
    if provisioned:
        where = "" if index is None else f" for index: {index}"
        raise ValidationException(ON_DEMAND_ON_PROVISIONED.format(member=members[0][0], index=where))
    for member, units in members:
        if units < 1:
            owner = "table" if index is None else f"index : {index}"
            raise ValidationException(ON_DEMAND_OUT_OF_RANGE.format(member=member, owner=owner))
