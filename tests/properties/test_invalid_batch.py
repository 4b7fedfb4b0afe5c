"""Property (b): a BatchWriteItem with one defect is rejected whole, with the right error, and
changes nothing.

Each example fills the tables with a valid batch, takes a byte-for-byte snapshot of every stored
item, then sends a valid batch (at most 24 writes) into which exactly one defect from ``DEFECTS``
was injected at a random place. The error class and message must be DynamoDB's for that defect
(reference §1-§3), the snapshot must be unchanged, and the same batch without its defect must then\nbe accepted. Each defect is its own test case with the
full example budget, so a defect the fake mishandles cannot hide behind the others.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Context, Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiodynamodb.errors import DynamoDBError, ResourceNotFoundException, ValidationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.strategies import (
    MAX_BATCH_WRITES,
    TableSpec,
    batch_write_requests,
    items,
    key_attribute_values,
    number_forms,
    write_requests,
)
from tests.support.oracle import write_request_identity
from tests.support.tables import ALL_TABLES, INDEXED, property_settings

Draw = Callable[[st.SearchStrategy[Any]], Any]
Expectation = tuple[type[DynamoDBError], Callable[[str], bool]]
SPECS: dict[str, TableSpec] = {spec.name: spec for spec in ALL_TABLES}

PREFIX = "One or more parameter values were invalid: "
SCHEMA_MISMATCH = "The provided key element does not match the schema"
AV_MANY = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"


def exactly(message: str) -> Callable[[str], bool]:
    return lambda actual: actual == message


def containing(*parts: str) -> Callable[[str], bool]:
    return lambda actual: all(part in actual for part in parts)


# --- where a defect goes ---------------------------------------------------------------------------


def target_table(
    draw: Draw, batch: dict[str, Any], ok: Callable[[TableSpec], bool] = lambda s: True
) -> TableSpec:
    """A table for the defect: one the batch already writes to, or another one (then added)."""
    spec: TableSpec = draw(st.sampled_from([s for s in ALL_TABLES if ok(s)]))
    return spec


def insert(draw: Draw, batch: dict[str, Any], spec: TableSpec, write: dict[str, Any]) -> None:
    writes = batch["RequestItems"].setdefault(spec.name, [])
    writes.insert(draw(st.integers(0, len(writes))), write)


def put_or_delete(draw: Draw, attributes: dict[str, Any], spec: TableSpec) -> dict[str, Any]:
    """A Put of ``attributes`` as an item, or a Delete of its key attributes."""
    if draw(st.booleans()):
        return {"PutRequest": {"Item": attributes}}
    return {"DeleteRequest": {"Key": {n: v for n, v in attributes.items() if n in spec.key_names}}}


def fresh_item(draw: Draw, batch: dict[str, Any], spec: TableSpec) -> dict[str, Any]:
    """A valid item whose key no write of the batch uses yet (so only the injected defect is wrong)."""
    used = {write_request_identity(spec, w) for w in batch["RequestItems"].get(spec.name, ())}
    item: dict[str, Any] = draw(
        items(spec, pool=False).filter(
            lambda i: write_request_identity(spec, {"PutRequest": {"Item": i}}) not in used
        )
    )
    return item


def bury(draw: Draw, value: dict[str, Any]) -> dict[str, Any]:
    """``value`` as it is, or nested inside an M or an L (validation must look everywhere)."""
    depth = draw(st.integers(0, 3))
    for _ in range(depth):
        value = draw(st.sampled_from([{"M": {"inner": value}}, {"L": [value]}]))
    return value


def put_with_attribute(draw: Draw, batch: dict[str, Any], value: dict[str, Any]) -> None:
    """Insert a Put whose item carries ``value`` in a non-key attribute (maybe deeply)."""
    spec = target_table(draw, batch)
    item = fresh_item(draw, batch, spec)
    item["bad"] = bury(draw, value)
    insert(draw, batch, spec, {"PutRequest": {"Item": item}})


# --- the defects -----------------------------------------------------------------------------------


def duplicate_key(draw: Draw, batch: dict[str, Any]) -> Expectation:
    """A second write on a key the batch already writes, numbers written in another form."""
    name = draw(st.sampled_from(sorted(batch["RequestItems"])))
    spec = SPECS[name]
    original = draw(st.sampled_from(batch["RequestItems"][name]))
    attributes = (
        original["PutRequest"]["Item"] if "PutRequest" in original else original["DeleteRequest"]["Key"]
    )
    key = {n: dict(attributes[n]) for n in spec.key_names}
    for av in key.values():
        if "N" in av:
            av["N"] = draw(number_forms(Decimal(av["N"])))
    if draw(st.booleans()):
        item = draw(items(spec))
        item.update(key)
        write: dict[str, Any] = {"PutRequest": {"Item": item}}
    else:
        write = {"DeleteRequest": {"Key": key}}
    insert(draw, batch, spec, write)
    return ValidationException, exactly("Provided list of item keys contains duplicates")


def missing_key_attribute(draw: Draw, batch: dict[str, Any]) -> Expectation:
    spec = target_table(draw, batch)
    write = put_or_delete(draw, fresh_item(draw, batch, spec), spec)
    attributes = write["PutRequest"]["Item"] if "PutRequest" in write else write["DeleteRequest"]["Key"]
    del attributes[draw(st.sampled_from(spec.key_names))]
    insert(draw, batch, spec, write)
    return ValidationException, exactly(SCHEMA_MISMATCH)


def wrongly_typed_key(draw: Draw, batch: dict[str, Any]) -> Expectation:
    spec = target_table(draw, batch)
    write = put_or_delete(draw, fresh_item(draw, batch, spec), spec)
    attributes = write["PutRequest"]["Item"] if "PutRequest" in write else write["DeleteRequest"]["Key"]
    name = draw(st.sampled_from(spec.key_names))
    wrong_kind = draw(st.sampled_from([k for k in ("S", "N", "B") if k != spec.key_types()[name]]))
    attributes[name] = draw(
        st.one_of(
            key_attribute_values(wrong_kind),
            st.just({"BOOL": True}),
            st.just({"SS": ["a"]}),
            st.just({"L": []}),
        )
    )
    insert(draw, batch, spec, write)
    return ValidationException, exactly(SCHEMA_MISMATCH)


def empty_key(draw: Draw, batch: dict[str, Any]) -> Expectation:
    spec = target_table(draw, batch, lambda s: any(k != "N" for k in s.key_types().values()))
    write = put_or_delete(draw, fresh_item(draw, batch, spec), spec)
    name = draw(st.sampled_from([n for n, k in spec.key_types().items() if k != "N"]))
    kind = spec.key_types()[name]
    if "PutRequest" in write:
        write["PutRequest"]["Item"][name] = {kind: "" if kind == "S" else b""}
        start = "One or more parameter values are not valid. "
    else:
        write["DeleteRequest"]["Key"][name] = {kind: "" if kind == "S" else b""}
        start = PREFIX
    insert(draw, batch, spec, write)
    kind_name = "string" if kind == "S" else "binary"
    return ValidationException, exactly(
        f"{start}The AttributeValue for a key attribute cannot contain an empty {kind_name} value. Key: {name}"
    )


def empty_set(draw: Draw, batch: dict[str, Any]) -> Expectation:
    kind = draw(st.sampled_from(["SS", "NS", "BS"]))
    put_with_attribute(draw, batch, {kind: []})
    message = {
        "SS": PREFIX + "An string set  may not be empty",
        "NS": PREFIX + "An number set  may not be empty",
        "BS": PREFIX + "Binary sets should not be empty",
    }[kind]
    return ValidationException, exactly(message)


def thirty_nine_digits(draw: Draw, batch: dict[str, Any]) -> Expectation:
    coefficient = draw(st.integers(10**37, 10**38 - 1)) * 10 + draw(st.integers(1, 9))  # 39 significant
    exponent = draw(st.integers(-130 - 38, 125 - 38))  # the leading digit's exponent stays in range
    value = Decimal(coefficient).scaleb(exponent, Context(prec=100))
    text: str = draw(number_forms(value))
    where = draw(st.sampled_from(["attribute", "set", "key"]))
    if where == "key":
        spec = target_table(draw, batch, lambda s: "N" in s.key_types().values())
        write = put_or_delete(draw, fresh_item(draw, batch, spec), spec)
        attributes = write["PutRequest"]["Item"] if "PutRequest" in write else write["DeleteRequest"]["Key"]
        name = next(n for n, k in spec.key_types().items() if k == "N")
        attributes[name] = {"N": text}
        insert(draw, batch, spec, write)
    else:
        put_with_attribute(draw, batch, {"N": text} if where == "attribute" else {"NS": ["1", text]})
    return ValidationException, exactly("Attempting to store more than 38 significant digits in a Number")


def null_false(draw: Draw, batch: dict[str, Any]) -> Expectation:
    put_with_attribute(draw, batch, {"NULL": False})
    return ValidationException, exactly(PREFIX + "Null attribute value types must have the value of true")


def twenty_six_requests(draw: Draw, batch: dict[str, Any]) -> Expectation:
    """Fill up to 26 writes, all on keys unused so far: in one table's list, or spread out."""
    total = sum(len(w) for w in batch["RequestItems"].values())
    one_list = draw(st.booleans())
    spec = target_table(draw, batch)
    for number in range(MAX_BATCH_WRITES + 1 - total):
        if not one_list:
            spec = target_table(draw, batch)
        item = {n: filler(k, number) for n, k in spec.key_types().items()}
        insert(draw, batch, spec, put_or_delete(draw, item, spec))
    if any(len(w) > MAX_BATCH_WRITES for w in batch["RequestItems"].values()):
        return ValidationException, containing(
            "1 validation error detected: Value '{",
            "at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
            "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
        )
    return ValidationException, exactly("Too many items requested for the BatchWriteItem call")


