"""Property (c): BatchGetItem returns exactly the requested keys that exist, each once.

Two tables (a composite S+N key and a hash-only N key) are filled with PutItem from a small key
pool; the request asks for random present and missing keys over one or both tables, numbers
written in other forms than when stored, sometimes with a projection over key attributes (a
ProjectionExpression, plain or through ``#names``, or AttributesToGet). The answer must hold a ``Responses`` entry for every requested table
and nothing else, each table's items equal (as a multiset, order free) to the model's projected
items for the requested keys that exist, ``UnprocessedKeys == {}``; reading changes nothing, and
nothing in the answer aliases stored state.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.strategies import TableSpec, batch_get_requests, items, key_identity
from tests.support.oracle import canonical_item, scramble
from tests.support.tables import COMPOSITE, HASH_N, property_settings

TABLES = (COMPOSITE, HASH_N)
SPECS: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}
EXTRA_PROJECTED = ("a", "x")  # common attribute names (see ``attribute_names``), often present


def project(item: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """The model's projection: top-level attribute names only, which is all the strategy writes."""
    if "AttributesToGet" in entry:
        wanted = set(entry["AttributesToGet"])
    elif "ProjectionExpression" in entry:
        names = entry.get("ExpressionAttributeNames", {})
        wanted = {names.get(part.strip(), part.strip()) for part in entry["ProjectionExpression"].split(",")}
    else:
        return item
    return {name: value for name, value in item.items() if name in wanted}


def as_multiset(table_items: list[dict[str, Any]], numbers: bool) -> Counter[str]:
    return Counter(repr(sorted(canonical_item(item, numbers=numbers).items())) for item in table_items)


@property_settings()
@given(
    stored=st.tuples(*(st.lists(items(spec), max_size=12) for spec in TABLES)),
    request=batch_get_requests(TABLES, projection_names=EXTRA_PROJECTED),
)
def test_batch_get_returns_each_existing_requested_key_once(
    make_fake: Callable[..., FakeDynamoDB],
    take_snapshot: Callable[[FakeDynamoDB], Any],
    stored: tuple[list[dict[str, Any]], ...],
    request: dict[str, Any],
) -> None:
    fake = make_fake(TABLES)
    model: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {spec.name: {} for spec in TABLES}
    for spec, table_items in zip(TABLES, stored, strict=True):
        for item in table_items:
            fake.call_sync("PutItem", {"TableName": spec.name, "Item": item})
            model[spec.name][key_identity(spec, item)] = canonical_item(item)
    before = take_snapshot(fake)

    response = fake.call_sync("BatchGetItem", copy.deepcopy(request))

    assert response["UnprocessedKeys"] == {}
    assert set(response["Responses"]) == set(request["RequestItems"])
    for table, entry in request["RequestItems"].items():
        spec = SPECS[table]
        expected = [
            project(model[table][identity], entry)
            for identity in (key_identity(spec, key) for key in entry["Keys"])
            if identity in model[table]
        ]
        # numbers=False on the answer: it must come back normalised by the fake itself
        assert as_multiset(response["Responses"][table], numbers=False) == as_multiset(expected, numbers=True)
    assert take_snapshot(fake) == before, "a read changed the stored items"
    scramble(response)
    assert take_snapshot(fake) == before, "the answer aliases stored state"
    fake._check()
