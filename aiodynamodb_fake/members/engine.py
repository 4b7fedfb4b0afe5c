"""The member kinds a table declares, and the one engine that checks a request against its table.

A table is a ``Struct`` of ``Member``s, in the order DynamoDB reports them; a member has a kind
(``STRING``, ``ListOf(...)``, ``MapOf(...)``, ``Struct(...)``, ``ATTRIBUTE_VALUE``...) and rules
(``rules.py``). ``check_request(TABLE, request)`` runs DynamoDB's order:

1. kinds: the request is walked in document order, as DynamoDB's deserializer reads it, down into
   every AttributeValue; the first value of the wrong JSON kind is a SerializationException worded
   by ``kinds.py``. Members a table does not declare are ignored, as DynamoDB ignores them.
2. standalone rules, top-level members in table order: a ``Bare`` rule's own message, or a member
   declared ``alone`` (the data plane's TableName) reported in an envelope of its own.
3. the envelope: every other rule of every member, in table order, depth first (a structure's
   members, a list's elements, a map's values in request order), counted whole and listed up to
   ten (``shapes.Constraints``). Paths are the members' names with a lowercase first letter,
   ``.<n>.member`` for a list's n-th element and ``.<key>.member`` for a map's value; a ``modern``
   member is reported as DynamoDB's newer validator does, with the names as sent and no value.

What needs more than one member or the table's schema (expressions, AttributeValue contents, key
schema, item size) is the operation's, after ``check_request``. Cost: O(size of the request); a path
or an echo is built only for the ten violations the envelope lists.

An operation that validates its items with ``values.validate_item`` anyway need not have step 1 walk
them first: ``deferring(TABLE, ITEM, ...)`` names the members whose attribute maps it validates, and
``with deferral.checking(request): ...`` walks the kinds of everything else, then step 2 and 3, then
the body. Whatever raises in there (a constraint, a value, anything after) is first given to the full
step 1, whose SerializationException wins, so every answer is ``check_request``'s followed by the
body's, while a valid request has its values walked once (``Deferral``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Final

from aiodynamodb.errors import SerializationException, ValidationException

from .. import limits
from ..messages import MAP_KEY_NOT_STRING, clip
from ..shapes import Constraints
from . import kinds
from .kinds import JAVA_LONG_MAX, JAVA_LONG_MIN, LONG_OVERFLOW
from .rules import Bare, NotNull, Rule

__all__ = [
    "ATTRIBUTE_VALUE",
    "BLOB",
    "BOOLEAN",
    "INTEGER",
    "LONG",
    "STRING",
    "Deferral",
    "Kind",
    "ListOf",
    "MapOf",
    "Member",
    "Scalar",
    "Struct",
    "check_constraints",
    "check_kinds",
    "check_request",
    "deferring",
]


class Kind:
    """What a member's value is read as. ``check_kind`` raises the SerializationException for a value
    of another JSON kind (``in_collection``: the value sits in a list or map, not in a field);
    ``check_children`` adds the constraint violations of what the value contains."""

    __slots__ = ()

    def target(self, in_collection: bool) -> kinds.Target:
        raise NotImplementedError

    def java(self) -> str:
        """The Java class DynamoDB names in ``Map<java.lang.String, ...>`` for a map of these."""
        raise NotImplementedError

    def check_kind(self, value: Any, in_collection: bool) -> None:
        raise NotImplementedError

    def check_children(self, value: Any, where: _Where, constraints: Constraints) -> None:
        return None

    def can_report(self) -> bool:
        """Whether ``check_children`` can find a violation in a value of this kind (else the walk
        skips it): by default, whether this kind has children to check at all."""
        return type(self).check_children is not Kind.check_children


@dataclass(frozen=True, slots=True)
class Scalar(Kind):
    """A String, Boolean, Integer, Long or Blob member."""

    name: str

    def target(self, in_collection: bool) -> kinds.Target:
        return kinds.Target(self.name)

    def java(self) -> str:
        return "java.nio.ByteBuffer" if self.name == "Blob" else f"java.lang.{self.name}"

    def check_kind(self, value: Any, in_collection: bool) -> None:
        name = self.name
        if name == "String":
            ok = isinstance(value, str)
        elif name == "Boolean":
            ok = isinstance(value, bool)
        elif name == "Blob":  # botocore sends bytes; JSON, base64 text (the wire decodes it)
            ok = isinstance(value, str | bytes | bytearray | memoryview)
        else:
            ok = isinstance(value, int) and not isinstance(value, bool)
            if ok and not JAVA_LONG_MIN <= value <= JAVA_LONG_MAX:
                raise SerializationException(LONG_OVERFLOW)
        if not ok:
            raise kinds.wrong_kind(value, self.target(in_collection))


STRING: Final = Scalar("String")
BOOLEAN: Final = Scalar("Boolean")
INTEGER: Final = Scalar("Integer")
LONG: Final = Scalar("Long")
BLOB: Final = Scalar("Blob")


@dataclass(frozen=True, slots=True)
class Member:
    """One member: its wire name, kind and rules (in DynamoDB's order).

    ``alone``: its violations are reported before, and instead of, the envelope (a data-plane
    TableName). ``modern``: reported by DynamoDB's newer validator, ``Value at '<Path.As.Sent>'``.
    """

    name: str
    kind: Kind
    rules: tuple[Rule, ...] = ()
    alone: bool = False
    modern: bool = False
    # the rules the envelope walk runs on an absent / a present value, and whether it walks the
    # value's children, worked out once (most members need nothing)
    _absent_rules: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    _present_rules: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    _walked: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        enveloped = tuple(rule for rule in self.rules if not isinstance(rule, Bare))
        object.__setattr__(self, "_absent_rules", tuple(rule for rule in enveloped if rule.sees_null))
        # NotNull finds nothing in a present value
        present = tuple(rule for rule in enveloped if not isinstance(rule, NotNull))
        object.__setattr__(self, "_present_rules", present)
        object.__setattr__(self, "_walked", self.kind.can_report())

    def can_report(self) -> bool:
        """Whether the envelope walk can find anything at all in this member, present or absent."""
        return bool(self._absent_rules or self._present_rules or self._walked)

    def quiet(self, value: Any) -> bool:
        """Whether the envelope walk can find nothing in ``value`` (None: absent) for this member."""
        if value is None:
            return not self._absent_rules
        return not self._present_rules and not self._walked


@dataclass(frozen=True, slots=True)
class Struct(Kind):
    """A structure (a request, or a structure inside one): its members in DynamoDB's order.

    ``shape`` is the model's name for it (``WriteRequest``), which DynamoDB's messages print.
    """

    shape: str
    members: tuple[Member, ...]
    _by_name: dict[str, Member] = field(init=False, repr=False, compare=False)
    _active: tuple[Member, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {member.name: member for member in self.members})
        # members that can report a violation: with a rule, or holding something that has one
        active = tuple(member for member in self.members if member.can_report())
        object.__setattr__(self, "_active", active)

    def member(self, name: str) -> Member:
        return self._by_name[name]

    def target(self, in_collection: bool) -> kinds.Target:
        return kinds.structure(self.shape, in_collection=in_collection)

    def java(self) -> str:
        return kinds.java_class(self.shape)

    def check_kind(self, value: Any, in_collection: bool) -> None:
        if type(value) is not dict and not isinstance(value, Mapping):  # a dict skips the ABC check
            raise kinds.wrong_kind(value, self.target(in_collection))
        by_name = self._by_name
        if not by_name:  # a deferral's structure whose members were all left out
            return
        for name, member_value in value.items():
            member = by_name.get(name) if isinstance(name, str) else None
            if member is not None and member_value is not None:
                member.kind.check_kind(member_value, False)

    def check_children(self, value: Any, where: _Where, constraints: Constraints) -> None:
        for member in self._active:
            member_value = value.get(member.name)
            if not member.quiet(member_value):
                _check_member(member, member_value, _Where(where, member.name, _NAME), constraints)

    def can_report(self) -> bool:
        return bool(self._active)


@dataclass(frozen=True, slots=True)
class ListOf(Kind):
    """A list; each element is ``element``, with ``element_rules`` (a null element reaches only
    ``NotNull``)."""

    element: Kind
    element_rules: tuple[Rule, ...] = ()
    _element: Member = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_element", Member("member", self.element, self.element_rules))

    def target(self, in_collection: bool) -> kinds.Target:
        return kinds.Target("List", "", in_collection)

    def java(self) -> str:
        return f"java.util.List<{self.element.java()}>"

    def check_kind(self, value: Any, in_collection: bool) -> None:
        if not isinstance(value, list | tuple):
            raise kinds.wrong_kind(value, self.target(in_collection))
        element = self.element
        for item in value:
            if item is not None:
                element.check_kind(item, True)

    def check_children(self, value: Any, where: _Where, constraints: Constraints) -> None:
        _check_each(self._element, enumerate(value, 1), _ELEMENT, where, constraints)

    def can_report(self) -> bool:
        return self._element.can_report()


@dataclass(frozen=True, slots=True)
class MapOf(Kind):
    """A map from strings to ``value`` (with ``value_rules``)."""

    value: Kind
    value_rules: tuple[Rule, ...] = ()
    _value: Member = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_value", Member("member", self.value, self.value_rules))

    def target(self, in_collection: bool) -> kinds.Target:
        return kinds.Target("Map", self.value.java(), in_collection)

    def java(self) -> str:
        return f"java.util.Map<java.lang.String, {self.value.java()}>"

    def check_kind(self, value: Any, in_collection: bool) -> None:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise kinds.wrong_kind(value, self.target(in_collection))
        kind = self.value
        for key, item in value.items():
            if not isinstance(key, str):
                raise SerializationException(MAP_KEY_NOT_STRING)
            if item is not None:
                kind.check_kind(item, True)

    def check_children(self, value: Any, where: _Where, constraints: Constraints) -> None:
        _check_each(self._value, value.items(), _ENTRY, where, constraints)

    def can_report(self) -> bool:
        return self._value.can_report()


class _AttributeValueKind(Kind):
    """An AttributeValue, whose kinds are checked all the way down (S a string, L a list...).

    Its contents' rules (numbers, sets, NULL, nesting) are ``values.validate_value``'s, after the
    envelope. The walk stops below ``MAX_NESTING`` levels, where that validation refuses the value
    anyway (choice: a wrong kind deeper than DynamoDB stores is reported as the nesting error).
    """

    __slots__ = ()

    def target(self, in_collection: bool) -> kinds.Target:
        return kinds.structure("AttributeValue", in_collection=in_collection)

    def java(self) -> str:
        return kinds.java_class("AttributeValue")

    def check_kind(self, value: Any, in_collection: bool) -> None:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise kinds.wrong_kind(value, self.target(in_collection))
        _check_attribute_value(value, 1)


ATTRIBUTE_VALUE: Final = _AttributeValueKind()


def _check_strings(raw: Any, target: kinds.Target, blob: bool) -> None:
    if type(raw) is not list and not isinstance(raw, list | tuple):
        raise kinds.wrong_kind(raw, kinds.LIST)
    for member in raw:
        if (
            member is not None
            and not isinstance(member, str)
            and not (blob and isinstance(member, bytes | bytearray | memoryview))
        ):
            raise kinds.wrong_kind(member, target)


def _check_nested(member: Any, depth: int) -> None:
    """A value inside an M or an L, ``depth`` levels down."""
    if type(member) is dict or isinstance(member, Mapping):
        _check_attribute_value(member, depth + 1)
    elif member is not None:
        raise kinds.wrong_kind(member, kinds.ATTRIBUTE_VALUE)


def _check_attribute_value(av: Mapping[Any, Any], depth: int) -> None:
    """The kinds inside one AttributeValue (a mapping). O(size of the value)."""
    for kind, raw in av.items():
        if raw is None:
            continue
        raw_type = type(raw)
        if kind == "S" or kind == "N":
            if raw_type is not str and not isinstance(raw, str):
                raise kinds.wrong_kind(raw, kinds.STRING)
        elif kind == "M":
            if raw_type is not dict and not isinstance(raw, Mapping):
                raise kinds.wrong_kind(raw, kinds.ATTRIBUTE_MAP)
            if depth <= limits.MAX_NESTING:
                for name, member in raw.items():
                    if type(name) is not str and not isinstance(name, str):
                        raise SerializationException(MAP_KEY_NOT_STRING)
                    _check_nested(member, depth)
        elif kind == "L":
            if raw_type is not list and not isinstance(raw, list | tuple):
                raise kinds.wrong_kind(raw, kinds.LIST)
            if depth <= limits.MAX_NESTING:
                for member in raw:
                    _check_nested(member, depth)
        elif kind == "BOOL" or kind == "NULL":
            if raw_type is not bool:
                raise kinds.wrong_kind(raw, kinds.BOOLEAN)
        elif kind == "B":
            if not isinstance(raw, str | bytes | bytearray | memoryview):
                raise kinds.wrong_kind(raw, kinds.BLOB)
        elif kind == "SS" or kind == "NS":
            _check_strings(raw, kinds.STRING, blob=False)
        elif kind == "BS":
            _check_strings(raw, kinds.BLOB, blob=True)


# --- paths ------------------------------------------------------------------------------------------

_NAME, _ELEMENT, _ENTRY = 0, 1, 2


class _Where:
    """A member's path, kept as links and rendered only for a violation the envelope lists.

    A plain slotted class, not a dataclass: one is made per member walked, so making it is hot.
    """

    __slots__ = ("how", "parent", "text")

    def __init__(self, parent: _Where | None, text: str | int, how: int) -> None:
        self.parent = parent
        self.text = text  # _NAME: a member's name; _ELEMENT: a list index; _ENTRY: a map key as sent
        self.how = how

    def render(self, modern: bool) -> str:
        parts: list[str] = []
        node: _Where | None = self
        while node is not None:
            text = node.text
            if node.how == _NAME:
                assert isinstance(text, str)
                parts.append(text if modern else text[:1].lower() + text[1:])
            elif node.how == _ELEMENT:
                parts.append(f"{text}.member")
            else:
                parts.append(f"{clip(str(text))}.member")
            node = node.parent
        return ".".join(reversed(parts))


def _check_member(member: Member, value: Any, where: _Where, constraints: Constraints) -> None:
    modern = member.modern
    for rule in member._absent_rules if value is None else member._present_rules:
        for echo, text in rule.violations(value):
            constraints.add(echo, lambda: where.render(modern), text, show_value=not modern)
    if value is not None:
        member.kind.check_children(value, where, constraints)


def _check_each(
    member: Member, entries: Iterable[tuple[Any, Any]], how: int, where: _Where, constraints: Constraints
) -> None:
    """A list's elements (``how`` _ELEMENT, keyed by number) or a map's values (_ENTRY, by key)."""
    if not member.can_report():
        return  # nothing inside can break a rule: O(1), not a walk of the collection
    for key, item in entries:
        if not member.quiet(item):
            _check_member(member, item, _Where(where, key, how), constraints)


# --- the entry points -------------------------------------------------------------------------------


def check_kinds(table: Struct, request: Mapping[str, Any]) -> None:
    """Step 1 alone: the first value of the wrong JSON kind, as a SerializationException."""
    table.check_kind(request, False)


def check_constraints(table: Struct, request: Mapping[str, Any]) -> None:
    """Steps 2 and 3 for a request whose kinds are right: standalone rules, then the envelope."""
    for member in table.members:
        value = request.get(member.name)
        for rule in member.rules:
            if isinstance(rule, Bare) and (value is not None or rule.sees_null):
                message = rule.message(value)
                if message is not None:
                    raise ValidationException(message)
        if member.alone:
            alone = Constraints()
            _check_member(member, value, _Where(None, member.name, _NAME), alone)
            alone.raise_if_any()
    constraints = Constraints()
    for member in table._active:
        value = request.get(member.name)
        if not member.alone and not member.quiet(value):
            _check_member(member, value, _Where(None, member.name, _NAME), constraints)
    constraints.raise_if_any()


def check_request(table: Struct, request: Mapping[str, Any]) -> None:
    """Check ``request`` against ``table`` in DynamoDB's order (module docstring).

    Raises SerializationException for a value of the wrong JSON kind, ValidationException for a
    standalone rule or the ``N validation errors detected`` envelope; returns if all hold.
    """
    check_kinds(table, request)
    check_constraints(table, request)


# --- values the operation walks itself ----------------------------------------------------------------


class _Deferred(Kind):
    """An attribute map or AttributeValue whose kinds the operation's ``values.validate_item`` (or
    ``validate_value``) checks: step 1 passes over it. Only ever in a ``Deferral``'s lean table."""

    __slots__ = ("inner",)

    def __init__(self, inner: Kind) -> None:
        self.inner = inner

    def target(self, in_collection: bool) -> kinds.Target:
        return self.inner.target(in_collection)

    def java(self) -> str:
        return self.inner.java()

    def check_kind(self, value: Any, in_collection: bool) -> None:
        return None

    def check_children(self, value: Any, where: _Where, constraints: Constraints) -> None:
        self.inner.check_children(value, where, constraints)

    def can_report(self) -> bool:
        return self.inner.can_report()