def filler(kind: str, number: int) -> dict[str, Any]:
    """A key value no strategy draws (the pools are tiny, numbers here are out of their range)."""
    if kind == "S":
        return {"S": f"filler-{number}"}
    if kind == "N":
        return {"N": str(10**6 + number)}
    return {"B": b"filler-%d" % number}


def unknown_table(draw: Draw, batch: dict[str, Any]) -> Expectation:
    spec = draw(st.sampled_from(ALL_TABLES))
    writes = draw(st.lists(write_requests(spec), min_size=1, max_size=1))
    batch["RequestItems"][draw(st.sampled_from(["no_such_table", "props_missing", "x" * 255]))] = writes
    return ResourceNotFoundException, exactly("Requested resource not found")


def oversized_item(draw: Draw, batch: dict[str, Any]) -> Expectation:
    size = draw(st.integers(409_601, 420_000))
    value = draw(st.sampled_from([{"S": "x" * size}, {"B": b"\x00" * size}, {"SS": ["y" * size]}]))
    put_with_attribute(draw, batch, value)
    return ValidationException, exactly("Item size has exceeded the maximum allowed size")


def empty_write_request(draw: Draw, batch: dict[str, Any]) -> Expectation:
    spec = target_table(draw, batch)
    insert(draw, batch, spec, {})
    return ValidationException, exactly(AV_MANY)


