"""Property (a): a valid BatchWriteItem leaves the state a dict model reaches by applying its
writes one by one (a put replaces the whole item, a delete of a missing key is a no-op).

The model maps table -> key identity (numbers compared by value, so "1.0" and "1" are one key)
-> canonical item, built by ``tests.support.oracle`` independently of the fake. Batches span
several tables (named by name or by ARN), reuse a small key pool (overwrites, deletes of present and missing items) and write
numbers in many equivalent forms. After each batch the fake must hold exactly the model, with
numbers stored canonical, answer GetItem for every key ever used accordingly, and keep nothing that
aliases the request.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.strategies import TableSpec, batch_write_requests, key_identity
from tests.support.oracle import canonical_item, scramble
from tests.support.tables import ALL_TABLES, property_settings

SPECS: dict[str, TableSpec] = {spec.name: spec for spec in ALL_TABLES} | {
    spec.arn: spec for spec in ALL_TABLES
}
Model = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def apply_to_model(model: Model, used_keys: dict[str, dict[tuple[Any, ...], Any]], request: Any) -> None:
    for name_or_arn, writes in request["RequestItems"].items():
        spec = SPECS[name_or_arn]
        table = spec.name
        for write in writes:
            if "PutRequest" in write:
                item = write["PutRequest"]["Item"]
                identity = key_identity(spec, item)
                model[table][identity] = canonical_item(item)
                used_keys[table][identity] = copy.deepcopy(spec.key_of(item))
            else:
                key = write["DeleteRequest"]["Key"]
                identity = key_identity(spec, key)
                model[table].pop(identity, None)
                used_keys[table][identity] = copy.deepcopy(key)


def stored(fake: FakeDynamoDB) -> Model:
    """What the fake holds, read straight from storage; numbers are *not* normalised here."""
    contents: Model = {}
    for name in fake.table_names():
        spec = SPECS[name]
        table_items = fake.items(name)
        by_key = {key_identity(spec, item): canonical_item(item, numbers=False) for item in table_items}
        assert len(by_key) == len(table_items), f"{name}: two stored items share a key"
        contents[name] = by_key
    return contents


@property_settings()
@given(batches=st.lists(batch_write_requests(ALL_TABLES, arns=True), min_size=1, max_size=3))
def test_valid_batches_match_the_dict_model(
    make_fake: Callable[..., FakeDynamoDB], batches: list[dict[str, Any]]
) -> None:
    fake = make_fake(ALL_TABLES)
    model: Model = {spec.name: {} for spec in ALL_TABLES}
    used_keys: dict[str, dict[tuple[Any, ...], Any]] = {spec.name: {} for spec in ALL_TABLES}
    for batch in batches:
        request = copy.deepcopy(batch)  # ours to scramble: Hypothesis may share values between examples
        response = fake.call_sync("BatchWriteItem", request)

        assert response["UnprocessedItems"] == {}
        assert request == batch, "the fake changed the caller's request"
        apply_to_model(model, used_keys, batch)
        scramble(request)  # the store must own copies of what it was sent
        assert stored(fake) == model
        fake._check()

    for table, table_keys in used_keys.items():
        for identity, key in table_keys.items():
            answer = fake.call_sync("GetItem", {"TableName": table, "Key": key, "ConsistentRead": True})
            expected = model[table].get(identity)
            if expected is None:
                assert "Item" not in answer, f"{table}: deleted or never-written {key} came back"
            else:
                assert canonical_item(answer["Item"], numbers=False) == expected