def _is_attributes(kind: Kind) -> bool:
    """An AttributeValue, or a plain map of them (an Item, a Key): what ``validate_item`` reads."""
    return kind is ATTRIBUTE_VALUE or (
        isinstance(kind, MapOf) and kind.value is ATTRIBUTE_VALUE and not kind.value_rules
    )


def _lean(kind: Kind, deferred: tuple[Member, ...], found: list[Member], inside: bool) -> Kind:
    """``kind`` with the attribute maps and values of the ``deferred`` members (``inside`` one of
    them) replaced by ``_Deferred``, or left out of their structure; unchanged parts are the same
    objects."""
    if inside and _is_attributes(kind):
        return _Deferred(kind)
    if isinstance(kind, Struct):
        members = []
        for member in kind.members:
            named = any(member is wanted for wanted in deferred)
            if named:
                found.append(member)
            lean = _lean(member.kind, deferred, found, inside or named)
            if isinstance(lean, _Deferred):
                continue  # a structure's kind walk passes over a member it does not declare
            members.append(member if lean is member.kind else dataclasses.replace(member, kind=lean))
        if len(members) == len(kind.members) and all(
            new is old for new, old in zip(members, kind.members, strict=True)
        ):
            return kind
        return Struct(kind.shape, tuple(members))
    if isinstance(kind, ListOf):
        element = _lean(kind.element, deferred, found, inside)
        return kind if element is kind.element else ListOf(element, kind.element_rules)
    if isinstance(kind, MapOf):
        value = _lean(kind.value, deferred, found, inside)
        return kind if value is kind.value else MapOf(value, kind.value_rules)
    return kind


