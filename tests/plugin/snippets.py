"""Source text for the throwaway projects the plugin tests run pytest in (through pytester).

Each project is what a downstream user has: test files and, sometimes, an ini file; no conftest of
ours. The plugin arrives through the installed package's ``pytest11`` entry point.
"""

from __future__ import annotations

MODELS = """
from aiodynamodb import BatchPut, DynamoModel, HashKey, RangeKey, table


@table("users")
class User(DynamoModel):
    user_id: HashKey[str]
    name: str


@table("orders")
class Order(DynamoModel):
    customer: HashKey[str]
    number: RangeKey[int]


def users(count):
    return [BatchPut(User(user_id=f"u{n}", name="n")) for n in range(count)]


def put_requests(count):
    return [{"PutRequest": {"Item": {"user_id": {"S": f"u{n}"}, "name": {"S": "n"}}}} for n in range(count)]


USERS_TABLE = {
    "TableName": "users",
    "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "user_id", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}
"""

STRICT_INI = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"
AUTO_INI = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
