"""An improvement action remembers the crisis whose review opened it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('crisis', '0002_statement_posts'),
        ('records', '0002_retention_defaults'),
    ]

    operations = [
        migrations.AddField(
            model_name='improvementaction',
            name='crisis',
            field=models.ForeignKey(blank=True, help_text='the crisis whose review opened it', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='improvement_actions', to='crisis.crisis'),
        ),
    ]
