"""FakeFacebook: the Graph endpoints Vigie uses, with their state, errors and signed webhooks.

Follows platform-apis.md §1: ids in the real formats (§1.12), Graph error envelopes and codes (§1.10),
`X-Business-Use-Case-Usage` on every answer with a call count that grows with traffic (§1.11), cursor
paging with `paging.cursors` and `paging.next` (§1.9), the Send API with its 24 h / 7 days windows and the
one-private-reply-per-comment rule (§1.8), and the Page's own posts on its feed (`POST /{page-id}/feed`,
Meta's Pages API; see docs/crisis.md: not yet in platform-apis.md).

The public acts through methods (`add_comment`, `edit_comment`, `remove_comment`, `add_message`, `react`);
each sends the webhook Meta would send, signed with the app secret over the exact bytes (non-ASCII escaped
as \\uXXXX). What the Page does through the API (replies, messages) produces webhooks too, with
`from.id` = the Page: they wait in `pending_webhooks` until `flush()` (or go at once, from a background
thread, when only `webhook_url` is set, as for the demo). `counts` says what was done on the platform.

Assumptions marked [unconf] in platform-apis.md are choices here: errors 10900 / 10903 for a second or late
private reply, code 10 when hiding the Page's own comment, hide/unhide webhooks only when `hide_webhooks`.

One module a concern, each a part of the class that server.py puts together:
- store.py: the Page's posts, comments, conversations, people and blocks; ids; the demo's history;
- public.py: what the public does (each act sends its webhook);
- feed.py: the Graph routes of posts and comments, and any node read by id;
- moderation.py: hide, unhide, delete, block, unblock;
- messenger.py: conversations and the Send API;
- webhooks.py: the webhooks Meta sends, signed, and the app's subscription;
- login.py: Facebook Login and the tokens each call must carry;
- faults.py: scripted answers, rate limits with the usage header, expired tokens;
- graph.py and paging.py: how the Graph API speaks (errors, fields, cursors), whatever the route.
"""

from vigie.connectors.fake.facebook.graph import graph_error, iso, not_found, top_level_fields
from vigie.connectors.fake.facebook.server import FakeFacebook
from vigie.connectors.fake.facebook.store import Comment, Conversation, Person, Post

__all__ = [
    "Comment",
    "Conversation",
    "FakeFacebook",
    "Person",
    "Post",
    "graph_error",
    "iso",
    "not_found",
    "top_level_fields",
]
