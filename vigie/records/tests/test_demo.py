import pytest
from django.core.management import call_command

from vigie.moderation.models import PlatformAction
from vigie.procedure.service import version_in_force
from vigie.records import improvements, quality, registers
from vigie.records.models import Complaint, ImprovementAction, PlatformReport, QualityCheck

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_registers_and_the_control_plan():
    call_command("demo", "--no-serve")
    assert Complaint.objects.count() == 6 and Complaint.objects.filter(outcome="resolved").exists()
    desk = PlatformAction.objects.exclude(target_message__external_id__startswith="hist-")  # not the history's
    assert desk.filter(verb__in=["delete", "hide"]).count() == 5
    register = [r for r in registers.moderation_register() if not r["message"].external_id.startswith("hist-")]
    assert PlatformReport.objects.count() == 1 and len(register) == 6
    check = QualityCheck.objects.get()
    assert check.completed_at is not None and len(quality.deviations(check)) == 2
    assert improvements.overdue().count() == 1 and ImprovementAction.objects.filter(status="done").count() == 1
    assert version_in_force() == "PCM3A-r2"
    counts = (Complaint.objects.count(), ImprovementAction.objects.count())
    call_command("demo", "--no-serve")
    assert (Complaint.objects.count(), ImprovementAction.objects.count()) == counts