@dataclass(frozen=True, slots=True)
class Deferral:
    """A table, and the same table whose kind walk passes over some members' attribute maps.

    Contract: on every path where the body of ``checking`` returns normally, the operation has run
    ``values.validate_item`` (or ``validate_value``) on every attribute map and AttributeValue of
    the deferred members that the request holds. That is what makes it exact: ``validate_value``
    refuses everything step 1 refuses inside an AttributeValue (a value of the wrong JSON kind at
    any depth step 1 reads, a map key that is not a string), and more besides (a null, an unknown
    member alone, contents); both pass over unknown members beside a known one. So a request the
    body accepts is one step 1 accepts; and for one the body refuses, step 1 runs in full before
    the error leaves, and its SerializationException (the first wrong kind in document order) is
    answered instead, as ``check_request`` would have answered before the body ran. Cost: a valid
    request's values are walked once; a refused one pays the full walk on top of the lean one.
    """

    table: Struct
    lean: Struct

    def checking(self, request: Mapping[str, Any]) -> _Checking:
        """A context: on entry, ``check_request`` without walking the deferred values; the body then
        validates them; an exception from entry or body is preceded by the full kind walk."""
        return _Checking(self, request)


class _Checking:
    __slots__ = ("_deferral", "_request")

    def __init__(self, deferral: Deferral, request: Mapping[str, Any]) -> None:
        self._deferral = deferral
        self._request = request

    def __enter__(self) -> None:
        try:
            self._deferral.lean.check_kind(self._request, False)
            check_constraints(self._deferral.table, self._request)
        except Exception:
            self._kinds_first()
            raise

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if isinstance(exc, Exception):
            self._kinds_first()  # returns if every kind is right: the body's exception goes on

    def _kinds_first(self) -> None:
        """Step 1 in full: DynamoDB reports a wrong kind before anything else."""
        try:
            check_kinds(self._deferral.table, self._request)
        except SerializationException as wrong_kind:
            raise wrong_kind from None  # the answer is this one, not the error it replaces


def deferring(table: Struct, *members: Member) -> Deferral:
    """A ``Deferral`` of ``table`` for ``members`` (the very ``Member`` objects the table holds, at
    any depth): inside them, every attribute map (``Item``, ``Key``) and AttributeValue is left to
    the operation's ``values.validate_item``. Built once, at import; a member the table does not
    hold is a ValueError (a wrong table)."""
    found: list[Member] = []
    lean = _lean(table, members, found, inside=False)
    missing = [member.name for member in members if not any(member is seen for seen in found)]
    if missing:
        raise ValueError(f"{table.shape} has no member {missing}")
    assert isinstance(lean, Struct)
    return Deferral(table, lean)
