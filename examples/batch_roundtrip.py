"""The main job: the client on the embedded fake; a few hundred orders batch-written and read back.

Run it with ``./run example``. Everything happens in this process: no server, no AWS account. The
same code runs on real DynamoDB with ``DynamoDB(region_name=...)`` instead of ``mock_dynamodb``.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

from aiodynamodb import BatchDelete, BatchGet, BatchPut, DynamoModel, HashKey, ProjectionAttr, RangeKey, table
from aiodynamodb.testing import mock_dynamodb
from aiodynamodb_fake import FakeDynamoDB

ORDERS = 300


@table("orders")
class Order(DynamoModel):
    customer: HashKey[str]
    order_id: RangeKey[int]
    total: Decimal
    lines: list[str]


def order(number: int) -> Order:
    return Order(
        customer=f"customer-{number % 10}",
        order_id=number,
        total=Decimal(number) * Decimal("1.25"),
        lines=[f"sku-{number % 7}"] * (1 + number % 3),
    )


async def main() -> None:
    fake = FakeDynamoDB()
    async with mock_dynamodb(Order, fake=fake) as db:
        orders = [order(n) for n in range(ORDERS)]
        # any number of operations: sent 25 per BatchWriteItem call, unprocessed items resent
        written = await db.batch_write([BatchPut(o) for o in orders], return_consumed_capacity=True)
        removed = await db.batch_write([BatchDelete(Order, hash_key="customer-0", range_key=0)])
        assert not written.unprocessed and not removed.unprocessed

        # any number of keys: sent 100 per BatchGetItem call; a projection gives partial models
        got = await db.batch_get(
            [BatchGet(Order, hash_key=o.customer, range_key=o.order_id) for o in orders],
            return_consumed_capacity=True,
        )
        totals_only = await db.batch_get(
            [
                BatchGet(
                    Order, hash_key="customer-1", range_key=1, projection_expression=[ProjectionAttr("total")]
                )
            ]
        )

        read_back = got.items[Order]
        revenue = sum(o.total for o in read_back)
        write_units = sum(c["CapacityUnits"] for c in written.consumed_capacity or [])
        read_units = sum(c["CapacityUnits"] for c in got.consumed_capacity or [])
        table_info = (await fake.call("DescribeTable", {"TableName": "orders"}))["Table"]
        print(f"wrote {ORDERS} orders ({write_units:g} WCU), deleted one; unprocessed: {written.unprocessed}")
        print(f"read back {len(read_back)} orders ({read_units:g} RCU); unprocessed: {got.unprocessed}")
        print(f"projected read: {totals_only.items[Order][0].total} (only 'total' was fetched)")
        print(f"table orders: {table_info['ItemCount']} items, {table_info['TableSizeBytes']} bytes")
        print(f"revenue {revenue:,.2f}")


if __name__ == "__main__":
    asyncio.run(main())