def bad_enum(draw: Draw, batch: dict[str, Any]) -> Expectation:
    member = draw(st.sampled_from(["ReturnConsumedCapacity", "ReturnItemCollectionMetrics"]))
    batch[member] = draw(st.sampled_from(["total", "SIZES", "ALL", "", "NONE ", "INDEX"]))
    allowed = "[INDEXES, TOTAL, NONE]" if member == "ReturnConsumedCapacity" else "[SIZE, NONE]"
    path = "returnConsumedCapacity" if member == "ReturnConsumedCapacity" else "returnItemCollectionMetrics"
    return ValidationException, exactly(
        f"1 validation error detected: Value '{batch[member]}' at '{path}' failed to satisfy constraint: "
        f"Member must satisfy enum value set: {allowed}"
    )


def put_and_delete(draw: Draw, batch: dict[str, Any]) -> Expectation:
    """No confirmed message (reference §3.2): only the class is pinned."""
    spec = target_table(draw, batch)
    item = fresh_item(draw, batch, spec)
    insert(draw, batch, spec, {"PutRequest": {"Item": item}, "DeleteRequest": {"Key": spec.key_of(item)}})
    return ValidationException, lambda message: True


def number_set_duplicates(draw: Draw, batch: dict[str, Any]) -> Expectation:
    value = Decimal(draw(st.integers(-100, 100)))
    forms = draw(st.lists(number_forms(value), min_size=2, max_size=2))
    put_with_attribute(draw, batch, {"NS": forms})
    return ValidationException, exactly("Input collection contains duplicates")


def number_out_of_range(draw: Draw, batch: dict[str, Any]) -> Expectation:
    overflow = draw(st.booleans())
    text = draw(st.sampled_from(["1E126", "-1E+126", "9.9E200"] if overflow else ["1E-131", "-1e-200"]))
    put_with_attribute(draw, batch, {"N": text})
    if overflow:
        return ValidationException, exactly(
            "Number overflow. Attempting to store a number with magnitude larger than supported range"
        )
    return ValidationException, exactly(
        "Number underflow. Attempting to store a number with magnitude smaller than supported range"
    )


def index_key_type(draw: Draw, batch: dict[str, Any]) -> Expectation:
    item = fresh_item(draw, batch, INDEXED)
    index = draw(st.sampled_from(INDEXED.indexes))
    name = draw(st.sampled_from([n for n in index.key_names if n not in INDEXED.key_names]))
    expected = index.key_types()[name]
    actual = draw(st.sampled_from([k for k in ("S", "N", "B") if k != expected]))
    item[name] = draw(key_attribute_values(actual))
    insert(draw, batch, INDEXED, {"PutRequest": {"Item": item}})
    # An attribute keying several indexes names the first; each of ours keys exactly one.
    return ValidationException, exactly(
        f"{PREFIX}Type mismatch for Index Key {name} Expected: {expected} Actual: {actual} IndexName: {index.name}"
    )


