"""Property (d): storage invariants hold after every step of random writes on an indexed table.

A Hypothesis state machine drives PutItem, DeleteItem and BatchWriteItem on ``INDEXED`` (a GSI
with a composite key projecting ALL, a hash-only GSI projecting KEYS_ONLY, an LSI projecting
INCLUDE ``a``) and on a plain table written in the same batches. Items sometimes lack index key
attributes (sparse), overwrites move them between index keys, and some writes are rejected (an
index key of the wrong type), which must change nothing. PutItem and DeleteItem sometimes ask for
ALL_OLD, which must be the replaced item exactly and must not alias the store. After every step: ``fake._check()``, the
table equals a dict model, and every index holds exactly the entries the model predicts, computed
here from the index definitions alone (which items are indexed, and which attributes each entry
projects).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from aiodynamodb.errors import ValidationException
from aiodynamodb_fake import FakeDynamoDB
from aiodynamodb_fake.strategies import (
    IndexSpec,
    TableSpec,
    batch_write_requests,
    items,
    key_attribute_values,
    key_identity,
    keys,
)
from tests.support.oracle import canonical_item, scramble
from tests.support.tables import COMPOSITE, INDEXED, property_settings

TABLES = (INDEXED, COMPOSITE)
SPECS: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}
Model = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def index_entries_expected(spec: TableSpec, index: IndexSpec, table_items: list[dict[str, Any]]) -> list[str]:
    """The index's entries per its definition: items holding every index key attribute, projected."""
    kept_keys = set(spec.key_names) | set(index.key_names)
    entries = []
    for item in table_items:
        if not all(name in item for name in index.key_names):
            continue
        if index.projection == "ALL":
            entry = item
        else:
            extra = set(index.non_key_attributes) if index.projection == "INCLUDE" else set()
            entry = {n: v for n, v in item.items() if n in kept_keys or n in extra}
        entries.append(repr(sorted(canonical_item(entry).items())))
    return sorted(entries)


class IndexedTableMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.fake = FakeDynamoDB()
        for spec in TABLES:
            self.fake.call_sync("CreateTable", spec.create_table_request())
        self.model: Model = {spec.name: {} for spec in TABLES}

    def _put_in_model(self, spec: TableSpec, item: dict[str, Any]) -> None:
        self.model[spec.name][key_identity(spec, item)] = canonical_item(item)

    def _check_old(self, response: dict[str, Any], old: dict[str, Any] | None) -> None:
        """ALL_OLD gives back the replaced item exactly; the caller may then do what it likes with it."""
        if old is None:
            assert "Attributes" not in response
        else:
            assert canonical_item(response["Attributes"], numbers=False) == old
            scramble(response["Attributes"])  # must not reach the store (checked by the invariant)

    @rule(item=items(INDEXED), all_old=st.booleans())
    def put_item(self, item: dict[str, Any], all_old: bool = False) -> None:
        old = self.model[INDEXED.name].get(key_identity(INDEXED, item))
        request = {"TableName": INDEXED.name, "Item": item, "ReturnValues": "ALL_OLD" if all_old else "NONE"}
        response = self.fake.call_sync("PutItem", request)
        self._put_in_model(INDEXED, item)
        if all_old:
            self._check_old(response, old)

    @rule(key=keys(INDEXED), all_old=st.booleans())
    def delete_item(self, key: dict[str, Any], all_old: bool) -> None:
        old = self.model[INDEXED.name].pop(key_identity(INDEXED, key), None)
        request = {"TableName": INDEXED.name, "Key": key, "ReturnValues": "ALL_OLD" if all_old else "NONE"}
        response = self.fake.call_sync("DeleteItem", request)
        if all_old:
            self._check_old(response, old)

    @rule(batch=batch_write_requests(TABLES))
    def batch_write(self, batch: dict[str, Any]) -> None:
        self.fake.call_sync("BatchWriteItem", batch)
        for table, writes in batch["RequestItems"].items():
            spec = SPECS[table]
            for write in writes:
                if "PutRequest" in write:
                    self._put_in_model(spec, write["PutRequest"]["Item"])
                else:
                    self.model[table].pop(key_identity(spec, write["DeleteRequest"]["Key"]), None)

    @precondition(lambda self: bool(self.model[INDEXED.name]))
    @rule(data=st.data())
    def move_between_index_keys(self, data: st.DataObject) -> None:
        """Rewrite a stored item with index key attributes changed, added or removed."""
        stored = data.draw(st.sampled_from(sorted(self.model[INDEXED.name].values(), key=repr)))
        item = dict(stored)
        for name, kind in INDEXED.index_key_types().items():
            change = data.draw(st.sampled_from(["keep", "drop", "set"]))
            if change == "drop":
                item.pop(name, None)
            elif change == "set":
                item[name] = data.draw(key_attribute_values(kind))
        use_batch = data.draw(st.booleans())
        if use_batch:
            self.batch_write({"RequestItems": {INDEXED.name: [{"PutRequest": {"Item": item}}]}})
        else:
            self.put_item(item)

    @rule(item=items(INDEXED), data=st.data())
    def rejected_write(self, item: dict[str, Any], data: st.DataObject) -> None:
        """An index key attribute of the wrong type: the write is refused and nothing changes."""
        name, kind = data.draw(st.sampled_from(sorted(INDEXED.index_key_types().items())))
        item[name] = data.draw(
            key_attribute_values(data.draw(st.sampled_from([k for k in "SNB" if k != kind])))
        )
        request: tuple[str, dict[str, Any]] = data.draw(
            st.sampled_from(
                [
                    ("PutItem", {"TableName": INDEXED.name, "Item": item}),
                    ("BatchWriteItem", {"RequestItems": {INDEXED.name: [{"PutRequest": {"Item": item}}]}}),
                ]
            )
        )
        with pytest.raises(ValidationException):
            self.fake.call_sync(*request)

    @invariant()
    def storage_matches_model_and_indexes(self) -> None:
        self.fake._check()
        for spec in TABLES:
            store = self.fake.state.tables[spec.name].store
            table_items = list(store.items())
            by_key = {key_identity(spec, item): canonical_item(item, numbers=False) for item in table_items}
            assert len(by_key) == len(table_items) == store.item_count
            assert by_key == self.model[spec.name]
            for index in spec.indexes:
                actual = sorted(
                    repr(sorted(canonical_item(entry).items()))
                    for _, _, entry in store.indexes[index.name].entries()
                )
                assert actual == index_entries_expected(spec, index, table_items), index.name


IndexedTableMachine.TestCase.settings = property_settings(stateful_step_count=25)
TestIndexedTableInvariants = IndexedTableMachine.TestCase
