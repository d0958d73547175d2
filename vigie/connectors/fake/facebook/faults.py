"""What goes wrong on purpose, as Graph says it: answers scripted for the next calls (`answer_next`), rate
limits with the `X-Business-Use-Case-Usage` header (§1.11, on every answer, its call count growing with
traffic), expired tokens; and calls still being served when the client gave up (`wait_idle`). A part of
FakeFacebook (server.py), over the faults every fake has (fake/server.py)."""

import json
import time

from vigie.connectors.fake.facebook.graph import graph_error
from vigie.connectors.fake.server import Request, Response

RATE_LIMIT_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, "
    "please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
}


class GraphFaults:
    def fresh_budget(self) -> None:
        """The usage budget untouched, nothing scripted."""
        self.usage = {"call_count": 0.0, "total_cputime": 0.0, "total_time": 0.0}
        self.usage_step = 0.02  # percent of the budget each call uses
        self.regain_minutes = 5
        self.rate_limit_code = 80001  # or 4, 17, 32 (app, user, Page with a user token)
        self.scripted: list[Response] = []  # answered, in order, to the next calls (see `answer_next`)

    def answer_next(self, *responses: Response) -> None:
        """The next calls get these answers (e.g. `graph_error(368, ...)`) instead of being served."""
        with self.lock:
            self.scripted.extend(responses)

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Until no request is being served (a timed-out one finishes its work first, as on Facebook)."""
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def _dispatch(self, request: Request) -> Response:
        with self._idle:
            self._in_flight += 1
        try:
            with self.lock:
                scripted = self.scripted.pop(0) if self.scripted else None
            started = time.monotonic()
            response = scripted or super()._dispatch(request)
            with self.lock:
                self.counts["requests"] += 1
                slow = time.monotonic() - started >= self.faults.timeout_seconds  # the client had given up
                self.counts["failed_answers"] += slow or response.status >= 500
                for key, share in (("call_count", 1.0), ("total_time", 0.8), ("total_cputime", 0.6)):
                    self.usage[key] = min(100.0, self.usage[key] + self.usage_step * share)
                response.headers.setdefault("X-Business-Use-Case-Usage", self._usage_header())
            return response
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _usage_header(self, *, exhausted: bool = False) -> str:
        numbers = {key: 100 if exhausted else int(value) for key, value in self.usage.items()}
        full = exhausted or max(numbers.values()) >= 100
        row = {"type": "pages", **numbers, "estimated_time_to_regain_access": self.regain_minutes if full else 0}
        return json.dumps({self.page_id: [row]})

    def rate_limit_response(self) -> Response:
        headers = {"X-Business-Use-Case-Usage": self._usage_header(exhausted=True)}
        code = self.rate_limit_code
        return graph_error(code, RATE_LIMIT_MESSAGES.get(code, f"(#{code}) Rate limit reached"), headers=headers)

    def expired_token_response(self) -> Response:
        return graph_error(
            190,
            "Error validating access token: Session has expired on Tuesday, 17-Nov-26 "
            "09:00:00 PST. The current time is Friday, 20-Nov-26 01:00:00 PST.",
            subcode=463,
        )
