"""What people at the desk do to items: assign, change status or priority, several at once, notes, linked identities."""

from django.db import transaction

from vigie.accounts.people import name_of
from vigie.audit.record import record
from vigie.inbox import items, queries, telling
from vigie.inbox.actions.labels import relabel
from vigie.inbox.errors import ActionError
from vigie.inbox.models import Item, Note, Person
from vigie.inbox.status import Status, check_transition
from vigie.vocabulary import Priority


def lock(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


def _set_assignee(item: Item, assignee, *, by) -> bool:
    if item.assignee_id == (assignee.pk if assignee else None):
        return False
    before = name_of(item.assignee) or None
    item.assignee = assignee
    item.save(update_fields=["assignee"])
    after = name_of(assignee) or None
    record(by, "item.assigned", item, summary=f"Attribué à {after}" if after else "Attribution retirée",
           before={"assignee": before}, after={"assignee": after})  # fmt: skip
    telling.assigned(item, assignee, by=by)
    return True


def move_status(item: Item, target: str, *, by, summary: str = "", rule: str = "") -> bool:
    if item.status == target:
        return False
    check_transition(item.status, target)
    before = item.status
    item.status = target
    item.save(update_fields=["status"])
    label = f"{Status(before).label} → {Status(target).label}"
    record(by, "item.status_changed", item, actor_label=rule, summary=f"{label} · {summary}" if summary else label,
           before={"status": before}, after={"status": target})  # fmt: skip
    if target == Status.ESCALATED:
        telling.escalated(item, by=by, rule=rule)
    return True


@transaction.atomic
def assign(item: Item, assignee, *, by) -> Item:
    item = lock(item)
    if _set_assignee(item, assignee, by=by):
        items.sync_threads([item.thread_id])
    return item


def _leaving_undone(item: Item, target: str, left_undone: bool) -> str:
    """Marking done an item whose message is still online where the procedure says to take it down, or a private
    message still without its answer, leaves that undone (`queries.left_undone`): a person must say so
    (`left_undone`), and the audit keeps it (the summary returned). Raises ActionError otherwise."""
    undone = queries.left_undone(item, target)
    if undone is None:
        return ""
    if not left_undone:
        raise ActionError(undone.refusal)
    return undone.kept


@transaction.atomic
def change_status(item: Item, target: str, *, by, rule: str = "", left_undone: bool = False) -> Item:
    item = lock(item)
    summary = _leaving_undone(item, target, left_undone)
    if move_status(item, target, by=by, summary=summary, rule=rule):
        items.sync_threads([item.thread_id])
    return item


@transaction.atomic
def set_priority(item: Item, priority: int, *, by, rule: str = "") -> Item:
    item = lock(item)
    if item.priority != priority:
        before = item.priority
        item.priority, item.priority_set = priority, True
        item.save(update_fields=["priority", "priority_set"])
        record(by, "item.priority_changed", item, actor_label=rule,
               summary=f"Priorité {Priority(before).label.lower()} → {Priority(priority).label.lower()}",
               before={"priority": before}, after={"priority": priority})  # fmt: skip
        items.sync_threads([item.thread_id])
    return item


@transaction.atomic
def bulk_update(selected: list[Item], *, by, status: str = "", assignee=None, unassign: bool = False,
                label: str = "", left_undone: bool = False) -> int:  # fmt: skip
    """One gesture on many items (mark done, assign, label): each change audited; the count of items
    changed. An item that cannot take the change (a status not allowed from its own, or done while that leaves
    undone what the procedure asks (`queries.left_undone`), unless `left_undone`) is left as is."""
    changed = 0
    locked = list(Item.objects.select_for_update().filter(pk__in=[i.pk for i in selected]).select_related("message"))
    for item in locked:
        try:
            changed += _change_one(item, by=by, status=status, assignee=assignee, unassign=unassign, label=label,
                                   left_undone=left_undone)  # fmt: skip
        except ActionError:
            continue
    items.sync_threads({item.thread_id for item in locked})
    return changed


def _change_one(item: Item, *, by, status: str, assignee, unassign: bool, label: str, left_undone: bool) -> bool:
    summary = _leaving_undone(item, status, left_undone)  # raises: the item is left as is
    did = move_status(item, status, by=by, summary=summary) if status else False
    if assignee is not None or unassign:
        did = _set_assignee(item, assignee, by=by) or did
    if label:
        did = relabel(item.message, label, by=by) or did
    return did


@transaction.atomic
def add_note(item: Item, text: str, *, by) -> Note:
    text = text.strip()
    if not text:
        raise ActionError("La note est vide.")
    note = Note.objects.create(thread_id=item.thread_id, item=item, author=by, text=text)
    record(by, "item.note_added", item, summary=text[:120], after={"note_id": note.pk})
    return note


@transaction.atomic
def link_identities(authors, *, by) -> Person:
    """Declare that these platform identities are one person (history and repeat offences follow)."""
    authors = list(authors)
    if len(authors) < 2:
        raise ActionError("Choisissez au moins deux identités à lier.")
    person = next((a.person for a in authors if a.person_id), None)
    if person is None:
        person = Person.objects.create(name=authors[0].display_name or authors[0].external_id)
    for author in authors:
        if author.person_id != person.pk:
            before = author.person_id
            author.person = person
            author.save(update_fields=["person"])
            record(by, "author.linked", author, summary=f"Lié à {person.name}",
                   before={"person_id": before}, after={"person_id": person.pk})  # fmt: skip
    return person
