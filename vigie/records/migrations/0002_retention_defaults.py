from django.db import migrations


def load(apps, schema_editor):
    from vigie.records.retention import DEFAULTS

    policy = apps.get_model("records", "RetentionPolicy")
    for kind, (days, mode, justification) in DEFAULTS.items():
        policy.objects.get_or_create(kind=kind, defaults={"days": days, "mode": mode, "justification": justification})


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
