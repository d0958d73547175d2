"""What is on the Page: its posts, comments, Messenger conversations, the people and the blocked, with ids in
the real formats (§1.12), and what was done through the API (`counts`). A part of FakeFacebook (server.py):
state changes shared by the public and the API, called under its lock."""

import random
import string
import time
from collections import Counter
from dataclasses import dataclass, field

DAY = 86400.0
PRIVATE_REPLY_WINDOW = 7 * DAY


@dataclass
class Person:
    name: str
    asid: str  # app-scoped id, seen as from.id on comments
    psid: str  # page-scoped id, seen on Messenger


@dataclass
class Post:
    id: str
    message: str
    created_time: float
    seq: int


@dataclass
class Comment:
    id: str
    post_id: str
    parent_id: str | None
    author_id: str
    author_name: str
    message: str
    created_time: float
    seq: int
    is_hidden: bool = False
    private_reply_conversation: str | None = None
    photo: str | None = None


@dataclass
class Conversation:
    id: str
    psid: str
    name: str
    updated_time: float
    last_user_message_at: float | None = None
    messages: list[dict] = field(default_factory=list)  # oldest first


def counted(key: str) -> property:
    """How many times the API did `key` (read-only)."""
    return property(lambda self: self.counts[key])


class PageState:
    def empty_page(self) -> None:
        """No posts, comments, conversations, blocks or counts; ids drawn from `seed` again."""
        self.ids = random.Random(self.seed)
        self.seq = 0
        self.people: dict[str, Person] = {}  # by name
        self.posts: dict[str, Post] = {}
        self.comments: dict[str, Comment] = {}
        self.deleted: set[str] = set()
        self.conversations: dict[str, Conversation] = {}  # by PSID
        self.blocked: dict[str, str] = {}  # id → name
        self.counts: Counter[str] = Counter()

    # --- what tests count ---------------------------------------------------------------------------
    replies_created = counted("replies")
    messages_sent = counted("messages")
    private_replies = counted("private_replies")
    posts_published = counted("posts")
    hides = counted("hides")
    deletions = counted("deletions")
    blocks = counted("blocks")

    def replies_to(self, object_id: str) -> list[Comment]:
        with self.lock:
            return [
                c for c in self._alive() if c.parent_id == object_id or (c.parent_id is None and c.post_id == object_id)
            ]

    # --- ids in the real formats (§1.12) ------------------------------------------------------------
    def _digits(self, length: int) -> str:
        return str(self.ids.randint(10 ** (length - 1), 10**length - 1))

    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def _mid(self) -> str:
        alphabet = string.ascii_letters + string.digits + "-_"
        return "m_" + "".join(self.ids.choice(alphabet) for _ in range(86))

    # --- the Page and the people --------------------------------------------------------------------
    def _is_page(self, request) -> bool:
        return request.match["id"] in (self.page_id, "me")

    def _page_from(self) -> dict:
        return {"id": self.page_id, "name": self.page_name}

    def person(self, name: str) -> Person:
        with self.lock:
            if name not in self.people:
                self.people[name] = Person(name=name, asid=self._digits(17), psid=self._digits(16))
            return self.people[name]

    def _person_by_id(self, person_id: str) -> Person | None:
        return next((p for p in self.people.values() if person_id in (p.asid, p.psid)), None)

    def _messenger_person(self, psid: str, name: str) -> Person:
        """The one with this PSID, met for the first time if the fake has not seen it yet."""
        person = self._person_by_id(psid)
        if person is None:
            person = Person(name=name, asid=self._digits(17), psid=psid)
            self.people[name if name not in self.people else f"{name} ({psid})"] = person
        return person

    # --- what existed before Vigie was connected (no webhook goes): the demo's history --------------
    def restore_comment(self, comment_id: str, post_id: str, author_id: str, name: str, text: str, at: float, *,
                        parent_id: str | None = None, post_text: str = "") -> None:  # fmt: skip
        with self.lock:
            if post_id not in self.posts:
                self.posts[post_id] = Post(post_id, post_text, at, self._next_seq())
            self.people.setdefault(name, Person(name=name, asid=author_id, psid=self._digits(16)))
            self.comments[comment_id] = Comment(comment_id, post_id, parent_id, author_id, name, text, at,
                                                self._next_seq())  # fmt: skip

    def restore_message(self, mid: str, psid: str, name: str, text: str, at: float) -> None:
        """A Messenger message a person sent earlier, under the id Vigie knows it by (the 24-hour window counts
        from the latest one)."""
        with self.lock:
            person = self._messenger_person(psid, name)
            conversation = self._conversation(person)
            self._add_to_conversation(conversation, psid, text, at, [], mid=mid)
            conversation.last_user_message_at = max(conversation.last_user_message_at or 0, at)

    # --- posts, comments and conversations ----------------------------------------------------------
    def _new_post(self, message: str, created_time: float) -> Post:
        post = Post(f"{self.page_id}_{self._digits(15)}", message, created_time, self._next_seq())
        self.posts[post.id] = post
        return post

    def _create_comment(self, object_id, parent_id, author_id, author_name, text, created_time, photo) -> Comment:
        post_id = object_id if object_id in self.posts else self.comments[object_id].post_id
        parent_id = parent_id or (object_id if object_id in self.comments else None)
        post_object = post_id.split("_", 1)[1]
        comment = Comment(
            f"{post_object}_{self._digits(16)}",
            post_id,
            parent_id,
            author_id,
            author_name,
            text,
            created_time or time.time(),
            self._next_seq(),
            photo=photo,
        )
        self.comments[comment.id] = comment
        return comment

    def _delete_comment(self, comment_id: str) -> Comment:
        comment = self.comments.pop(comment_id)
        self.deleted.add(comment_id)
        for reply in [c for c in self.comments.values() if c.parent_id == comment_id]:
            self.comments.pop(reply.id)
            self.deleted.add(reply.id)
        return comment

    def _alive(self) -> list[Comment]:
        return sorted(self.comments.values(), key=lambda c: c.seq)

    def _conversation(self, person: Person) -> Conversation:
        if person.psid not in self.conversations:
            self.conversations[person.psid] = Conversation(
                f"t_{self._digits(16)}", person.psid, person.name, time.time()
            )
        return self.conversations[person.psid]

    def _add_to_conversation(
        self, conversation: Conversation, sender: str, text: str, at: float, attachments: list[dict], *, mid: str = ""
    ) -> str:
        mid = mid or self._mid()
        conversation.messages.append({"id": mid, "from": sender, "text": text, "at": at, "attachments": attachments})
        conversation.updated_time = at
        return mid
