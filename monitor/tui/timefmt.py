"""Short times for narrow columns: '4m', '3h', '12d', '2014-03' (year and month: never read as a
day); the clock is injectable for snapshots."""
from __future__ import annotations

from datetime import datetime

from monitor.timeutil import from_iso, human_utc


def ago(iso: str | None, now: datetime) -> str:
    moment = from_iso(iso)
    if moment is None:
        return "-"
    seconds = (now - moment).total_seconds()
    if seconds < 0:
        return "soon" if seconds > -120 else "future"
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 48 * 3600:
        return f"{int(seconds // 3600)}h"
    if seconds < 60 * 86400:
        return f"{int(seconds // 86400)}d"
    return moment.strftime("%Y-%m")  # "Jan 21" read as a day; "2021-01" cannot be


def until(iso: str | None, now: datetime) -> str:
    moment = from_iso(iso)
    if moment is None:
        return "-"
    seconds = (moment - now).total_seconds()
    if seconds <= 0:
        return "due"
    if seconds < 3600:
        return f"in {max(1, int(seconds // 60))}m"
    return f"in {int(seconds // 3600)}h"


def stamp(iso: str | None) -> str:
    """Absolute time for the reader: '2026-11-21 14:32 UTC' (the reports' rule), '-' when there is none."""
    return human_utc(iso) or "-"
