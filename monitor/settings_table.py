"""One rule for reading a settings table ([poll], [cluster], a [[feeds]] entry) into a dataclass.

Keys must be fields of the dataclass; a value must have its field's type (an int field takes no
float, a number no boolean); numbers are finite and never negative; durations read as 900, "15m",
"1h" or "2d", at most a year. Errors are ValueError(message, key), which the configuration reader
turns into a message naming the file, the line and the key.
"""
from __future__ import annotations

import math
import re
from typing import Any, Collection, Mapping, get_type_hints

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION_HINT = "expected a duration such as 900, \"15m\" or \"1h\""
MAX_DURATION = 366 * 86400  # intervals, backoffs, windows: beyond a year is a typo that breaks date arithmetic


def parse_duration(value: Any, limit: int = MAX_DURATION) -> int:
    """Seconds from 900, "15m", "1h" or "2d"; at most `limit` (a year)."""
    if isinstance(value, bool):
        raise ValueError(_DURATION_HINT)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError(f"expected a finite duration, got {value!r}")
        seconds = value
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(_DURATION_HINT)
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise ValueError("must be positive")
    if seconds > limit:
        raise ValueError(f"at most {'a year' if limit == MAX_DURATION else f'{limit // 86400} days'} "
                         f"({limit} s), got {value!r}")
    return int(seconds) or 1


def checked(key: str, value: Any, kind: type) -> Any:
    """value when it is a `kind` (an int counts as a float); ValueError(message, key) otherwise."""
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}", key)
    elif kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and isinstance(value, float)):
            wanted = "int" if kind is int else "a number"
            raise ValueError(f"expected {wanted}, got {type(value).__name__} {value!r}", key)
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value!r}", key)
        if value < 0:
            raise ValueError("must not be negative", key)
        value = kind(value)
    elif not isinstance(value, kind):
        raise ValueError(f"expected {'a string' if kind is str else getattr(kind, '__name__', kind)}, got {value!r}", key)
    return value


def table_values(cls: type, raw: Mapping[str, Any], *, durations: Collection[str] = (),
                 at_least_one: Collection[str] = ()) -> dict[str, Any]:
    """The checked values of a table for the dataclass `cls` (its fields' types decide)."""
    kinds = get_type_hints(cls)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in kinds:
            raise ValueError(f"unknown key (expected one of: {', '.join(sorted(kinds))})", key)
        if key in durations:
            try:
                values[key] = parse_duration(value)
            except ValueError as exc:
                raise ValueError(str(exc), key) from None
            continue
        values[key] = checked(key, value, kinds[key])
        if key in at_least_one and values[key] < 1:
            raise ValueError("must be at least 1", key)
    return values
