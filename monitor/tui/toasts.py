"""What a triage toast says: the action and its target by name ("Starred event: Glide bombs…"),
so the analyst sees at once whether the key hit the event or one of its articles."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from monitor.store.triage import TriageResult
from monitor.tui.safe import clean

TITLE_CELLS = 60
_VERBS = {"status:read": "Marked read", "status:new": "Marked unread", "status:dismissed": "Dismissed",
          "tag": "Tagged", "untag": "Removed a tag from", "note": "Added a note to", "note_edit": "Edited the note on",
          "note_delete": "Deleted the note on", "merge": "Merged into", "move_out": "Moved out"}


@dataclass(frozen=True)
class Target:
    """What a triage key acts on: an event (a cluster) or one article, with its title."""

    kind: Literal["cluster", "article"]
    id: int
    title: str

    @property
    def noun(self) -> str:
        return "event" if self.kind == "cluster" else "article"

    def named(self) -> str:
        """'event: Glide bombs hit Kharkiv…' (the title made safe and cut)."""
        return f"{self.noun}: {clean(self.title, limit=TITLE_CELLS) or '(no headline)'}"


def triage_toast(result: TriageResult, target: Target, detail: str = "") -> str:
    """'Starred event: Glide bombs…'; `detail` (a tag) is added in brackets, made safe."""
    message = result.message.lower()
    if result.action == "star":
        verb = "Unstarred" if "unstarred" in message else "Starred"
    elif result.action == "lock":
        verb = "Unlocked" if "unlocked" in message else "Locked"
    elif result.action == "proposal":  # a or o on an article proposed to a locked event
        verb = "Accepted" if " accepted " in message else "Rejected"
        detail = detail or ("into the event" if verb == "Accepted" else "now an event of its own")
    else:
        verb = _VERBS.get(result.action, result.action.capitalize())
    suffix = f" ({clean(detail, limit=30)})" if detail.strip() else ""
    return f"{verb} {target.named()}{suffix}"


def undo_toast(result: TriageResult, title: str | None) -> str:
    """'Undone (starred): event: Glide bombs…'; a bulk change or a deleted tag names no one target."""
    what = clean(result.undone, limit=80) or "the last action"
    if title is None or result.kind not in ("cluster", "article"):
        return f"Undone ({what})"
    kind: Literal["cluster", "article"] = "cluster" if result.kind == "cluster" else "article"
    return f"Undone ({what}): {Target(kind, result.target_id, title).named()}"
