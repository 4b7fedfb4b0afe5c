"""Query, scan, update and transactions are resent as other calls are: throttling yes, failed conditions no.

The service here is a script of answers (a response, or an error to raise), because the fake does not
answer these actions yet and its faults are declared per action it knows; what is checked is the
client's side: which requests it sends, how often, and what it makes of the answers.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest
from boto3.dynamodb.conditions import Attr, Key

from aiodynamodb import DynamoDB, RetryPolicy, TransactPut, UpdateAttr
from aiodynamodb.errors import (
    ConditionalCheckFailedException,
    ProvisionedThroughputExceededException,
    ThrottlingException,
    TransactionCanceledException,
)

from .conftest import Counter, RecordingClock, User


class Script:
    """Answers each call with the next scripted answer: a response dict, or an exception to raise."""

    def __init__(self, *answers: dict[str, Any] | Exception) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def call(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        self.calls.append((operation, copy.deepcopy(dict(request))))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def close(self) -> None:
        pass


def client(script: Script, attempts: int = 3) -> tuple[DynamoDB, RecordingClock]:
    clock = RecordingClock()
    return DynamoDB(transport=script, retry=RetryPolicy(max_attempts=attempts, clock=clock)), clock


def cancelled(*codes: str) -> TransactionCanceledException:
    reasons = [{"Code": code} for code in codes]
    return TransactionCanceledException(
        f"Transaction cancelled, please refer cancellation reasons for specific reasons [{', '.join(codes)}]",
        extra={"CancellationReasons": reasons},
    )


def user_item(user_id: str) -> dict[str, Any]:
    return {"user_id": {"S": user_id}, "name": {"S": "n"}}


async def test_a_throttled_page_is_resent_and_paging_goes_on() -> None:
    script = Script(
        {"Items": [user_item("a")], "LastEvaluatedKey": {"user_id": {"S": "a"}}},
        ThrottlingException("Throughput exceeds the current capacity of your table or index."),
        ProvisionedThroughputExceededException(
            "The level of configured provisioned throughput was exceeded."
        ),
        {"Items": [user_item("b")]},
    )
    db, clock = client(script)
    pages = [page async for page in db.query(User, key_condition_expression=Key("user_id").eq("a"), limit=1)]
    assert [[u.user_id for u in p.items] for p in pages] == [["a"], ["b"]]
    assert [p.last_evaluated_key for p in pages] == [{"user_id": "a"}, None]
    first, *resent = [request for _, request in script.calls]
    assert "ExclusiveStartKey" not in first and first["Limit"] == 1
    assert [r["ExclusiveStartKey"] for r in resent] == [{"user_id": {"S": "a"}}] * 3
    assert len(clock.sleeps) == 2


async def test_a_scan_gives_up_after_its_attempts() -> None:
    script = Script(*[ThrottlingException("slow down")] * 3)
    db, _ = client(script)
    with pytest.raises(ThrottlingException):
        await anext(db.scan(User, filter_expression=Attr("name").eq("n")))
    assert [op for op, _ in script.calls] == ["Scan"] * 3


async def test_a_failed_condition_is_never_resent() -> None:
    script = Script(ConditionalCheckFailedException("The conditional request failed"))
    db, clock = client(script)
    with pytest.raises(ConditionalCheckFailedException):
        await db.update(
            Counter,
            hash_key=1,
            update_expression=[UpdateAttr("label").set("x")],
            condition_expression=Attr("label").not_exists(),
        )
    assert len(script.calls) == 1 and clock.sleeps == []
    (_, request), *_ = script.calls
    assert request == {
        "TableName": "counters",
        "Key": {"n": {"N": "1"}},
        "ConditionExpression": "attribute_not_exists(#n0)",
        "UpdateExpression": "SET #n0 = :v0",
        "ExpressionAttributeNames": {"#n0": "label"},
        "ExpressionAttributeValues": {":v0": {"S": "x"}},
    }


@pytest.mark.parametrize(
    ("codes", "sends"),
    [
        (("None", "ThrottlingError"), 2),
        (("TransactionConflict", "None"), 2),
        (("ProvisionedThroughputExceeded", "ThrottlingError"), 2),
        (("None", "ConditionalCheckFailed"), 1),
        (("ThrottlingError", "ConditionalCheckFailed"), 1),  # would fail again: not resent
        (("ValidationError", "None"), 1),
    ],
)
async def test_a_cancelled_transaction_is_resent_only_when_nothing_but_throttling_or_conflict_stopped_it(
    codes: tuple[str, ...], sends: int
) -> None:
    script = Script(cancelled(*codes), {})
    db, _ = client(script)
    operations = [TransactPut(User(user_id="a", name="A")), TransactPut(User(user_id="b", name="B"))]
    if sends == 1:
        with pytest.raises(TransactionCanceledException) as caught:
            await db.transact_write(operations, client_request_token="t-1")
        assert [r["Code"] for r in caught.value.cancellation_reasons] == list(codes)
    else:
        assert await db.transact_write(operations, client_request_token="t-1") == {}
    assert len(script.calls) == sends
    # A resend is the same request, token included, so DynamoDB can tell it is the same transaction.
    assert all(request == script.calls[0][1] for _, request in script.calls)
    assert script.calls[0][1]["ClientRequestToken"] == "t-1"


async def test_transact_get_results_follow_the_request_order() -> None:
    from aiodynamodb import TransactGet

    script = Script({"Responses": [{"Item": user_item("b")}, {}, {"Item": {"n": {"N": "3"}}}]})
    db, _ = client(script)
    got = await db.transact_get([TransactGet(User, "b"), TransactGet(User, "zz"), TransactGet(Counter, 3)])
    assert got == [User(user_id="b", name="n"), None, Counter(n=3)]
    (_, request), *_ = script.calls
    assert request == {
        "TransactItems": [
            {"Get": {"TableName": "users", "Key": {"user_id": {"S": "b"}}}},
            {"Get": {"TableName": "users", "Key": {"user_id": {"S": "zz"}}}},
            {"Get": {"TableName": "counters", "Key": {"n": {"N": "3"}}}},
        ]
    }
