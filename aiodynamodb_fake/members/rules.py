"""Member constraint rules as a member table declares them, each rendering DynamoDB's own text.

A rule looks at one member's value and yields a violation, ``(echo, text)``, for each way the value
breaks it: ``echo`` is what the envelope's ``Value '<echo>'`` shows (the value itself, or the whole
map for a bad map key), ``text`` the rule as DynamoDB words it (``shapes``: ``Member must ...``).
Rules run in the order a member lists them, which is the order DynamoDB reports them in. Most rules
land in the ``N validation errors detected`` envelope; a ``Bare`` rule is DynamoDB's standalone
message instead, raised at once before the envelope (``The requestItems parameter is required ...``).
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sized
from dataclasses import dataclass, field
from typing import Any

from .. import limits, shapes

__all__ = [
    "Bare",
    "BareIfEmpty",
    "BareIfMissing",
    "Enum",
    "MapKeys",
    "MapValues",
    "MaxLength",
    "MaxValue",
    "MinLength",
    "MinValue",
    "NotNull",
    "Pattern",
    "Rule",
    "TableName",
    "Violation",
]

Violation = tuple[Any, str]  # (what the envelope echoes, the rule's text)


class Rule:
    """One constraint on a member's value. Only ``NotNull`` (and ``BareIfMissing``) see absent values."""

    __slots__ = ()
    sees_null = False

    def violations(self, value: Any) -> Iterator[Violation]:
        raise NotImplementedError

    def texts(self) -> tuple[str, ...]:
        """The rule's text(s) as a ``Map keys / Map value must satisfy constraint: [...]`` lists them."""
        raise NotImplementedError


class Bare(Rule):
    """A rule DynamoDB reports as a message of its own, not in the envelope (raised at once)."""

    __slots__ = ()

    def message(self, value: Any) -> str | None:
        raise NotImplementedError

    def violations(self, value: Any) -> Iterator[Violation]:
        return iter(())

    def texts(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True, slots=True)
class BareIfMissing(Bare):
    """``text`` when the member is absent (CreateTable: ``The parameter 'TableName' is required ...``)."""

    text: str
    sees_null = True

    def message(self, value: Any) -> str | None:
        return self.text if value is None else None


@dataclass(frozen=True, slots=True)
class BareIfEmpty(Bare):
    """``text`` when the member is an empty map or list (``The requestItems parameter is required ...``)."""

    text: str

    def message(self, value: Any) -> str | None:
        return self.text if isinstance(value, Sized) and len(value) == 0 else None


@dataclass(frozen=True, slots=True)
class NotNull(Rule):
    sees_null = True

    def violations(self, value: Any) -> Iterator[Violation]:
        if value is None:
            yield None, shapes.NOT_NULL

    def texts(self) -> tuple[str, ...]:
        return (shapes.NOT_NULL,)


def _length(value: Any) -> int:
    return len(value) if isinstance(value, Sized) else 0


@dataclass(frozen=True, slots=True)
class MaxLength(Rule):
    """Characters of a string, members of a list, entries of a map."""

    limit: int

    def violations(self, value: Any) -> Iterator[Violation]:
        if _length(value) > self.limit:
            yield value, self.texts()[0]

    def texts(self) -> tuple[str, ...]:
        return (shapes.MAX_LENGTH.format(limit=self.limit),)


@dataclass(frozen=True, slots=True)
class MinLength(Rule):
    limit: int

    def violations(self, value: Any) -> Iterator[Violation]:
        if _length(value) < self.limit:
            yield value, self.texts()[0]

    def texts(self) -> tuple[str, ...]:
        return (shapes.MIN_LENGTH.format(limit=self.limit),)


@dataclass(frozen=True, slots=True)
class MinValue(Rule):
    limit: int

    def violations(self, value: Any) -> Iterator[Violation]:
        if isinstance(value, int) and value < self.limit:
            yield value, self.texts()[0]

    def texts(self) -> tuple[str, ...]:
        return (shapes.MIN_VALUE.format(limit=self.limit),)


@dataclass(frozen=True, slots=True)
class MaxValue(Rule):
    limit: int

    def violations(self, value: Any) -> Iterator[Violation]:
        if isinstance(value, int) and value > self.limit:
            yield value, self.texts()[0]

    def texts(self) -> tuple[str, ...]:
        return (shapes.MAX_VALUE.format(limit=self.limit),)


@dataclass(frozen=True, slots=True)
class Pattern(Rule):
    """The whole string must match ``pattern`` (Java regex syntax as DynamoDB prints it)."""

    pattern: str
    _compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", re.compile(self.pattern))

    def violations(self, value: Any) -> Iterator[Violation]:
        if isinstance(value, str) and self._compiled.fullmatch(value) is None:
            yield value, self.texts()[0]

    def texts(self) -> tuple[str, ...]:
        return (shapes.PATTERN.format(pattern=self.pattern),)


@dataclass(frozen=True, slots=True)
class Enum(Rule):
    """One of ``values``, listed in the order DynamoDB prints the set (not always the model's)."""

    values: tuple[str, ...]

    def violations(self, value: Any) -> Iterator[Violation]:
        if value not in self.values:
            yield value, self.texts()[0]

    def texts(self) -> tuple[str, ...]:
        return (shapes.ENUM.format(values=", ".join(self.values)),)


@dataclass(frozen=True, slots=True)
class TableName(Rule):
    """The table-name rules of ``shapes.table_name_rules`` (the one copy), with its options."""

    min_length: int = limits.MIN_TABLE_ARN
    arn: bool = True
    pattern_first: bool = False

    def violations(self, value: Any) -> Iterator[Violation]:
        if isinstance(value, str):
            for text in shapes.table_name_rules(
                value, min_length=self.min_length, arn=self.arn, pattern_first=self.pattern_first
            ):
                yield value, text

    def texts(self) -> tuple[str, ...]:
        return (
            shapes.MAX_LENGTH.format(limit=limits.MAX_TABLE_NAME),
            shapes.MIN_LENGTH.format(limit=self.min_length),
            shapes.PATTERN.format(pattern=shapes.TABLE_NAME_PATTERN),
        )


@dataclass(frozen=True, slots=True)
class MapKeys(Rule):
    """Each key of a map breaking ``rule`` is one violation that echoes the whole map and lists every
    text of ``rule``, whichever it broke (dynalite's tests, run against DynamoDB)."""

    rule: Rule

    def violations(self, value: Any) -> Iterator[Violation]:
        if not isinstance(value, Mapping):
            return
        text = shapes.MAP_KEYS.format(rules=", ".join(self.rule.texts()))
        for key in value:
            if next(self.rule.violations(key), None) is not None:
                yield value, text

    def texts(self) -> tuple[str, ...]:
        return (shapes.MAP_KEYS.format(rules=", ".join(self.rule.texts())),)


@dataclass(frozen=True, slots=True)
class MapValues(Rule):
    """Each value of a map breaking any of ``rules`` is one violation, echoing ``{key=value}``; a null
    value has length 0 (as in dynalite, whose check of it fails)."""

    rules: tuple[Rule, ...]

    def violations(self, value: Any) -> Iterator[Violation]:
        if not isinstance(value, Mapping):
            return
        text = self.texts()[0]
        for key, member in value.items():
            if any(next(r.violations(member), None) for r in self.rules):
                yield {key: member}, text

    def texts(self) -> tuple[str, ...]:
        return (shapes.MAP_VALUE.format(rules=", ".join(t for r in self.rules for t in r.texts())),)