def hash_key_too_long(draw: Draw, batch: dict[str, Any]) -> Expectation:
    spec = target_table(draw, batch, lambda s: s.hash_type != "N")
    write = put_or_delete(draw, fresh_item(draw, batch, spec), spec)
    attributes = write["PutRequest"]["Item"] if "PutRequest" in write else write["DeleteRequest"]["Key"]
    size = draw(st.integers(2049, 3000))
    attributes[spec.hash_name] = {"S": "h" * size} if spec.hash_type == "S" else {"B": b"h" * size}
    insert(draw, batch, spec, write)
    return ValidationException, exactly(
        PREFIX + "Size of hashkey has exceeded the maximum size limit of2048 bytes"
    )


def empty_table_list(draw: Draw, batch: dict[str, Any]) -> Expectation:
    spec = draw(st.sampled_from([s for s in ALL_TABLES if s.name not in batch["RequestItems"]] or [None]))
    if spec is None:  # every table already written to: empty one of them
        spec = SPECS[draw(st.sampled_from(sorted(batch["RequestItems"])))]
    batch["RequestItems"][spec.name] = []
    return ValidationException, containing(
        f"1 validation error detected: Value '{{{spec.name}=[]}}' at 'requestItems' failed to satisfy constraint: "
        "Map value must satisfy constraint: [Member must have length less than or equal to 25, "
        "Member must have length greater than or equal to 1]"
    )


def over_limit_with_lsi_entry(draw: Draw, batch: dict[str, Any]) -> Expectation:
    """Reference §2: on a table with an LSI the 400 KB limit counts the item plus its projected LSI
    entries. Here the LSI (INCLUDE ``a``) entry repeats every attribute, so the total is twice the
    item: each alone is under 400 KB, together over. The message is unconfirmed: class only."""
    item = fresh_item(draw, batch, INDEXED)
    item = {name: item[name] for name in INDEXED.key_names}  # the key alone, then l and a
    item["l"] = {"N": "1"}
    item["a"] = {"S": "x" * draw(st.integers(210_000, 400_000))}
    insert(draw, batch, INDEXED, {"PutRequest": {"Item": item}})
    return ValidationException, lambda message: True


DEFECTS: dict[str, Callable[[Draw, dict[str, Any]], Expectation]] = {
    "duplicate key": duplicate_key,
    "missing key attribute": missing_key_attribute,
    "wrongly typed key": wrongly_typed_key,
    "empty string or binary key": empty_key,
    "empty set": empty_set,
    "39-digit number": thirty_nine_digits,
    "NULL false": null_false,
    "26 requests": twenty_six_requests,
    "unknown table": unknown_table,
    "oversized item": oversized_item,
    "empty WriteRequest": empty_write_request,
    "bad enum": bad_enum,
    "Put and Delete in one WriteRequest": put_and_delete,
    "NS duplicates after normalising": number_set_duplicates,
    "number out of range": number_out_of_range,
    "index key of the wrong type": index_key_type,
    "hash key over 2048 bytes": hash_key_too_long,
    "empty list of writes": empty_table_list,
    "item plus its LSI entry over 400 KB": over_limit_with_lsi_entry,
}


@pytest.mark.parametrize("defect", list(DEFECTS))
@property_settings()
@given(
    setup=batch_write_requests(ALL_TABLES, options=False, max_attributes=1, max_requests=12),
    batch=batch_write_requests(ALL_TABLES, max_requests=MAX_BATCH_WRITES - 1, max_attributes=1),
    data=st.data(),
)
def test_one_defect_rejects_the_whole_batch(
    make_fake: Callable[..., FakeDynamoDB],
    take_snapshot: Callable[[FakeDynamoDB], Any],
    defect: str,
    setup: dict[str, Any],
    batch: dict[str, Any],
    data: st.DataObject,
) -> None:
    fake = make_fake(ALL_TABLES)
    fake.call_sync("BatchWriteItem", setup)
    before = take_snapshot(fake)
    invalid = copy.deepcopy(batch)
    error_class, message_ok = DEFECTS[defect](data.draw, invalid)

    with pytest.raises(DynamoDBError) as raised:
        fake.call_sync("BatchWriteItem", invalid)

    assert type(raised.value) is error_class, raised.value
    assert message_ok(raised.value.message), raised.value.message
    assert take_snapshot(fake) == before
    fake._check()
    fake.call_sync("BatchWriteItem", batch)  # without its defect the batch goes through
