"""What Query and Scan check alike after their member tables (``members/reads.py``): Select,
expression and legacy members, AttributesToGet, and the table or index read with the paths its
expressions may name.

Every member kind and constraint is the table's (``check_request``); what is left here needs more
than one member or the table's schema. Messages and their order come from dynalite's
validations/query.js, scan.js and actions/query.js, scan.js (its tests ran against DynamoDB) and
reference §6.4, §6.5; the refusal of a Query filter on an attribute an index does not project from
ScyllaDB's Alternator tests (run against DynamoDB) and DynamoDB Local. The ExclusiveStartKey is
``_start_keys``' and the page read ``_pages``'.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aiodynamodb.errors import ValidationException

from .. import messages as msg
from ..expressions import (
    ConditionExpression,
    DocumentPath,
    Name,
    Projection,
)
from ..expressions.legacy import check_mixing
from ..schema import IndexSchema, KeySchema, TableSchema
from ..state import Table
from ._projection import names_projection

__all__ = [
    "FILTER_NOT_PROJECTED",
    "GSI_ALL_ATTRIBUTES",
    "GSI_CONSISTENT_READ",
    "GSI_DOES_NOT_PROJECT",
    "NO_SUCH_INDEX",
    "ReadTarget",
    "attributes_to_get",
    "check_expression_members",
    "check_filter_projection",
    "check_gsi_projection",
    "check_gsi_select",
    "check_key_paths",
    "projection_member",
    "resolve_select",
    "resolve_target",
    "top_names",
]

NO_SUCH_INDEX: Final = "The table does not have the specified index: {name}"
GSI_CONSISTENT_READ: Final = "Consistent reads are not supported on global secondary indexes"
GSI_ALL_ATTRIBUTES: Final = (
    msg.PARAM_INVALID + "Select type ALL_ATTRIBUTES is not supported for global secondary index {name} "
    "because its projection type is not ALL"
)
# The wording real DynamoDB answers (localstack/localstack#478, from a user's AWS session).
GSI_DOES_NOT_PROJECT: Final = msg.PARAM_INVALID + "Global secondary index {name} does not project [{names}]"
# "Secondary index", whichever kind (a user's AWS answer quoted in the conformance suite's notes, and
# DynamoDB Local's QueryFunction, which lists the names sorted).
FILTER_NOT_PROJECTED: Final = (
    msg.PARAM_INVALID + "Secondary index {name} does not project one or more filter attributes: [{names}]"
)
# [CONF] query/scan select tests; Query wraps this one in the constraint envelope, Scan does not.
SELECT_NEEDS_PROJECTION: Final = (
    "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
)
PROJECTED_NEEDS_INDEX: Final = "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"
# [CONF] for ALL_ATTRIBUTES; the ALL_PROJECTED_ATTRIBUTES and COUNT forms are dynamodb-local's (probed).
SELECT_WITH_PROJECTION: Final = "Cannot specify the {member} when choosing to get {what}"
KEY_NOT_SCALAR: Final = (
    "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
    "{kind}: {name}"
)
VALUES_WITHOUT_EXPRESSIONS: Final = (
    "ExpressionAttributeValues can only be specified when using expressions: {names}"
)
# An operation's (legacy, expression) parameters, as ``expressions.legacy`` lists them.
LegacyAndExpressions = tuple[tuple[str, ...], tuple[str, ...]]
_SELECTED: Final = {
    "ALL_ATTRIBUTES": "ALL_ATTRIBUTES",
    "ALL_PROJECTED_ATTRIBUTES": "ALL_PROJECTED_ATTRIBUTES",
}


# --- request members ------------------------------------------------------------------------------


def check_expression_members(
    request: Mapping[str, Any], parameters: LegacyAndExpressions, value_expressions: Sequence[str]
) -> None:
    """Expression and legacy members mixed (``legacy.check_mixing``, with the operation's
    ``parameters``: QUERY_PARAMETERS or SCAN_PARAMETERS), then ExpressionAttributeNames / Values with
    no expression to use them (dynalite's validateExpressionParams, in that order)."""
    legacy, expressions = parameters
    check_mixing(request, legacy=legacy, expression=expressions)
    if request.get("ExpressionAttributeNames") is not None and not any(
        request.get(member) is not None for member in expressions
    ):
        raise ValidationException(msg.NAMES_WITHOUT_EXPRESSION)
    if request.get("ExpressionAttributeValues") is not None and not any(
        request.get(member) is not None for member in value_expressions
    ):
        verb = "are" if len(value_expressions) > 1 else "is"
        names = f"{' and '.join(value_expressions)} {verb} null"
        raise ValidationException(VALUES_WITHOUT_EXPRESSIONS.format(names=names))


def attributes_to_get(raw: Sequence[str | None] | None) -> Projection | None:
    """The legacy AttributesToGet as a projection (its member table saw to it being a list of
    strings, JSON nulls aside: a null is read as the empty name, a choice); a name given twice is
    refused."""
    if raw is None:
        return None
    return names_projection(["" if name is None else name for name in raw])


def projection_member(request: Mapping[str, Any]) -> str | None:
    """The member a request names its projection with, if any (both sent is refused later)."""
    for member in ("ProjectionExpression", "AttributesToGet"):
        if request.get(member) is not None:
            return member
    return None


def resolve_select(
    select: str | None, projection_member: str | None, index_name: str | None, *, query: bool
) -> str:
    """The Select in force, or DynamoDB's error for Select against the projection and the index.

    Without Select: SPECIFIC_ATTRIBUTES with a projection, else ALL_PROJECTED_ATTRIBUTES on an index
    and ALL_ATTRIBUTES on a table. The order of these checks among themselves is ours.
    """
    if select is None:
        if projection_member is not None:
            return "SPECIFIC_ATTRIBUTES"
        return "ALL_PROJECTED_ATTRIBUTES" if index_name is not None else "ALL_ATTRIBUTES"
    if select == "SPECIFIC_ATTRIBUTES" and projection_member is None:
        raise ValidationException(
            ("1 validation error detected: " if query else "") + SELECT_NEEDS_PROJECTION
        )
    if select == "ALL_PROJECTED_ATTRIBUTES" and index_name is None:
        raise ValidationException(PROJECTED_NEEDS_INDEX)
    if projection_member is not None and select != "SPECIFIC_ATTRIBUTES":
        what = _SELECTED.get(select, "only the Count")
        raise ValidationException(SELECT_WITH_PROJECTION.format(member=projection_member, what=what))
    return select


# --- the table or index read ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadTarget:
    """The table, or one of its indexes, a Query or Scan reads."""

    table: Table
    index: IndexSchema | None

    @property
    def key(self) -> KeySchema:
        return self.table.schema.key if self.index is None else self.index.key

    @property
    def start_key_names(self) -> tuple[str, ...]:
        """The attributes of an ExclusiveStartKey / LastEvaluatedKey: the table's key, then the index's."""
        names = self.table.schema.key.names
        return names + tuple(name for name in self.key.names if name not in names)

    @property
    def gsi(self) -> str | None:
        return self.index.name if self.index is not None and self.index.is_global else None


def resolve_target(table: Table, index_name: str | None, consistent: bool, missing: str) -> ReadTarget:
    """The table, or its index ``index_name`` (``missing`` when it has none), refusing consistent reads
    of a GSI."""
    if index_name is None:
        return ReadTarget(table, None)
    index = table.schema.index(index_name)
    if index is None:
        raise ValidationException(missing)
    if index.is_global and consistent:
        raise ValidationException(GSI_CONSISTENT_READ)
    return ReadTarget(table, index)


def top_names(paths: Iterable[DocumentPath]) -> Iterator[str]:
    """The top-level attribute names of ``paths``, in order, repeats included."""
    for path in paths:
        first = path.elements[0]
        if isinstance(first, Name):
            yield first.name


def check_key_paths(paths: Iterable[DocumentPath], schema: TableSchema) -> None:
    """A path into a key attribute (``pk.a``, ``pk[0]``): the table's keys first, then each GSI's and
    each LSI's sort key, last index first (dynalite's validateKeyPaths)."""
    nested = {
        path.elements[0].name
        for path in paths
        if len(path.elements) > 1 and isinstance(path.elements[0], Name)
    }
    if not nested:
        return
    for name in schema.key.names:
        if name in nested:
            raise ValidationException(KEY_NOT_SCALAR.format(kind="Key", name=name))
    index_keys = [name for index in reversed(schema.global_indexes) for name in index.key.names]
    index_keys += [index.key.range_name for index in reversed(schema.local_indexes) if index.key.range_name]
    for name in index_keys:
        if name in nested:
            raise ValidationException(KEY_NOT_SCALAR.format(kind="IndexKey", name=name))


def check_gsi_select(target: ReadTarget, select: str) -> None:
    """A GSI that does not project every attribute cannot serve ALL_ATTRIBUTES (it cannot fetch
    from the table, as an LSI does)."""
    index = target.index
    if (
        select == "ALL_ATTRIBUTES"
        and index is not None
        and index.is_global
        and index.projection_type != "ALL"
    ):
        raise ValidationException(GSI_ALL_ATTRIBUTES.format(name=index.name))


def check_gsi_projection(target: ReadTarget, projection: Projection | None) -> None:
    """Nor a projection naming an attribute it does not project (top-level names, request order)."""
    index = target.index
    if projection is None or index is None or not index.is_global or index.projection_type == "ALL":
        return
    missing = [name for name in dict.fromkeys(top_names(projection.paths)) if not index.projects(name)]
    if missing:
        raise ValidationException(GSI_DOES_NOT_PROJECT.format(name=index.name, names=msg.clip_join(missing)))


def check_filter_projection(target: ReadTarget, condition: ConditionExpression | None) -> None:
    """A Query filter (FilterExpression or QueryFilter) naming an attribute the index does not project.

    Refused on a GSI and on an LSI alike, whatever Select or the projection would fetch: DynamoDB
    does not fetch table items to evaluate a filter (ScyllaDB's test_lsi.py, run against DynamoDB:
    a KEYS_ONLY LSI refuses ``d = :d`` even with ``Select=ALL_ATTRIBUTES``; a table key attribute
    such as the table's sort key is projected and allowed). The names are listed once each, sorted
    as Java sorts strings (UTF-16 code units), as DynamoDB Local does. O(names in the filter).
    """
    index = target.index
    if condition is None or index is None or index.projection_type == "ALL":
        return
    missing = {name for name in top_names(condition.paths) if not index.projects(name)}
    if missing:
        names = sorted(missing, key=lambda name: name.encode("utf-16-be", "surrogatepass"))
        raise ValidationException(FILTER_NOT_PROJECTED.format(name=index.name, names=msg.clip_join(names)))
