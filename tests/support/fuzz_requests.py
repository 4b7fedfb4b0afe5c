"""Valid-looking requests for any operation, the starting point of the fuzzers' mutations.

Expression-bearing requests (conditions, updates, key conditions, filters, projections, and the
transactions built of them) use a small pool of expressions that are valid for the sample tables, so
mutations start from requests that reach past validation into planning and applying.
"""

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
            ).flatmap(lambda request: _with_condition(request, spec))
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
            ).flatmap(lambda request: _with_condition(request, spec))
        )
    if operation == "UpdateItem":
        return spec_choice.flatmap(_update_requests)
    if operation == "Query":
        return spec_choice.flatmap(_query_requests)
    if operation == "Scan":
        return spec_choice.flatmap(_scan_requests)
    if operation == "TransactWriteItems":
        return st.lists(spec_choice.flatmap(_transact_write_actions), min_size=1, max_size=4).map(
            lambda actions: {"TransactItems": actions}
        )
    if operation == "TransactGetItems":
        return st.lists(
            spec_choice.flatmap(
                lambda spec: keys(spec).map(lambda key: {"Get": {"TableName": spec.name, "Key": key}})
            ),
            min_size=1,
            max_size=4,
        ).map(lambda actions: {"TransactItems": actions})
    if operation == "BatchWriteItem":
        return batch_write_requests(specs)
    if operation == "BatchGetItem":
        return batch_get_requests(specs, max_keys=10)
    return spec_choice.flatmap(
        lambda spec: st.fixed_dictionaries(
            {"TableName": st.just(spec.name)}, optional={"Key": keys(spec), "Item": items(spec)}
        )
    )


# (expression, names, values) valid on any sample table: attribute "a" is never a key attribute there.
_CONDITIONS: tuple[tuple[str, dict[str, str], dict[str, Any]], ...] = (
    ("attribute_not_exists(#c)", {"#c": "a"}, {}),
    ("attribute_exists(a) OR a = :c", {}, {":c": {"N": "1"}}),
    ("NOT begins_with(#c, :cs) AND size(#c) < :c", {"#c": "a"}, {":cs": {"S": "x"}, ":c": {"N": "3"}}),
    ("a BETWEEN :c AND :d OR a IN (:c, :d)", {}, {":c": {"N": "1"}, ":d": {"N": "2"}}),
    ("attribute_type(a, :ct) AND contains(a, :cs)", {}, {":ct": {"S": "SS"}, ":cs": {"S": "z"}}),
)
# Conditions name their placeholders #c / :c..., updates #a / :v...: merged, they never collide.
_UPDATES: tuple[tuple[str, dict[str, str], dict[str, Any]], ...] = (
    ("SET a = :v", {}, {":v": {"N": "1"}}),
    ("SET #a = if_not_exists(#a, :v) + :v REMOVE x", {"#a": "a"}, {":v": {"N": "2"}}),
    ("ADD a :v", {}, {":v": {"N": "5"}}),
    ("SET l = list_append(if_not_exists(l, :e), :e)", {}, {":e": {"L": [{"S": "v"}]}}),
    ("DELETE s :s SET m.n = :v", {}, {":s": {"SS": ["z"]}, ":v": {"S": "w"}}),
)


def _merged(request: dict[str, Any], names: dict[str, str], values: dict[str, Any]) -> dict[str, Any]:
    """``request`` with ``names``/``values`` merged into its ExpressionAttributeNames/Values."""
    merged = dict(request)
    if names:
        merged["ExpressionAttributeNames"] = {**merged.get("ExpressionAttributeNames", {}), **names}
    if values:
        merged["ExpressionAttributeValues"] = {**merged.get("ExpressionAttributeValues", {}), **values}
    return merged


def _with_condition(request: dict[str, Any], spec: TableSpec) -> st.SearchStrategy[dict[str, Any]]:
    """``request`` as it is, or with one of the pool's conditions (and maybe ALL_OLD on failure)."""
    conditioned = st.tuples(st.sampled_from(_CONDITIONS), st.booleans()).map(
        lambda choice: {
            **_merged(request, choice[0][1], choice[0][2]),
            "ConditionExpression": choice[0][0],
            **({"ReturnValuesOnConditionCheckFailure": "ALL_OLD"} if choice[1] else {}),
        }
    )
    return st.one_of(st.just(request), conditioned)


def _update_requests(spec: TableSpec) -> st.SearchStrategy[dict[str, Any]]:
    def build(
        key: dict[str, Any], update: tuple[str, dict[str, str], dict[str, Any]], mode: str
    ) -> dict[str, Any]:
        request = {"TableName": spec.name, "Key": key, "UpdateExpression": update[0], "ReturnValues": mode}
        return _merged(request, update[1], update[2])

    modes = st.sampled_from(["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"])
    return st.builds(build, keys(spec), st.sampled_from(_UPDATES), modes).flatmap(
        lambda request: _with_condition(request, spec)
    )


def _key_condition(spec: TableSpec, key: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    """``#h = :h`` on the key's partition, with a sort-key bound when the table has a sort key."""
    names = {"#h": spec.hash_name}
    values = {":h": key[spec.hash_name]}
    if spec.range_name is None:
        return "#h = :h", names, values
    names["#r"] = spec.range_name
    values[":r"] = key[spec.range_name]
    return "#h = :h AND #r >= :r", names, values


def _query_requests(spec: TableSpec) -> st.SearchStrategy[dict[str, Any]]:
    def build(key: dict[str, Any], forward: bool, limit: int | None, filtered: bool) -> dict[str, Any]:
        text, names, values = _key_condition(spec, key)
        request: dict[str, Any] = {
            "TableName": spec.name,
            "KeyConditionExpression": text,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": forward,
        }
        if limit is not None:
            request["Limit"] = limit
        if filtered:
            request = {**_merged(request, {}, {":f": {"N": "1"}}), "FilterExpression": "a <> :f"}
        return request

    return st.builds(build, keys(spec), st.booleans(), st.none() | st.integers(1, 3), st.booleans())


def _scan_requests(spec: TableSpec) -> st.SearchStrategy[dict[str, Any]]:
    segments = st.integers(1, 4).flatmap(
        lambda total: st.integers(0, total - 1).map(
            lambda segment: {"Segment": segment, "TotalSegments": total}
        )
    )
    return st.fixed_dictionaries(
        {"TableName": st.just(spec.name)},
        optional={
            "Limit": st.integers(1, 3),
            "ConsistentRead": st.booleans(),
            "Select": st.sampled_from(["ALL_ATTRIBUTES", "COUNT"]),
        },
    ).flatmap(lambda request: st.one_of(st.just(request), segments.map(lambda extra: {**request, **extra})))


def _transact_write_actions(spec: TableSpec) -> st.SearchStrategy[dict[str, Any]]:
    put = items(spec).map(lambda item: {"Put": {"TableName": spec.name, "Item": item}})
    delete = keys(spec).map(lambda key: {"Delete": {"TableName": spec.name, "Key": key}})
    update = _update_requests(spec).map(
        lambda request: {"Update": {k: v for k, v in request.items() if k != "ReturnValues"}}
    )
    check = st.builds(
        lambda key, condition: {
            "ConditionCheck": _merged(
                {"TableName": spec.name, "Key": key, "ConditionExpression": condition[0]},
                condition[1],
                condition[2],
            )
        },
        keys(spec),
        st.sampled_from(_CONDITIONS),
    )
    return st.one_of(put, delete, update, check)
