"""Every thread's work state carried to its items: each incoming comment of a comment thread becomes an
item with its thread's status and assignee, and the priority and label of its own classification; each
private conversation becomes one item following its latest message. Plain SQL, the same on SQLite and
PostgreSQL, so that a database of a million messages migrates in a few statements."""

from django.db import migrations

PRIORITY = """CASE WHEN c.targets_staff THEN 3 WHEN c.priority = 'urgent' THEN 2
  WHEN c.priority = 'high' THEN 1 ELSE 0 END"""
LATEST_OF_CONVERSATION = """(SELECT m2.id FROM inbox_message m2
  WHERE m2.thread_id = t.id AND m2.kind = 'private_message'
  ORDER BY m2.removed, m2.created_at DESC, m2.id DESC LIMIT 1)"""

FORWARD = [
    f"""INSERT INTO inbox_item (thread_id, channel_id, platform, kind, message_id, status, assignee_id, priority,
          label, targets_staff, received_at)
    SELECT t.id, t.channel_id, t.platform, t.kind, m.id, t.status, t.assignee_id,
      CASE WHEN t.kind = 'private_message' THEN t.priority ELSE {PRIORITY} END,
      COALESCE(NULLIF(c.corrected_label, ''), c.label, ''), COALESCE(c.targets_staff, FALSE), m.created_at
    FROM inbox_message m
    JOIN inbox_thread t ON t.id = m.thread_id
    LEFT JOIN triage_classification c ON c.message_id = m.id
    WHERE (t.kind = 'comment' AND m.kind = 'comment' AND NOT m.removed)
       OR (t.kind = 'private_message' AND m.id = {LATEST_OF_CONVERSATION})""",
    """UPDATE inbox_message SET item_id = (SELECT i.id FROM inbox_item i WHERE i.message_id = inbox_message.id)
    WHERE kind = 'comment'""",
    """UPDATE inbox_message SET item_id = (SELECT i.id FROM inbox_item i
      WHERE i.thread_id = inbox_message.thread_id AND i.kind = 'private_message')
    WHERE thread_id IN (SELECT id FROM inbox_thread WHERE kind = 'private_message')""",
    """UPDATE inbox_message SET item_id = (SELECT p.item_id FROM inbox_message p WHERE p.id = inbox_message.parent_id)
    WHERE kind = 'reply' AND item_id IS NULL AND parent_id IS NOT NULL""",
    """UPDATE inbox_thread SET open_items = (SELECT COUNT(*) FROM inbox_item i
      WHERE i.thread_id = inbox_thread.id AND i.status IN ('new', 'in_progress', 'escalated'))""",
]
BACKWARD = ["UPDATE inbox_message SET item_id = NULL", "UPDATE inbox_note SET item_id = NULL", "DELETE FROM inbox_item"]


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0005_items"),
        ("triage", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
