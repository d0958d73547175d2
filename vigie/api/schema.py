"""What drf-spectacular needs to describe the API whole: the bearer token, and the errors every operation
may answer, added to each operation from what it declares (so a new operation is described the same way).

- 400 when it takes query parameters (a body naming each bad parameter),
- 401 and 403 when it needs a token (no, bad, expired or revoked token; a role without access),
- 404 when its path holds an identifier (nothing with that identifier)."""

from django.http import JsonResponse
from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR = "Error"
INVALID = "InvalidParameters"
SCHEMAS = {
    ERROR: {
        "type": "object",
        "description": "Une erreur, expliquée en français.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    INVALID: {
        "type": "object",
        "description": "Chaque paramètre refusé, avec la raison (en français).",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "minProperties": 1,
    },
}
AUTHENTICATE = {"WWW-Authenticate": {"schema": {"type": "string", "enum": ["Bearer"]}}}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "vigie.api.authentication.BearerTokenAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <jeton>`, un jeton de `vigie api-token` (90 jours par défaut).",
        }


def _response(description: str, schema: str, headers: dict | None = None) -> dict:
    body = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    return {"description": description, "content": body} | ({"headers": headers} if headers else {})


def _errors(operation: dict) -> dict:
    places = {parameter["in"] for parameter in operation.get("parameters", [])}
    security = operation.get("security", [])
    needs_token = bool(security) and {} not in security
    return {
        **({"400": _response("Paramètre invalide", INVALID)} if "query" in places else {}),
        **({"401": _response("Jeton absent, invalide, expiré ou révoqué", ERROR, AUTHENTICATE)} if needs_token else {}),
        **({"403": _response("Le rôle de l'utilisateur ne donne pas accès", ERROR)} if needs_token else {}),
        **({"404": _response("Rien sous cet identifiant", ERROR)} if "path" in places else {}),
    }


def document_errors(result, generator, request, public):
    """drf-spectacular post-processing hook: each operation's error answers and their bodies."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(SCHEMAS)
    for operations in result["paths"].values():
        for operation in operations.values():
            responses = _errors(operation) | operation["responses"]
            operation["responses"] = dict(sorted(responses.items()))
    return result


def not_found(request, path=""):
    """Any other address under /api/: the JSON 404 of the API, not the HTML page."""
    return JsonResponse({"detail": "Aucune opération de l'API à cette adresse."}, status=404)
