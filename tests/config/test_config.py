"""feeds.toml parsing: valid files load, every kind of mistake names its line and key."""
from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import ConfigError, load_config, parse_config, parse_duration

REPO = Path(__file__).resolve().parents[2]


def parse(text: str):
    return parse_config(text, Path("feeds.toml"))


def test_shipped_feeds_toml_is_valid_and_covers_ukraine_and_world():
    config = load_config(REPO / "feeds.toml")
    assert len(config.feeds) >= 10
    tags = {tag for feed in config.feeds for tag in feed.tags}
    assert {"ukraine", "world"} <= tags
    assert all(feed.url.startswith("https://") for feed in config.feeds)
    assert config.poll.interval == 900 and config.poll.backoff_max == 6 * 3600


def test_full_file_parses_into_frozen_dataclasses():
    config = parse("""
[poll]
interval = "30m"
concurrency = 4
read_timeout = 5

[cluster]
window_hours = 48

[keymap]
"cluster.star" = "s"

[[feeds]]
name = "A"
url = "https://a.example/rss"
tags = ["x", "y"]
interval = "1h"
enabled = false
""")
    feed = config.feeds[0]
    assert (feed.name, feed.tags, feed.interval, feed.enabled) == ("A", ("x", "y"), 3600, False)
    assert config.poll.interval == 1800 and config.poll.concurrency == 4 and config.poll.read_timeout == 5.0
    assert config.cluster.window_hours == 48.0
    assert config.keymap == {"cluster.star": "s"}
    with pytest.raises(AttributeError):
        feed.name = "B"  # type: ignore[misc]


@pytest.mark.parametrize("text, expected", [
    ('[[feeds]]\nname = "A"\n', "feeds.toml:1: feeds[0]: missing required key 'url'"),
    ('[[feeds]]\nname = "A"\nurl = "ftp://x/y"\n', "feeds.toml:3: feeds[0].url: only http(s) URLs"),
    ('[[feeds]]\nname = "A"\nurl = "https://a/"\n\n[[feeds]]\nname = "B"\nurl = "https://b/"\ntags = "x"\n',
     "feeds.toml:8: feeds[1].tags: expected a list of strings"),
    ('[poll]\nconcurrency = "many"\n', "feeds.toml:2: poll.concurrency: expected int"),
    ('[poll]\ninterval = "soon"\n', "feeds.toml:2: poll.interval: expected a duration"),
    ('[poll]\ncolour = 1\n', "feeds.toml:2: poll.colour: unknown key"),
    ('[cluster]\nwindow_hours = "long"\n', "feeds.toml:2: cluster.window_hours: expected a number"),
    ('[keymap]\n"app.quit" = 3\n', "feeds.toml:2: keymap.app.quit: expected a key string"),
    ('[[feeds]]\nname = "A"\nurl = "https://a/"\n[[feeds]]\nname = "A"\nurl = "https://b/"\n',
     "feeds.toml:5: feeds[1].name: duplicate name 'A'"),
    ('[poll\ninterval = 1\n', "feeds.toml: invalid TOML"),
])
def test_errors_name_line_and_key(text, expected):
    with pytest.raises(ConfigError) as caught:
        parse(text)
    assert str(caught.value).startswith(expected), str(caught.value)


def test_invalid_toml_reports_the_line():
    with pytest.raises(ConfigError, match=r"line 3"):
        parse('[poll]\ninterval = 1\nconcurrency = = 2\n')


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "absent.toml")


@pytest.mark.parametrize("value, seconds", [(900, 900), ("15m", 900), ("1h", 3600), ("2d", 172800), ("45s", 45)])
def test_durations(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["0", -5, "ten", True])
def test_bad_durations(value):
    with pytest.raises(ValueError):
        parse_duration(value)
