"""What the public does on the Page (tests and the demo call these): each act changes the Page and sends
the webhook Meta would send. A part of FakeFacebook (server.py)."""

import time

from vigie.connectors.fake.facebook.store import Person, Post


class Public:
    def add_post(self, message: str, *, created_time: float | None = None) -> str:
        with self.lock:
            post = self._new_post(message, created_time or time.time())
            self._emit_post(post)
        self._public_flush()
        return post.id

    def add_comment(
        self,
        post_id: str,
        text: str,
        author: str | Person = "Camille Martin",
        *,
        parent_id: str | None = None,
        created_time: float | None = None,
        photo: str | None = None,
    ) -> str:
        """A person comments on a post (or replies to a comment): the comment exists, the webhook goes."""
        with self.lock:
            if post_id not in self.posts:
                self.posts[post_id] = Post(post_id, "", time.time(), self._next_seq())
            person = author if isinstance(author, Person) else self.person(author)
            comment = self._create_comment(post_id, parent_id, person.asid, person.name, text, created_time, photo)
            self._emit_comment(comment, "add")
        self._public_flush()
        return comment.id

    def edit_comment(self, comment_id: str, text: str) -> None:
        with self.lock:
            comment = self.comments[comment_id]
            comment.message = text
            self._emit_comment(comment, "edited", created_time=time.time())
        self._public_flush()

    def remove_comment(self, comment_id: str) -> None:
        """Its author deletes the comment."""
        with self.lock:
            comment = self._delete_comment(comment_id)
            self._emit_comment(comment, "remove")
        self._public_flush()

    def react(self, post_id: str, author: str = "Camille Martin", reaction_type: str = "like") -> None:
        with self.lock:
            person = self.person(author)
            self._emit_feed(
                {
                    "item": "reaction",
                    "verb": "add",
                    "reaction_type": reaction_type,
                    "post_id": post_id,
                    "parent_id": post_id,
                    "from": {"id": person.asid, "name": person.name},
                    "created_time": int(time.time()),
                }
            )
        self._public_flush()

    def add_message(
        self,
        psid: str | None,
        text: str = "",
        *,
        name: str = "Camille Martin",
        attachments: list[dict] | None = None,
        at: float | None = None,
    ) -> str:
        """A person writes to the Page on Messenger: the one with this PSID, or else the one called `name`."""
        with self.lock:
            person = self._messenger_person(psid, name) if psid else self.person(name)
            at = at or time.time()
            conversation = self._conversation(person)
            mid = self._add_to_conversation(conversation, person.psid, text, at, attachments or [])
            conversation.last_user_message_at = at
            message = {"mid": mid, "text": text} if text else {"mid": mid}
            if attachments:
                message["attachments"] = attachments
            self._emit_messaging(
                {
                    "sender": {"id": person.psid},
                    "recipient": {"id": self.page_id},
                    "timestamp": int(at * 1000),
                    "message": message,
                },
                at,
            )
        self._public_flush()
        return mid
