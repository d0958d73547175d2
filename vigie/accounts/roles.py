"""The four roles of DESIGN §1 and what each may do.

A role is a Django group of the same name. Views and the API ask `can(user, capability)`; a
superuser can do everything.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

COMMUNITY_MANAGER = "community_manager"
COMMUNICATION = "communication"
DIRECTION = "direction"
ADMIN = "admin"
ROLES = (COMMUNITY_MANAGER, COMMUNICATION, DIRECTION, ADMIN)
ROLE_LABELS = {
    COMMUNITY_MANAGER: "Community manager",
    COMMUNICATION: "Chargée de communication",
    DIRECTION: "Direction",
    ADMIN: "Administration",
}

CAPABILITIES: dict[str, frozenset[str]] = {
    # read the inbox, threads, authors (web and API)
    "read_inbox": frozenset(ROLES),
    # internal notes: the direction may comment a thread too
    "write_note": frozenset(ROLES),
    # assign and change the status of a thread
    "handle_thread": frozenset({COMMUNITY_MANAGER, COMMUNICATION, ADMIN}),
    # hide, unhide, delete on the platform, block an author (evidence captured first)
    "moderate": frozenset({COMMUNITY_MANAGER, ADMIN}),
    # write a reply (queued for the platform)
    "reply": frozenset({COMMUNITY_MANAGER, COMMUNICATION, ADMIN}),
    # approve (or refuse) replies marked sensitive
    "approve_reply": frozenset({COMMUNICATION, DIRECTION, ADMIN}),
    # reply templates (versioned), the moderation charter, the reliable sources
    "manage_replies": frozenset({COMMUNICATION, ADMIN}),
    # read and export the audit log
    "read_audit": frozenset({DIRECTION, ADMIN}),
    # write, test and switch on the rules of the procedure
    "manage_rules": frozenset({ADMIN}),
    # see failed raw events and retry them
    "manage_ingestion": frozenset({ADMIN}),
    # connect / disconnect platform channels (tokens typed in, stored encrypted) and poll them on demand
    "manage_channels": frozenset({ADMIN}),
    # start and sign off the monitoring rounds (« Tours de veille »)
    "do_rounds": frozenset({COMMUNITY_MANAGER, COMMUNICATION, ADMIN}),
    # the desk's calendar, the rounds' windows, how reply deadlines are counted
    "manage_calendar": frozenset({ADMIN}),
    # list API tokens (owner, dates, state, never the token) and revoke them
    "manage_api_tokens": frozenset({ADMIN}),
    # read and export the tracking tables (complaints, moderation), the control plan and the procedure
    "read_registers": frozenset(ROLES),
    # log a complaint from the desk, fill in its answer, outcome and the improvement it led to
    "keep_registers": frozenset({COMMUNITY_MANAGER, COMMUNICATION, ADMIN}),
    # the control plan: draw the month's quality sample and review it blind, open and follow improvement actions
    "run_control_plan": frozenset({COMMUNICATION, DIRECTION, ADMIN}),
    # edit the procedure's text (a new revision each time)
    "manage_procedure": frozenset({ADMIN}),
    # retention policy, access and erasure requests, the record of processing (GDPR)
    "manage_privacy": frozenset({ADMIN}),
    # see crises, their banner and their room (community managers act on the room's messages)
    "read_crisis": frozenset(ROLES),
    # decide in a crisis: strategy, statement, escalate, merge, dismiss, close
    "decide_crisis": frozenset({COMMUNICATION, DIRECTION, ADMIN}),
    # detection thresholds, dry run, outgoing webhook, demo crisis
    "manage_crisis": frozenset({ADMIN}),
    # « Indicateurs »: the figures of a period, their CSV, the PDF report and /api/v1/indicators (the direction
    # lands there; the others reach it from the menu)
    "read_indicators": frozenset(ROLES),
}


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_vigie_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._vigie_roles = cached
    return cached


def can(user, capability: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user) & CAPABILITIES[capability])


def requires(capability: str):
    """View decorator: anonymous visitors go to the login page, others without the right get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
