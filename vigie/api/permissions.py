from rest_framework.permissions import BasePermission

from vigie.accounts.roles import can


class CanReadInbox(BasePermission):
    message = "Votre rôle ne donne pas accès à la boîte de réception."

    def has_permission(self, request, view):
        return bool(request.user) and can(request.user, "read_inbox")
