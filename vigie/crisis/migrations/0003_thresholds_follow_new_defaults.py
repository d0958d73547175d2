"""Saved detection settings that still hold the old defaults of the two changed thresholds (the usual
rate's floor, 0.3 an hour; five negatives in 20 min on the page) follow the new ones; a value an admin
chose stays."""

from django.db import migrations

OLD_DEFAULTS = {"usual_rate_floor": 0.3, "page_fast_min_count": 5}


def drop_old_defaults(apps, schema_editor):
    Settings = apps.get_model("crisis", "CrisisSettings")
    for row in Settings.objects.all():
        kept = {k: v for k, v in (row.thresholds or {}).items() if OLD_DEFAULTS.get(k, object()) != v}
        if kept != (row.thresholds or {}):
            row.thresholds = kept
            row.save(update_fields=["thresholds"])


class Migration(migrations.Migration):
    dependencies = [("crisis", "0002_statement_posts")]

    operations = [migrations.RunPython(drop_old_defaults, migrations.RunPython.noop)]
