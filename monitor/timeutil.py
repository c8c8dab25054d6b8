"""One timestamp format everywhere: ISO 8601 UTC with a Z, so text order is time order."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import overload

FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@overload
def to_iso(moment: datetime) -> str: ...
@overload
def to_iso(moment: None) -> None: ...
def to_iso(moment: datetime | None) -> str | None:
    """Format a datetime (naive means UTC) as 2026-11-21T14:32:00Z."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime(FORMAT)


def now_iso() -> str:
    return to_iso(utcnow())


def from_iso(text: str | None) -> datetime | None:
    """Parse what to_iso wrote (and other ISO 8601 forms); None when empty or invalid."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def short_utc(text: str | None) -> str:
    """'2026-11-26T14:05:00Z' -> '2026-11-26 14:05' (in UTC) where a column or a brief is labelled UTC;
    a date alone stays a date; nothing is 'undated'; text that is not a timestamp comes back as it is."""
    if not text:
        return "undated"
    moment = from_iso(text)
    if moment is None:
        return text
    return moment.strftime("%Y-%m-%d" if len(text.strip()) == 10 else "%Y-%m-%d %H:%M")


def human_utc(text: str | None) -> str:
    """'2026-11-26T14:05:00Z' -> '2026-11-26 14:05 UTC' for people (reports); a date alone stays a date;
    text that is not a timestamp comes back as it is."""
    if not text:
        return ""
    moment = from_iso(text)
    if moment is None:
        return text
    if len(text.strip()) == 10:  # "2026-11-26": no time was given, none is invented
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M UTC")
