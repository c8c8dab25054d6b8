"""Triage and bulk actions of the main screen (a mixin, to keep main.py about layout and loading).

The target of a triage key is what has focus: the article under the cursor in the Articles or
Corpus pane, otherwise the event under the cursor in the Events pane. Every toast names the
target. Writes go through the app's ordered writer and commit at once; bulk changes are one step
for `u`.
"""
from __future__ import annotations

from typing import Callable, Sequence

from sqlite_utils import Database

from monitor.store import bulk, marked, notes, tags, triage, views
from monitor.text.plural import counted
from monitor.tui.actions import first_key
from monitor.tui.browser import open_in_browser
from monitor.tui.safe import clean
from monitor.tui.screens.marks import Marks, MarksGone
from monitor.tui.screens.prompt import PromptScreen, PromptThenWrite
from monitor.tui.toasts import Target, triage_toast, undo_toast
from monitor.tui.widgets.cluster_list import ClusterList
from monitor.tui.widgets.corpus_pane import CorpusOptions
from monitor.tui.widgets.member_list import MemberList
from monitor.tui.widgets.status_line import StatusLine
from monitor.vocab import TargetKind

Toggle = Callable[[Database, str, int], triage.TriageResult]


class TriageActions(Marks, PromptThenWrite):
    merge_source: int | None = None  # the event marked by a first `m`

    # -- targets ------------------------------------------------------------------------------
    def target(self) -> Target | None:
        focused = self.focused
        if isinstance(focused, MemberList):
            member = focused.selected
            return Target("article", member.article_id, member.title) if member else None
        if isinstance(focused, CorpusOptions):
            row = focused.selected_row
            return Target("article", row.article_id, row.title) if row else None
        return self.event_target()

    def event_target(self) -> Target | None:
        clusters = self.clusters
        row = clusters.selected_row
        return Target("cluster", row.id, row.label) if row is not None else None

    def article_target(self) -> Target | None:
        target = self.target()
        if target and target.kind == "article":
            return target
        member = self.query_one(MemberList).selected
        return Target("article", member.article_id, member.title) if member else None

    @property
    def clusters(self) -> ClusterList:
        return self.query_one(ClusterList)

    def _nothing(self) -> None:
        self.app.notify("Nothing selected", severity="warning", timeout=2)

    def _toggle(self, fn: Toggle, what: marked.Toggle) -> None:
        on_marks = self.marked()
        if on_marks is not None:
            kind, ids = on_marks
            self.write_marked(kind, lambda db: marked.toggle_marked(db, kind, ids, what))
            return
        target = self.target()
        if target is None:
            return self._nothing()
        self.app.write(lambda db: fn(db, target.kind, target.id), toast=lambda r: triage_toast(r, target))

    def write_marked(self, kind: TargetKind, job: Callable[[Database], marked.MarkedResult]) -> None:
        """A write on the marked rows; the toast counts them, marks found gone are dropped."""
        def toast(result: marked.MarkedResult) -> str:
            if result.gone:
                self.post_message(MarksGone(kind, result.gone))
            return result.message

        self.app.write(job, toast=toast)

    # -- triage -------------------------------------------------------------------------------
    def action_toggle_read(self) -> None:
        self._toggle(triage.toggle_read, "read")

    def action_toggle_star(self) -> None:
        self._toggle(triage.toggle_star, "star")

    def action_toggle_dismiss(self) -> None:
        self._toggle(triage.toggle_dismiss, "dismiss")

    def action_undo(self) -> None:
        def undo(db: Database) -> tuple[triage.TriageResult, str | None]:
            result = triage.undo_last(db)
            return result, views.target_title(db, result.kind, result.target_id)

        self.app.write(undo, toast=lambda done: undo_toast(*done))

    def _tag_marked(self, remove: bool) -> bool:
        on_marks = self.marked()
        if on_marks is None:
            return False
        kind, ids = on_marks
        noun = counted(len(ids), "marked " + ("event" if kind == "cluster" else "article"))

        def chosen(name: str | None) -> None:
            if name and name.strip():
                self.write_marked(kind, lambda db: marked.tag_marked(db, kind, ids, name, remove=remove))

        title = f"Remove a tag from {noun}" if remove else f"Tag {noun}   (tab completes)"
        self.app.push_screen(PromptScreen(title, suggestions=views.all_tags(self.app.dbs.ui)), chosen)
        return True

    def action_tag(self) -> None:
        if self._tag_marked(remove=False):
            return
        target = self.target()
        if target is None:
            return self._nothing()
        self.prompt_then_write(f"Tag {target.named()}   (tab completes)",
                               lambda db, name: triage.add_tag(db, target.kind, target.id, name),
                               toast=lambda r, name: triage_toast(r, target, name),
                               suggestions=views.all_tags(self.app.dbs.ui))

    def action_untag(self) -> None:
        if self._tag_marked(remove=True):
            return
        target = self.target()
        if target is None:
            return self._nothing()
        self.prompt_then_write(f"Remove a tag from {target.named()}",
                               lambda db, name: triage.remove_tag(db, target.kind, target.id, name.strip()),
                               toast=lambda r, name: triage_toast(r, target, name),
                               suggestions=views.all_tags(self.app.dbs.ui))

    def action_delete_tag(self) -> None:
        self.prompt_then_write("Delete a tag everywhere (u undoes)", lambda db, name: tags.delete_tag(db, name),
                               suggestions=views.all_tags(self.app.dbs.ui))

    def action_note(self) -> None:
        """A note on the target; on a target that has one, `n` edits it (empty text deletes it)."""
        target = self.target()
        if target is None:
            return self._nothing()
        latest = notes.latest_note(self.app.dbs.ui, target.kind, target.id)
        if latest is None:
            self.prompt_then_write(f"Note on {target.named()}",
                                   lambda db, body: triage.add_note(db, target.kind, target.id, body),
                                   toast=lambda r, _: triage_toast(r, target))
        else:
            self.prompt_then_write(f"Edit the note on {target.named()}   (empty deletes it)",
                                   lambda db, body: notes.edit_note(db, target.kind, target.id, latest.id, body),
                                   toast=lambda r, _: triage_toast(r, target), value=latest.body,
                                   empty_allowed=True)

    def action_delete_note(self) -> None:
        target = self.target()
        if target is None:
            return self._nothing()
        latest = notes.latest_note(self.app.dbs.ui, target.kind, target.id)
        if latest is None:
            self.app.notify(f"No note on {target.named()}", severity="warning", timeout=3, markup=False)
            return
        self.app.write(lambda db: notes.delete_note(db, target.kind, target.id, latest.id),
                       toast=lambda r: triage_toast(r, target))

    def action_merge(self) -> None:
        target = self.event_target()
        if target is None:
            return self._nothing()
        if self.marked_events and not isinstance(self.focused, (MemberList, CorpusOptions)):
            return self._merge_marked(target)
        if self.merge_source is None or self.merge_source == target.id:
            self.mark_merge(target)
            self.app.notify(f"Marked {target.named()} to merge: select the event to merge it into, press m "
                            "again (esc cancels)", timeout=4, markup=False)
            return
        source = self.merge_source
        self.mark_merge(None)
        self.app.write(lambda db: triage.merge(db, target.id, source), toast=lambda r: triage_toast(r, target))

    def _merge_marked(self, target: Target) -> None:
        """The marked events merged into the one under the cursor, in one step; their marks go."""
        sources = [i for i in self.marked_events if i != target.id]
        if not sources:
            self.app.notify(f"Only this event is marked: mark the events to merge into it ({target.named()})",
                            severity="warning", timeout=4, markup=False)
            return
        self.mark_merge(None)
        self.unmark("cluster", [*sources, target.id])
        self.write_marked("cluster", lambda db: marked.merge_marked(db, target.id, sources))

    def mark_merge(self, target: Target | None) -> None:
        """The event a first `m` marked (None: none), named in the status line while it waits: a
        toast for 4 s was all, and a mark forgotten merged that event into the next one given `m`."""
        self.merge_source = target.id if target is not None else None
        key = first_key("triage.merge", dict(self.app.keymap))
        self.query_one(StatusLine).show_merge(
            f"to merge ({key} on another event, esc cancels): {clean(target.title, limit=60) or '(no headline)'}"
            if target else "")

    def action_move_out(self) -> None:
        target = self.article_target()
        if target is not None:
            self.app.write(lambda db: triage.move_out(db, target.id), toast=lambda r: triage_toast(r, target))

    def action_accept_proposal(self) -> None:
        target = self._proposed_target()
        if target is not None:
            self.app.write(lambda db: triage.decide_proposal(db, target.id, True), toast=lambda r: triage_toast(r, target))

    def action_reject_proposal(self) -> None:
        target = self._proposed_target()
        if target is not None:
            self.app.write(lambda db: triage.decide_proposal(db, target.id, False), toast=lambda r: triage_toast(r, target))

    def _proposed_target(self) -> Target | None:
        """The article `a`/`o` decide, when it is proposed to a locked event; otherwise a notice that
        says what the keys do (a newsboat hand presses o to open the article: it was told only
        "article 203 is not proposed to an event", an id the dashboard shows nowhere)."""
        target = self.article_target()
        if target is None:
            self._nothing()
            return None
        members = self.query_one(MemberList).members
        if any(m.article_id == target.id and m.proposed for m in members):
            return target
        keymap = dict(self.app.keymap)
        keys = [first_key(i, keymap) for i in ("triage.accept", "triage.reject", "view.browser")]
        self.app.notify(f"Not proposed to a locked event: {target.named()}. {keys[0]} and {keys[1]} accept or "
                        f"reject an article proposed to a locked event; {keys[2]} opens the article in the browser",
                        severity="warning", timeout=5, markup=False)
        return None

    def action_toggle_lock(self) -> None:
        target = self.event_target()
        if target is not None:
            self.app.write(lambda db: triage.toggle_lock(db, target.id), toast=lambda r: triage_toast(r, target))

    # -- bulk triage and reading order ----------------------------------------------------------
    def _step_unread(self, step: int) -> None:
        clusters = self.clusters
        index = bulk.next_unread(self.app.dbs.ui, clusters.ids, clusters.cursor + step, 1 if step > 0 else -1)
        if index is None:
            self.app.notify(f"No unread event {'below' if step > 0 else 'above'} this one", timeout=2)
            return
        clusters.focus()
        clusters.move_cursor(index)

    def action_next_unread(self) -> None:
        self._step_unread(1)

    def action_previous_unread(self) -> None:
        self._step_unread(-1)

    def _bulk(self, pick: Callable[[Database], Sequence[int]], status: bulk.BulkStatus) -> None:
        """`pick` chooses the events on the writer's connection (at 10k events the query is not for
        the UI thread); an empty pick changes and logs nothing."""
        self.app.write(lambda db: bulk.set_events_status(db, pick(db), status), toast=lambda r: r.message)

    def action_read_view(self) -> None:
        """A, as newsboat's: the list in focus read. In the Events pane every event of the view; in
        the Articles (or Corpus) pane every article it lists. One step for u; the toast counts."""
        focused = self.focused
        if isinstance(focused, (MemberList, CorpusOptions)):
            articles = ([m.article_id for m in focused.members] if isinstance(focused, MemberList)
                        else [row.article_id for row in focused.rows])
            self.app.write(lambda db: marked.set_articles_read(db, articles), toast=lambda r: r.message)
            return
        ids = list(self.clusters.ids)
        self._bulk(lambda db: ids, "read")

    def action_dismiss_view(self) -> None:
        ids = list(self.clusters.ids)
        self._bulk(lambda db: ids, "dismissed")

    def action_read_older(self) -> None:
        clusters = self.clusters
        selected = clusters.selected_id
        if selected is None:
            return self._nothing()
        ids = list(clusters.ids)
        self._bulk(lambda db: bulk.older_than(db, ids, selected), "read")

    # -- outside the app ----------------------------------------------------------------------
    def action_open_browser(self) -> None:
        target = self.article_target()
        if target is None:
            return self._nothing()
        detail = views.article_detail(self.app.dbs.ui, target.id)
        open_in_browser(self.app, detail.url if detail else None)
