"""The main job: start the embedded fake, create a table, batch-write a few hundred items, read them back.

Run it with ``./run example``. Everything happens in this process: no server, no AWS account.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiodynamodb.transport import Transport
from aiodynamodb_fake import FakeDynamoDB

TABLE = "orders"
ITEMS = 300


def order(number: int) -> dict[str, Any]:
    return {
        "customer": {"S": f"customer-{number % 10}"},
        "order_id": {"N": str(number)},
        "total": {"N": f"{number * 1.25:.2f}"},
        "lines": {"L": [{"M": {"sku": {"S": f"sku-{number % 7}"}, "qty": {"N": str(1 + number % 3)}}}]},
    }


async def main(transport: Transport) -> None:
    await transport.call(
        "CreateTable",
        {
            "TableName": TABLE,
            "KeySchema": [
                {"AttributeName": "customer", "KeyType": "HASH"},
                {"AttributeName": "order_id", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "customer", "AttributeType": "S"},
                {"AttributeName": "order_id", "AttributeType": "N"},
            ],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    orders = [order(n) for n in range(ITEMS)]
    write_units = 0.0
    for start in range(0, ITEMS, 25):  # BatchWriteItem takes at most 25 requests
        response = await transport.call(
            "BatchWriteItem",
            {
                "RequestItems": {TABLE: [{"PutRequest": {"Item": o}} for o in orders[start : start + 25]]},
                "ReturnConsumedCapacity": "TOTAL",
            },
        )
        assert response["UnprocessedItems"] == {}
        write_units += response["ConsumedCapacity"][0]["CapacityUnits"]

    read_back: list[dict[str, Any]] = []
    read_units = 0.0
    for start in range(0, ITEMS, 100):  # BatchGetItem takes at most 100 keys
        keys = [{"customer": o["customer"], "order_id": o["order_id"]} for o in orders[start : start + 100]]
        response = await transport.call(
            "BatchGetItem", {"RequestItems": {TABLE: {"Keys": keys}}, "ReturnConsumedCapacity": "TOTAL"}
        )
        read_back.extend(response["Responses"][TABLE])
        read_units += response["ConsumedCapacity"][0]["CapacityUnits"]

    table = (await transport.call("DescribeTable", {"TableName": TABLE}))["Table"]
    revenue = sum(float(item["total"]["N"]) for item in read_back)
    print(f"wrote {ITEMS} orders in {ITEMS // 25} BatchWriteItem calls ({write_units:g} WCU)")
    print(f"read back {len(read_back)} orders in {-(-ITEMS // 100)} BatchGetItem calls ({read_units:g} RCU)")
    print(
        f"table {TABLE}: {table['ItemCount']} items, {table['TableSizeBytes']} bytes; revenue {revenue:,.2f}"
    )
    await transport.close()


if __name__ == "__main__":
    asyncio.run(main(FakeDynamoDB()))
