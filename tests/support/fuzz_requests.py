"""Valid-looking requests for any operation, the starting point of the fuzzers' mutations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from aiodynamodb_fake.strategies import TableSpec, batch_get_requests, batch_write_requests, items, keys

__all__ = ["requests_for"]


def requests_for(operation: str, specs: Sequence[TableSpec]) -> st.SearchStrategy[dict[str, Any]]:
    """Valid-looking requests for ``operation`` on the tables ``specs`` (some fail only because of
    state: a table already there, a name not found). Unknown operations get a generic table+key
    request, so mutations still reach past the first checks."""
    names = [spec.name for spec in specs]
    table_names = st.sampled_from([*names, "missing_table"])
    spec_choice = st.sampled_from(list(specs))
    if operation == "CreateTable":
        fresh = st.builds(
            TableSpec,
            name=st.sampled_from([*names, "fuzz_new", "fuzz.other-1"]),
            hash_name=st.sampled_from(["pk", "id"]),
            hash_type=st.sampled_from(["S", "N", "B"]),
        )
        return st.one_of(fresh, spec_choice).map(lambda spec: spec.create_table_request())
    if operation in ("DescribeTable", "DeleteTable"):
        return st.fixed_dictionaries({"TableName": table_names})
    if operation == "ListTables":
        return st.fixed_dictionaries(
            {}, optional={"Limit": st.integers(1, 100), "ExclusiveStartTableName": table_names}
        )
    if operation == "PutItem":
        return spec_choice.flatmap(
            lambda spec: st.fixed_dictionaries(
                {"TableName": st.just(spec.name), "Item": items(spec)},
                optional={
                    "ReturnValues": st.sampled_from(["NONE", "ALL_OLD"]),
                    "ReturnConsumedCapacity": st.sampled_from(["NONE", "TOTAL", "INDEXES"]),
                },
            )
        )
    if operation == "GetItem":
        return spec_choice.flatmap(
            lambda spec: st.fixed_dictionaries(
                {"TableName": st.just(spec.name), "Key": keys(spec)},
                optional={
                    "ConsistentRead": st.booleans(),
                    "ProjectionExpression": st.just(", ".join(spec.key_names)),
                },
            )
        )
    if operation == "DeleteItem":
        return spec_choice.flatmap(
            lambda spec: st.fixed_dictionaries(
                {"TableName": st.just(spec.name), "Key": keys(spec)},
                optional={"ReturnValues": st.sampled_from(["NONE", "ALL_OLD"])},
            )
        )
    if operation == "BatchWriteItem":
        return batch_write_requests(specs)
    if operation == "BatchGetItem":
        return batch_get_requests(specs, max_keys=10)
    return spec_choice.flatmap(
        lambda spec: st.fixed_dictionaries(
            {"TableName": st.just(spec.name)}, optional={"Key": keys(spec), "Item": items(spec)}
        )
    )
