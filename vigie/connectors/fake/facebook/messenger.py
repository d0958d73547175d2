"""Messenger: the Page's conversations, and the Send API with its 24 h / 7 days windows and the
one-private-reply-per-comment rule (§1.8). A part of FakeFacebook (server.py)."""

import time

from vigie.connectors.fake.facebook.graph import graph_error, iso, json_param, not_found, select, top_level_fields
from vigie.connectors.fake.facebook.paging import listed
from vigie.connectors.fake.facebook.store import DAY, PRIVATE_REPLY_WINDOW, Conversation, Person
from vigie.connectors.fake.server import Request, Response

MESSAGING_WINDOW = DAY
HUMAN_AGENT_WINDOW = 7 * DAY


class Messenger:
    def _participant(self, person_id: str) -> dict:
        if person_id == self.page_id:
            return {"name": self.page_name, "email": f"{self.page_id}@facebook.com", "id": self.page_id}
        person = self._person_by_id(person_id)
        return {"name": person.name if person else "", "email": f"{person_id}@facebook.com", "id": person_id}

    def _message_node(self, conversation: Conversation, message: dict) -> dict:
        to = self.page_id if message["from"] != self.page_id else conversation.psid
        node = {
            "id": message["id"],
            "created_time": iso(message["at"]),
            "from": self._participant(message["from"]),
            "to": {"data": [self._participant(to)]},
            "message": message["text"],
        }
        files = [
            {
                "id": str(i),
                "mime_type": "image/jpeg",
                "name": f"image-{i}.jpg",
                "image_data": {"url": a.get("payload", {}).get("url", ""), "width": 960, "height": 720},
            }
            for i, a in enumerate(message["attachments"])
        ]
        if files:
            node["attachments"] = {"data": files}
        return node

    def _conversation_node(self, conversation: Conversation, fields: set[str]) -> dict:
        node = {
            "id": conversation.id,
            "updated_time": iso(conversation.updated_time),
            "participants": {"data": [self._participant(conversation.psid), self._participant(self.page_id)]},
            "message_count": len(conversation.messages),
        }
        if "messages" in fields:
            newest = list(reversed(conversation.messages))[:20]  # only the 20 most recent can be read
            node["messages"] = {"data": [self._message_node(conversation, m) for m in newest]}
        return select(node, fields or {"updated_time"})

    def list_conversations(self, request: Request) -> Response:
        if not self._is_page(request):
            return not_found(request.match["id"])
        conversations = sorted(self.conversations.values(), key=lambda c: c.updated_time, reverse=True)
        if request.query.get("user_id"):
            conversations = [c for c in conversations if c.psid == request.query["user_id"]]
        order = {c.id: i for i, c in enumerate(conversations)}
        fields = top_level_fields(request.query.get("fields", ""))
        return listed(self.url, request, conversations, lambda c: order[c.id],
                      lambda c: self._conversation_node(c, fields))  # fmt: skip

    def send_message(self, request: Request) -> Response:
        """The Send API: a Messenger message to a PSID, or the private reply to a comment."""
        if not self._is_page(request):
            return not_found(request.match["id"], "post")
        params = request.form()
        recipient = json_param(params.get("recipient")) or {}
        message = json_param(params.get("message")) or {}
        text = str(message.get("text") or "") if isinstance(message, dict) else ""
        if not text:
            return graph_error(100, "(#100) Message cannot be empty, must provide valid attachment or text")
        if len(text) > 2000:
            return graph_error(100, "(#100) Length of param message[text] must be less than or equal to 2000")
        if not isinstance(recipient, dict):
            return graph_error(100, "(#100) param recipient must be non-empty.")
        if recipient.get("comment_id"):
            return self._private_reply(str(recipient["comment_id"]), text)
        if recipient.get("id"):
            return self._message_to(str(recipient["id"]), text, params)
        return graph_error(100, "(#100) param recipient must be non-empty.")

    def _private_reply(self, comment_id: str, text: str) -> Response:
        comment = self.comments.get(comment_id)
        if comment is None:
            return not_found(comment_id, "post")
        if comment.private_reply_conversation:
            return graph_error(10900, "(#10900) Activity already replied to")  # [unconf] code
        if time.time() - comment.created_time > PRIVATE_REPLY_WINDOW:
            return graph_error(10903, "(#10903) This activity can't be replied to")  # [unconf] code
        person = self._person_by_id(comment.author_id) or Person(
            comment.author_name, comment.author_id, self._digits(16)
        )
        conversation = self._conversation(person)
        comment.private_reply_conversation = conversation.id
        mid = self._page_says(conversation, text)
        self.counts["private_replies"] += 1
        return Response(200, {"recipient_id": person.psid, "message_id": mid})

    def _message_to(self, psid: str, text: str, params: dict) -> Response:
        conversation = self.conversations.get(psid)
        if conversation is None:
            return graph_error(100, "(#100) No matching user found", subcode=2018001)
        if psid in self.blocked:
            return graph_error(551, "This person isn't available right now.", subcode=1545041)
        window = MESSAGING_WINDOW
        if params.get("messaging_type") == "MESSAGE_TAG":
            if params.get("tag") != "HUMAN_AGENT":
                return graph_error(
                    100,
                    "(#100) Param tag must be one of {CONFIRMED_EVENT_UPDATE, "
                    "POST_PURCHASE_UPDATE, ACCOUNT_UPDATE, HUMAN_AGENT}",
                )
            window = HUMAN_AGENT_WINDOW
        last = conversation.last_user_message_at
        if last is None or time.time() - last > window:
            return graph_error(
                10,
                "(#10) This message is sent outside of allowed window. Learn more about the new "
                "policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview",
                subcode=2018278,
            )
        mid = self._page_says(conversation, text)
        self.counts["messages"] += 1
        return Response(200, {"recipient_id": psid, "message_id": mid})

    def _page_says(self, conversation: Conversation, text: str) -> str:
        now = time.time()
        mid = self._add_to_conversation(conversation, self.page_id, text, now, [])
        self._emit_messaging(
            {
                "sender": {"id": self.page_id},
                "recipient": {"id": conversation.psid},
                "timestamp": int(now * 1000),
                "message": {"mid": mid, "is_echo": True, "app_id": int(self.app_id), "text": text},
            },
            now,
        )
        self._api_flush()
        return mid
