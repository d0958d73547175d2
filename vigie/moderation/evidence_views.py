import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from vigie.accounts.roles import requires
from vigie.moderation.evidence import verify
from vigie.moderation.models import Evidence


@requires("read_inbox")
def download(request, pk: int):
    """The captured record with its SHA-256, as a JSON file to attach to a complaint."""
    evidence = get_object_or_404(Evidence, pk=pk)
    document = {
        "preuve": evidence.pk,
        "capturee_le": evidence.captured_at.isoformat(),
        "demandee_par": evidence.requested_by.get_username() if evidence.requested_by else evidence.requested_by_rule,
        "sha256": evidence.sha256,
        "empreinte_verifiee": verify(evidence),
        "contenu": evidence.record,
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="vigie-preuve-{evidence.pk}.json"'
    return response
