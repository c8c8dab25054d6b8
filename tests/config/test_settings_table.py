"""The one rule for settings tables, as [poll] and [cluster] both use it."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from monitor.settings_table import table_values


@dataclass(frozen=True)
class Sample:
    count: int = 1
    ratio: float = 0.5
    on: bool = True
    name: str = "x"
    every: int = 60


@pytest.mark.parametrize("raw, key, message", [
    ({"colour": 1}, "colour", "unknown key (expected one of: count, every, name, on, ratio)"),
    ({"count": 1.5}, "count", "expected int, got float 1.5"),
    ({"count": True}, "count", "expected int, got bool True"),
    ({"ratio": "high"}, "ratio", "expected a number, got str 'high'"),
    ({"ratio": -0.1}, "ratio", "must not be negative"),
    ({"on": 1}, "on", "expected true or false, got 1"),
    ({"name": 3}, "name", "expected a string, got 3"),
    ({"count": 0}, "count", "must be at least 1"),
    ({"every": "soon"}, "every", "expected a duration such as 900, \"15m\" or \"1h\""),
])
def test_each_mistake_names_its_key(raw, key, message):
    with pytest.raises(ValueError) as caught:
        table_values(Sample, raw, durations=("every",), at_least_one=("count",))
    assert caught.value.args == (message, key)


def test_valid_values_are_typed_by_their_field():
    values = table_values(Sample, {"count": 3, "ratio": 1, "on": False, "name": "n", "every": "2m"},
                          durations=("every",))
    assert values == {"count": 3, "ratio": 1.0, "on": False, "name": "n", "every": 120}
    assert isinstance(values["ratio"], float)
