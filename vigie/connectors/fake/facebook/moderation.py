"""The Graph routes of moderation: hide, unhide or edit a comment, delete it, block and unblock people.
A part of FakeFacebook (server.py)."""

import time

from vigie.connectors.fake.facebook.graph import graph_error, json_param, not_found
from vigie.connectors.fake.facebook.store import Person
from vigie.connectors.fake.server import Request, Response


def ids_param(params: dict) -> list[str]:
    """The people named by `user`, `uid`, `psid` or `asid`: a JSON list, or ids separated by commas."""
    for key in ("user", "uid", "psid", "asid"):
        if key in params:
            value = json_param(params[key])
            values = value if isinstance(value, list) else str(value).split(",")
            return [str(v).strip() for v in values if str(v).strip()]
    return []


class Moderation:
    def update_comment(self, request: Request) -> Response:
        """POST /{comment-id}: is_hidden=true|false, or message= for the Page's own comment."""
        comment = self.comments.get(request.match["id"])
        if comment is None:
            return not_found(request.match["id"], "post")
        params = request.form()
        if "is_hidden" in params:
            hidden = str(params["is_hidden"]).lower() == "true"
            if comment.author_id == self.page_id:
                return graph_error(10, "(#10) A Page cannot hide its own comments")  # [unconf] code
            comment.is_hidden = hidden
            self.counts["hides" if hidden else "unhides"] += 1
            if self.hide_webhooks:
                self._emit_comment(comment, "hide" if hidden else "unhide", created_time=time.time())
                self._api_flush()
            return Response(200, {"success": True})
        if "message" in params and comment.author_id == self.page_id:
            comment.message = str(params["message"])
            self._emit_comment(comment, "edited", created_time=time.time())
            self._api_flush()
            return Response(200, {"success": True})
        return graph_error(100, "(#100) Invalid parameter")

    def delete_comment(self, request: Request) -> Response:
        if request.match["id"] not in self.comments:
            return not_found(request.match["id"], "delete")
        comment = self._delete_comment(request.match["id"])
        self.counts["deletions"] += 1
        self._emit_comment(comment, "remove")
        self._api_flush()
        return Response(200, {"success": True})

    def block(self, request: Request) -> Response:
        if not self._is_page(request):
            return not_found(request.match["id"], "post")
        ids = ids_param(request.form())
        if not ids:
            return graph_error(100, "(#100) Must specify one of user, uid, psid, asid")
        result = {}
        for person_id in ids:
            person = self._person_by_id(person_id) or next(
                (Person(c.author_name, c.author_id, "") for c in self.comments.values() if c.author_id == person_id),
                None,
            )
            result[person_id] = person is not None and person_id != self.page_id
            if result[person_id]:
                self.blocked[person_id] = person.name
                self.counts["blocks"] += 1
        return Response(200, result)

    def list_blocked(self, request: Request) -> Response:
        if not self._is_page(request):
            return not_found(request.match["id"])
        wanted = ids_param(request.query)
        data = [{"id": i, "name": n} for i, n in self.blocked.items() if not wanted or i in wanted]
        return Response(200, {"data": data, "paging": {"cursors": {"before": "QVFIU", "after": "QVFIU"}}})

    def unblock(self, request: Request) -> Response:
        if not self._is_page(request):
            return not_found(request.match["id"], "delete")
        for person_id in ids_param(request.query | request.form()):
            if self.blocked.pop(person_id, None) is not None:
                self.counts["unblocks"] += 1
        return Response(200, {"success": True})
