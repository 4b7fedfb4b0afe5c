"""JSON too deeply nested for Python's parser, parsed without recursion and cut to a useful depth.

``json.loads`` recurses once per nesting level and gives up near 1,000 levels with a
``RecursionError``, so a request nested deeper (a map inside a map, 500 times over) could only be
answered as unparseable over HTTP, while the same request in process gets DynamoDB's "Nesting Levels
have exceeded supported limits". This parser accepts exactly what the server's strict ``json.loads``
accepts (no NaN or Infinity), at any depth, and builds the value down to ``max_depth`` levels; a
container below that is checked for syntax but kept only as an empty container of its kind. Nothing
the fake validates looks that deep (attribute values stop at 32 levels, about 70 JSON levels even
inside a transaction), so the fake answers the cut value exactly as it answers the whole one. Linear
time, with runs of openers and closers below the cut consumed a whole run per step; one byte of
memory per level below the cut. Used only as the fallback when ``json.loads`` runs out of recursion.
JSON: https://www.rfc-editor.org/rfc/rfc8259
"""

from __future__ import annotations

import json
import json.decoder
import re
from typing import Any

__all__ = ["DEFAULT_MAX_DEPTH", "loads"]

DEFAULT_MAX_DEPTH = 256

_ARRAY, _OBJECT = ord("["), ord("{")
_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_STRING_BODY = r'(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"'
# Below the cut nothing is built, so the usual bombs go a run at a time: "[ [[" in one match,
# '{"k":' (an object with its first key) in one match, "]] }]" in one match.
_OPEN_ARRAYS = re.compile(r"\[[\[ \t\n\r]*")
_OPEN_OBJECT_KEY = re.compile(r'\{[ \t\n\r]*"' + _STRING_BODY + r"[ \t\n\r]*:")
_CLOSERS = re.compile(r"[\]}][\]} \t\n\r]*")
_SPACE = b" \t\n\r"
_CLOSER_TO_OPENER = bytes.maketrans(b"]}", b"[{")
_LITERALS = (("true", True), ("false", False), ("null", None))
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]  # CPython's, not in typeshed


