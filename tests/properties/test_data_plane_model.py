"""Property (b) of the data-plane issue: random puts, conditional puts, updates, deletes, batches and
transactions on the fake and on a dict model; after every step each query (table, GSI, LSI; both
directions; random Limits, paginated to the end) and every segmented scan agrees with the model.

The table: ``pk`` (S) and ``sk`` (N), a GSI ``by_g`` on ``g`` (S) / ``gs`` (N) projecting ALL, an LSI
``by_l`` on ``l`` (N) projecting KEYS_ONLY. Items hold optional ``g``, ``gs``, ``l``, a string ``a``
and a counter ``cnt``; updates move items in and out of both indexes. A transaction may carry a
ConditionCheck that fails: then nothing of it is applied, and the model is left as it was.
Index order for equal index keys is the fake's (table key order); DynamoDB leaves it unspecified.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from aiodynamodb.errors import TransactionCanceledException
from aiodynamodb_fake import FakeDynamoDB
from tests.support.tables import property_settings

TABLE = "model"
Item = dict[str, dict[str, Any]]
Key = tuple[str, int]

PKS = st.sampled_from(["a", "b", "c"])
SKS = st.integers(0, 4)
KEYS = st.tuples(PKS, SKS)
OPTIONAL = {
    "g": st.sampled_from(["x", "y"]).map(lambda v: {"S": v}),
    "gs": st.integers(-2, 2).map(lambda v: {"N": str(v)}),
    "l": st.integers(0, 3).map(lambda v: {"N": str(v)}),
    "a": st.text("ab", max_size=3).map(lambda v: {"S": v}),
    "cnt": st.integers(0, 9).map(lambda v: {"N": str(v)}),
}
ATTRIBUTES = st.fixed_dictionaries({}, optional=OPTIONAL)
# (UpdateExpression, values) pairs whose effect ``apply_update`` reproduces
UPDATES = st.one_of(
    st.text("xyz", max_size=2).map(lambda v: ("SET a = :v", {":v": {"S": v}})),
    st.integers(1, 3).map(lambda v: ("ADD cnt :v", {":v": {"N": str(v)}})),
    st.just(("REMOVE g, gs", {})),
    st.tuples(st.sampled_from(["x", "y"]), st.integers(-2, 2)).map(
        lambda p: ("SET g = :g, gs = :s", {":g": {"S": p[0]}, ":s": {"N": str(p[1])}})
    ),
    st.integers(0, 3).map(lambda v: ("SET l = :v", {":v": {"N": str(v)}})),
)


def key_av(key: Key) -> Item:
    return {"pk": {"S": key[0]}, "sk": {"N": str(key[1])}}


def apply_update(old: Item | None, key: Key, update: tuple[str, dict[str, Any]]) -> Item:
    """What the model says an UpdateItem leaves (``old`` None: it starts from the key)."""
    item = dict(old) if old is not None else key_av(key)
    text, values = update
    if text.startswith("SET a"):
        item["a"] = values[":v"]
    elif text.startswith("ADD"):
        current = Decimal(item["cnt"]["N"]) if "cnt" in item else Decimal(0)
        item["cnt"] = {"N": str(current + Decimal(values[":v"]["N"]))}
    elif text.startswith("REMOVE"):
        item.pop("g", None)
        item.pop("gs", None)
    elif text.startswith("SET g"):
        item["g"], item["gs"] = values[":g"], values[":s"]
    else:
        item["l"] = values[":v"]
    return item


def canonical(item: Item) -> Item:
    """Numbers compared by value: the fake stores them normalised."""
    return {n: ({"N": str(Decimal(v["N"]).normalize())} if "N" in v else v) for n, v in item.items()}


class DataPlaneMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeDynamoDB()
        self.fake.call_sync(
            "CreateTable",
            {
                "TableName": TABLE,
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                "AttributeDefinitions": [
                    {"AttributeName": name, "AttributeType": kind}
                    for name, kind in (("pk", "S"), ("sk", "N"), ("g", "S"), ("gs", "N"), ("l", "N"))
                ],
                "BillingMode": "PAY_PER_REQUEST",
                "GlobalSecondaryIndexes": [
                    {
                        "IndexName": "by_g",
                        "KeySchema": [
                            {"AttributeName": "g", "KeyType": "HASH"},
                            {"AttributeName": "gs", "KeyType": "RANGE"},
                        ],
                        "Projection": {"ProjectionType": "ALL"},
                    }
                ],
                "LocalSecondaryIndexes": [
                    {
                        "IndexName": "by_l",
                        "KeySchema": [
                            {"AttributeName": "pk", "KeyType": "HASH"},
                            {"AttributeName": "l", "KeyType": "RANGE"},
                        ],
                        "Projection": {"ProjectionType": "KEYS_ONLY"},
                    }
                ],
            },
        )
        self.model: dict[Key, Item] = {}

    # --- writes ---------------------------------------------------------------------------------

    @rule(key=KEYS, attributes=ATTRIBUTES)
    def put(self, key: Key, attributes: Item) -> None:
        item = {**key_av(key), **attributes}
        self.fake.call_sync("PutItem", {"TableName": TABLE, "Item": item})
        self.model[key] = item

    @rule(key=KEYS, attributes=ATTRIBUTES)
    def put_if_absent(self, key: Key, attributes: Item) -> None:
        item = {**key_av(key), **attributes}
        request = {"TableName": TABLE, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}
        try:
            self.fake.call_sync("PutItem", request)
        except Exception as err:  # the class is asserted next
            assert type(err).__name__ == "ConditionalCheckFailedException"
            assert key in self.model
        else:
            assert key not in self.model
            self.model[key] = item

    @rule(key=KEYS)
    def delete(self, key: Key) -> None:
        self.fake.call_sync("DeleteItem", {"TableName": TABLE, "Key": key_av(key)})
        self.model.pop(key, None)

    @rule(key=KEYS, update=UPDATES)
    def update(self, key: Key, update: tuple[str, dict[str, Any]]) -> None:
        request: dict[str, Any] = {"TableName": TABLE, "Key": key_av(key), "UpdateExpression": update[0]}
        if update[1]:
            request["ExpressionAttributeValues"] = update[1]
        response = self.fake.call_sync("UpdateItem", {**request, "ReturnValues": "ALL_NEW"})
        self.model[key] = apply_update(self.model.get(key), key, update)
        assert canonical(response["Attributes"]) == canonical(self.model[key])

    @rule(
        writes=st.dictionaries(KEYS, st.one_of(st.none(), ATTRIBUTES), min_size=1, max_size=25),
    )
    def batch_write(self, writes: dict[Key, Item | None]) -> None:
        requests = [
            {"DeleteRequest": {"Key": key_av(key)}}
            if attributes is None
            else {"PutRequest": {"Item": {**key_av(key), **attributes}}}
            for key, attributes in writes.items()
        ]
        response = self.fake.call_sync("BatchWriteItem", {"RequestItems": {TABLE: requests}})
        assert not response["UnprocessedItems"]
        for key, attributes in writes.items():
            if attributes is None:
                self.model.pop(key, None)
            else:
                self.model[key] = {**key_av(key), **attributes}

    @rule(
        actions=st.dictionaries(
            KEYS,
            st.one_of(st.none(), ATTRIBUTES, UPDATES.map(lambda u: ("update", u))),
            min_size=1,
            max_size=6,
        ),
        failing_check=st.one_of(st.none(), KEYS),
    )
    def transact_write(self, actions: dict[Key, Any], failing_check: Key | None) -> None:
        items: list[dict[str, Any]] = []
        for key, action in actions.items():
            if action is None:
                items.append({"Delete": {"TableName": TABLE, "Key": key_av(key)}})
            elif isinstance(action, tuple):
                update: dict[str, Any] = {
                    "TableName": TABLE,
                    "Key": key_av(key),
                    "UpdateExpression": action[1][0],
                }
                if action[1][1]:
                    update["ExpressionAttributeValues"] = action[1][1]
                items.append({"Update": update})
            else:
                items.append({"Put": {"TableName": TABLE, "Item": {**key_av(key), **action}}})
        fails = failing_check is not None and failing_check not in actions
        if fails:
            assert failing_check is not None
            check = {"TableName": TABLE, "Key": key_av(failing_check), "ConditionExpression": "cnt = :never"}
            items.append({"ConditionCheck": {**check, "ExpressionAttributeValues": {":never": {"N": "-1"}}}})
        try:
            self.fake.call_sync("TransactWriteItems", {"TransactItems": items})
        except TransactionCanceledException as err:
            assert fails
            codes = [reason["Code"] for reason in err.cancellation_reasons]
            assert codes == ["None"] * len(actions) + ["ConditionalCheckFailed"]
            return
        assert not fails
        for key, action in actions.items():
            if action is None:
                self.model.pop(key, None)
            elif isinstance(action, tuple):
                self.model[key] = apply_update(self.model.get(key), key, action[1])
            else:
                self.model[key] = {**key_av(key), **action}

    # --- reads ----------------------------------------------------------------------------------

    def query_all(
        self, index: str | None, name: str, value: dict[str, Any], forward: bool, limit: int | None
    ) -> list[Item]:
        request: dict[str, Any] = {
            "TableName": TABLE,
            "KeyConditionExpression": "#h = :h",
            "ExpressionAttributeNames": {"#h": name},
            "ExpressionAttributeValues": {":h": value},
            "ScanIndexForward": forward,
        }
        if index is not None:
            request["IndexName"] = index
        if limit is not None:
            request["Limit"] = limit
        found: list[Item] = []
        for _ in range(100):
            page = self.fake.call_sync("Query", request)
            assert page["Count"] == page["ScannedCount"] == len(page["Items"])
            assert limit is None or page["Count"] <= limit
            found.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                return found
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        raise AssertionError("pagination does not end")

    @rule(forward=st.booleans(), limit=st.one_of(st.none(), st.integers(1, 4)))
    def queries_agree(self, forward: bool, limit: int | None) -> None:
        for pk in ("a", "b", "c"):
            expected = sorted(
                (item for key, item in self.model.items() if key[0] == pk), key=lambda i: int(i["sk"]["N"])
            )
            got = self.query_all(None, "pk", {"S": pk}, forward, limit)
            assert [canonical(i) for i in got] == [
                canonical(i) for i in (expected if forward else expected[::-1])
            ]
            in_lsi = sorted(
                ({"pk": i["pk"], "sk": i["sk"], "l": i["l"]} for i in expected if "l" in i),
                key=lambda i: (int(i["l"]["N"]), int(i["sk"]["N"])),
            )
            got_lsi = self.query_all("by_l", "pk", {"S": pk}, forward, limit)
            assert [canonical(i) for i in got_lsi] == [
                canonical(i) for i in (in_lsi if forward else in_lsi[::-1])
            ]
        for g in ("x", "y"):
            in_gsi = sorted(
                (i for i in self.model.values() if i.get("g") == {"S": g} and "gs" in i),
                key=lambda i: (int(i["gs"]["N"]), i["pk"]["S"], int(i["sk"]["N"])),
            )
            got_gsi = self.query_all("by_g", "g", {"S": g}, forward, limit)
            assert [canonical(i) for i in got_gsi] == [
                canonical(i) for i in (in_gsi if forward else in_gsi[::-1])
            ]

    @rule(total=st.integers(1, 3), limit=st.one_of(st.none(), st.integers(1, 5)))
    def segmented_scan_agrees(self, total: int, limit: int | None) -> None:
        seen: list[Item] = []
        for segment in range(total):
            request: dict[str, Any] = {"TableName": TABLE, "Segment": segment, "TotalSegments": total}
            if limit is not None:
                request["Limit"] = limit
            for _ in range(100):
                page = self.fake.call_sync("Scan", request)
                seen.extend(page["Items"])
                if "LastEvaluatedKey" not in page:
                    break
                request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
            else:
                raise AssertionError("scan pagination does not end")
        keys = [(i["pk"]["S"], int(i["sk"]["N"])) for i in seen]
        assert len(keys) == len(set(keys)), "an item was scanned twice"
        assert {k: canonical(i) for k, i in zip(keys, seen, strict=True)} == {
            k: canonical(i) for k, i in self.model.items()
        }

    @invariant()
    def storage_holds(self) -> None:
        self.fake._check()


DataPlaneMachine.TestCase.settings = property_settings(200, stateful_step_count=20)
TestDataPlaneModel = DataPlaneMachine.TestCase
