"""The « Jetons d'API » page (admins): every token with its owner and dates, and a revoke button."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from vigie.accounts.roles import requires
from vigie.api import tokens
from vigie.api.models import ApiToken
from vigie.lib.pages import page_of


@requires("manage_api_tokens")
def token_list(request):
    rows = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    page = page_of(request, rows, 50)
    return render(request, "api/tokens.html", {"page": page})


@require_POST
@requires("manage_api_tokens")
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if tokens.revoke(token, by=request.user):
        messages.success(request, f"Jeton {token.prefix}… de {token.user.get_username()} révoqué.")
    else:
        messages.info(request, f"Le jeton {token.prefix}… était déjà révoqué.")
    return redirect("api-tokens:list")
