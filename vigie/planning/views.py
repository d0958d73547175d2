"""The « Planning des publications » page, and connecting the monday.com board from « Canaux »."""

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from vigie.accounts.roles import requires
from vigie.inbox.models import Thread
from vigie.lib import crypto
from vigie.lib.http import ConnectorError
from vigie.planning import actions, queries
from vigie.planning import mapping as mappings
from vigie.planning.client import MondayClient
from vigie.planning.columns import PARIS
from vigie.planning.forms import BoardChoiceForm, MappingForm, TokenForm
from vigie.planning.models import Board, PlannedPost

SESSION_TOKEN = "planning_monday_token"  # noqa: S105 (a session key) the token typed in, encrypted, between the connection's steps
BOARD_NAME = "Planning | Réseaux sociaux"


# --- the planning ------------------------------------------------------------------------------------


def _week_start(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        today = timezone.localdate()
        return today - timedelta(days=today.weekday())


@requires("read_inbox")
def planning(request):
    view = "liste" if request.GET.get("vue") == "liste" else "semaine"
    context = {"view": view, "boards": Board.objects.exclude(status=Board.Status.DISABLED)}
    if view == "semaine":
        start = _week_start(request.GET.get("semaine", ""))
        start -= timedelta(days=start.weekday())
        days = queries.week(datetime.combine(start, time(0), tzinfo=PARIS))
        week = {"start": start, "end": start + timedelta(days=6), "previous": start - timedelta(days=7),
                "next": start + timedelta(days=7)}  # fmt: skip
        context |= {"days": days, **week}
        shown = [p for _, posts in days for p in posts]
    else:
        context |= {"upcoming": queries.upcoming(), "published": queries.published()}
        shown = [*context["upcoming"], *context["published"]]
    context["threads"] = _threads_of(shown)
    return render(request, "planning/planning.html", context)


def _threads_of(planned: list[PlannedPost]) -> dict[int, int]:
    """post id → the id of its comment thread (to open it in the inbox)."""
    post_ids = {p.post_id for p in planned if p.post_id} | {p.suggested_post_id for p in planned if p.suggested_post_id}
    found = Thread.objects.filter(post_id__in=post_ids).order_by("pk").values_list("post_id", "pk")
    return {post_id: pk for post_id, pk in reversed(list(found))}


def access_planned(request, pk: int) -> PlannedPost:
    return get_object_or_404(PlannedPost.objects.select_related("suggested_post"), pk=pk, removed_at=None)


@require_POST
@requires("handle_thread")
def confirm_match(request, pk: int):
    planned = access_planned(request, pk)
    if planned.suggested_post is None:
        messages.error(request, "Aucun rapprochement proposé pour cette publication.")
    else:
        actions.confirm_match(planned, planned.suggested_post, by=request.user)
        messages.success(request, f"« {planned.name} » est rapprochée de la publication réelle.")
    return _back(request)


@require_POST
@requires("handle_thread")
def reject_match(request, pk: int):
    planned = access_planned(request, pk)
    try:
        actions.reject_suggestion(planned, by=request.user)
        messages.success(request, "Rapprochement écarté : il ne sera plus proposé.")
    except actions.PlanningError as exc:
        messages.error(request, str(exc))
    return _back(request)


def _back(request):
    """Back to the planning as it was shown (its view and week only)."""
    kept = {key: request.POST[key] for key in ("vue", "semaine") if request.POST.get(key)}
    return redirect(f"{reverse('planning:list')}?{urlencode(kept)}" if kept else reverse("planning:list"))


# --- connecting the board (admins, from « Canaux ») ------------------------------------------------------


def _token(request) -> str:
    stored = request.session.get(SESSION_TOKEN, "")
    try:
        return crypto.decrypt(stored) if stored else ""
    except ValueError:
        return ""


def _failed(request, exc: Exception):
    messages.error(request, f"monday.com : {exc}")
    return redirect("ingestion:channels")


@require_POST
@requires("manage_channels")
def connect_token(request):
    """Step 1: the token; monday lists the boards it can read."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Saisissez le jeton d'API monday.com.")
        return redirect("ingestion:channels")
    token = form.cleaned_data["token"].strip()
    try:
        boards = MondayClient(token).boards()
    except ConnectorError as exc:
        return _failed(request, exc)
    if not boards:
        messages.error(request, "Ce jeton ne donne accès à aucun tableau monday.com.")
        return redirect("ingestion:channels")
    request.session[SESSION_TOKEN] = crypto.encrypt(token)
    preferred = next((b["id"] for b in boards if b["name"] == BOARD_NAME), boards[0]["id"])
    form = BoardChoiceForm(boards=boards, initial={"board_id": preferred})
    return render(request, "planning/choose_board.html", {"form": form})


def _mapping_page(request, board_id: str, token: str, initial: dict | None = None):
    try:
        info, columns = actions.board_columns(token, board_id)
    except ConnectorError as exc:
        return _failed(request, exc)
    proposed = initial if initial is not None else mappings.propose(columns)
    form = MappingForm(initial={"board_id": board_id, **proposed}, columns=columns)
    return render(request, "planning/mapping.html", {"form": form, "board_name": info.get("name", board_id)})


@require_POST
@requires("manage_channels")
def connect_board(request):
    """Step 2: the board chosen; its columns and the proposed mapping."""
    token = _token(request)
    if not token:
        messages.error(request, "La connexion a expiré : saisissez de nouveau le jeton.")
        return redirect("ingestion:channels")
    return _mapping_page(request, request.POST.get("board_id", ""), token)


@requires("manage_channels")
def remap(request, pk: int):
    """The mapping of a connected board again (a column was removed or renamed on monday)."""
    board = get_object_or_404(Board, pk=pk)
    if not board.token:
        messages.error(request, "Ce tableau n'a plus de jeton : reconnectez-le.")
        return redirect("ingestion:channels")
    request.session[SESSION_TOKEN] = crypto.encrypt(board.token)
    return _mapping_page(request, board.board_id, board.token, initial=board.mapping)


@require_POST
@requires("manage_channels")
def confirm_mapping(request):
    """Step 3: the admin confirms the mapping; the board is connected and read."""
    token = _token(request)
    if not token:
        messages.error(request, "La connexion a expiré : saisissez de nouveau le jeton.")
        return redirect("ingestion:channels")
    board_id = request.POST.get("board_id", "")
    try:
        info, columns = actions.board_columns(token, board_id)
    except ConnectorError as exc:
        return _failed(request, exc)
    form = MappingForm(request.POST, columns=columns)
    if not form.is_valid():
        return render(request, "planning/mapping.html", {"form": form, "board_name": info.get("name", board_id)})
    try:
        board = actions.connect_board(token, board_id, form.mapping(), by=request.user)
    except (ConnectorError, actions.PlanningError) as exc:
        return _failed(request, exc)
    request.session.pop(SESSION_TOKEN, None)
    messages.success(request, f"{board} connecté : le jeton est enregistré chiffré, la lecture du tableau commence.")
    return redirect("ingestion:channels")


@require_POST
@requires("manage_channels")
def sync_now(request, pk: int):
    board = get_object_or_404(Board, pk=pk)
    try:
        actions.request_sync(board, by=request.user)
        messages.success(request, f"Relecture de {board} demandée.")
    except actions.PlanningError as exc:
        messages.error(request, str(exc))
    return redirect("ingestion:channels")


@require_POST
@requires("manage_channels")
def disconnect(request, pk: int):
    board = get_object_or_404(Board, pk=pk)
    actions.disconnect_board(board, by=request.user)
    messages.success(request, f"{board} déconnecté : jeton effacé, le planning n'est plus mis à jour.")
    return redirect("ingestion:channels")
