"""Document paths (``address.city``, ``items[0].qty``): parsed once, rendered with ``#n`` placeholders.

A path is a top-level attribute name followed by ``.name`` map dereferences and ``[n]`` list
indexes (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.Attributes.html).
Every name segment is rendered as a placeholder, so reserved words (``name``, ``size``...) and
characters such as ``-`` or spaces need no care from the caller; indexes stay literal. As in boto3,
a single attribute name cannot itself contain ``.`` or brackets. A malformed path is a ``ValueError``
here rather than a syntax error from the service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .placeholders import Placeholders

__all__ = ["DocumentPath", "parse_path"]

_NAME = r"[^.\[\]]+"
_PATH = re.compile(rf"{_NAME}(?:\.{_NAME}|\[[0-9]+\])*")
_SEGMENT = re.compile(rf"({_NAME})|\[([0-9]+)\]")


@dataclass(frozen=True, slots=True)
class DocumentPath:
    """A parsed path: names (``str``) and list indexes (``int``), top-level name first."""

    text: str
    segments: tuple[str | int, ...]

    @property
    def top(self) -> str:
        """The top-level attribute the path starts at."""
        first = self.segments[0]
        assert isinstance(first, str)  # parse_path guarantees a name first
        return first

    def render(self, placeholders: Placeholders) -> str:
        """``#n0.#n1[2]``: names through ``placeholders``, indexes as written."""
        parts: list[str] = []
        for segment in self.segments:
            if isinstance(segment, int):
                parts.append(f"[{segment}]")
            else:
                parts.append(("." if parts else "") + placeholders.name(segment))
        return "".join(parts)

    def overlaps(self, other: DocumentPath) -> bool:
        """Whether one path is the other or lies inside it (``items`` and ``items[0]``): DynamoDB
        refuses two update actions on such paths."""
        shorter = min(len(self.segments), len(other.segments))
        return self.segments[:shorter] == other.segments[:shorter]


@lru_cache(maxsize=4096)
def parse_path(text: str) -> DocumentPath:
    """The ``DocumentPath`` for ``text``; ``ValueError`` when it is not a document path."""
    if not isinstance(text, str) or _PATH.fullmatch(text) is None:
        raise ValueError(
            f"{text!r} is not a document path: expected an attribute name followed by .name or [index] "
            "parts, e.g. 'address.city' or 'items[0].qty'"
        )
    segments: list[str | int] = []
    for match in _SEGMENT.finditer(text):
        name, index = match.groups()
        segments.append(name if name is not None else int(index))
    return DocumentPath(text, tuple(segments))
