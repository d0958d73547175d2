"""What every connector shares: a verb its platform does not allow is refused before anything is sent."""

import pytest

from vigie.connectors.base import ActionRequest, ActionResult, Capability, Connector
from vigie.lib.http import ConnectorError


class Recorder(Connector):
    platform = "test"
    capabilities = {
        "reply": Capability(True),
        "hide": Capability(False, "Pas de masquage ici.", nearest="delete"),
        "block": Capability(False, "Pas de blocage ici.", nearest="Bloquer depuis la page (interface web)"),
        "unblock": Capability(False, "Pas de déblocage ici."),
    }

    def __init__(self):
        self.acted: list[str] = []

    def act(self, channel, request: ActionRequest) -> ActionResult:
        self.acted.append(request.verb)
        return ActionResult(platform_id="done")


def refused(verb: str) -> ConnectorError:
    connector = Recorder()
    with pytest.raises(ConnectorError) as failure:
        connector.execute(None, ActionRequest(verb=verb, channel_external_id="page"))
    assert failure.value.permanent and not connector.acted
    return failure.value


def test_an_allowed_verb_is_carried_out():
    connector = Recorder()
    assert connector.execute(None, ActionRequest(verb="reply", channel_external_id="page")).platform_id == "done"
    assert connector.acted == ["reply"]


def test_a_refused_verb_says_why_and_what_to_do_instead():
    assert str(refused("hide")) == "Pas de masquage ici. Action possible : Supprimer."
    assert str(refused("block")) == "Pas de blocage ici. Action possible : Bloquer depuis la page (interface web)."
    assert str(refused("unblock")) == "Pas de déblocage ici."


def test_an_unknown_verb_is_refused_for_good():
    assert str(refused("teleport")) == "action inconnue : teleport"
