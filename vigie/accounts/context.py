from vigie.accounts.roles import CAPABILITIES, can


def roles(request):
    """`can.reply`, `can.read_audit`… in every template."""
    user = getattr(request, "user", None)
    if user is None:
        return {"can": {}}
    return {"can": {name: can(user, name) for name in CAPABILITIES}}