def loads(body: bytes, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Parse ``body`` as ``json.loads`` would, keeping containers below ``max_depth`` empty.

    Raises ``ValueError`` (``UnicodeDecodeError`` included) wherever ``json.loads`` raises one.
    """
    text = body.decode(json.detect_encoding(body), "surrogatepass")
    return _Parser(text, max_depth).parse()


def _skip_ws(text: str, pos: int) -> int:
    return _WS.match(text, pos).end()  # type: ignore[union-attr]  # [ \t\n\r]* always matches


class _Parser:
    """One pass over ``text`` with explicit stacks: ``kinds`` for every open container, ``built``
    (the containers) and ``keys`` (each open object's pending key) only down to ``max_depth``."""

    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.max_depth = max_depth
        self.kinds = bytearray()
        self.built: list[list[Any] | dict[str, Any]] = []
        self.keys: list[str] = []

    def parse(self) -> Any:
        text, kinds = self.text, self.kinds
        pos = _skip_ws(text, 0)
        while True:
            pos, value, complete = self._value(pos)
            while complete:  # attach the value, then read what follows it: ',', a closer or the end
                if not kinds:
                    end = _skip_ws(text, pos)
                    if end != len(text):
                        raise ValueError(f"Extra data at {end}")
                    return value
                self._attach(value)
                pos = _skip_ws(text, pos)
                char = text[pos : pos + 1]
                if char == ",":
                    pos = _skip_ws(text, pos + 1)
                    if kinds[-1] == _OBJECT:
                        pos = self._key(pos)
                    break
                if len(kinds) > self.max_depth + 1 and char in ("]", "}"):
                    pos, value = self._close_run(pos), None  # only cut containers closed: nothing to attach
                    continue
                if char != ("]" if kinds[-1] == _ARRAY else "}"):
                    raise ValueError(f"Expecting ',' delimiter at {pos}")
                pos, value = pos + 1, self._close()

    def _value(self, pos: int) -> tuple[int, Any, bool]:
        """One value at ``pos``: (end, value, True), or (end, None, False) inside a newly opened container."""
        text = self.text
        char = text[pos : pos + 1]
        if char == '"':
            value, end = _scanstring(text, pos + 1, True)
            return end, value, True
        if char in ("[", "{"):
            return self._open(pos)
        number = _NUMBER.match(text, pos)
        if number is not None:
            token = number.group()
            if number.group(1) is None and number.group(2) is None:
                return number.end(), int(token), True
            return number.end(), float(token), True
        for literal, constant in _LITERALS:
            if text.startswith(literal, pos):
                return pos + len(literal), constant, True
        raise ValueError(f"Expecting value at {pos}")

    def _open(self, pos: int) -> tuple[int, Any, bool]:
        text, kinds = self.text, self.kinds
        if len(kinds) >= self.max_depth:  # the new container is below the cut
            run = _OPEN_ARRAYS.match(text, pos)
            if run is not None:
                kinds.extend(b"[" * run.group().count("["))
                return self._inside(_skip_ws(text, run.end()), _ARRAY)
            run = _OPEN_OBJECT_KEY.match(text, pos)
            if run is not None:
                kinds.append(_OBJECT)
                return _skip_ws(text, run.end()), None, False
        kind = ord(text[pos])
        kinds.append(kind)
        if len(kinds) <= self.max_depth:
            self.built.append([] if kind == _ARRAY else {})
        return self._inside(_skip_ws(text, pos + 1), kind)

    def _inside(self, pos: int, kind: int) -> tuple[int, Any, bool]:
        """Just inside a new container: it may close at once, else an object's first key comes next."""
        if self.text[pos : pos + 1] == ("]" if kind == _ARRAY else "}"):
            return pos + 1, self._close(), True
        if kind == _OBJECT:
            pos = self._key(pos)
        return pos, None, False

    def _key(self, pos: int) -> int:
        """Read an object's ``"key":`` at ``pos``, holding the key for the value that follows."""
        text = self.text
        if text[pos : pos + 1] != '"':
            raise ValueError(f"Expecting property name enclosed in double quotes at {pos}")
        key, end = _scanstring(text, pos + 1, True)
        end = _skip_ws(text, end)
        if text[end : end + 1] != ":":
            raise ValueError(f"Expecting ':' delimiter at {end}")
        if len(self.kinds) <= self.max_depth:
            self.keys.append(key)
        return _skip_ws(text, end + 1)

    def _attach(self, value: Any) -> None:
        if len(self.kinds) > self.max_depth:
            return
        container = self.built[-1]
        if isinstance(container, list):
            container.append(value)
        else:
            container[self.keys.pop()] = value

    def _close(self) -> Any:
        """Pop the innermost container; one below the cut stands for itself as an empty container."""
        depth = len(self.kinds)
        kind = self.kinds.pop()
        if depth <= self.max_depth:
            return self.built.pop()
        return [] if kind == _ARRAY else {}

    def _close_run(self, pos: int) -> int:
        """Close a run of cut containers whose parents are cut too, checking each closer's kind."""
        kinds, text = self.kinds, self.text
        run = _CLOSERS.match(text, pos)
        assert run is not None  # a closer is at pos
        closers = run.group().encode("ascii").translate(None, _SPACE)
        count = len(kinds) - self.max_depth - 1
        if len(closers) <= count:
            count, end = len(closers), run.end()
        else:  # the run climbs back above the cut: stop after the last closer that is below it
            closers, end = closers[:count], pos + _prefix_with_closers(run.group(), count)
        if closers.translate(_CLOSER_TO_OPENER) != kinds[len(kinds) - count :][::-1]:
            raise ValueError(f"Mismatched closer at {pos}")
        del kinds[len(kinds) - count :]
        return end


def _prefix_with_closers(run: str, count: int) -> int:
    """Length of the shortest prefix of ``run`` (closers and whitespace) holding ``count`` closers.

    Binary search over prefix lengths, each counted in C: O(n log n) character steps, done at most
    once each time the input climbs back above the cut.
    """
    low, high = count, len(run)
    while low < high:
        middle = (low + high) // 2
        spaces = sum(run.count(space, 0, middle) for space in " \t\n\r")
        if middle - spaces >= count:
            high = middle
        else:
            low = middle + 1
    return low
