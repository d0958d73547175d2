from django.db import migrations


def load(apps, schema_editor):
    from vigie.procedure.service import seed

    seed(Procedure=apps.get_model("procedure", "Procedure"), Revision=apps.get_model("procedure", "Revision"))


class Migration(migrations.Migration):
    dependencies = [("procedure", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
