"""The statement as a new post too: a publication names its channel, carries its outbox action (posts) and,
once confirmed, its evidence. Replies published before keep their channel (their message's)."""

import django.db.models.deletion
from django.db import migrations, models


def channel_of_replies(apps, schema_editor):
    Publication = apps.get_model("crisis", "StatementPublication")
    for publication in Publication.objects.select_related("reply").filter(channel__isnull=True):
        publication.channel_id = publication.reply.channel_id
        publication.save(update_fields=["channel"])


class Migration(migrations.Migration):

    dependencies = [
        ('crisis', '0001_initial'),
        ('inbox', '0007_reply_deadlines'),
        ('ingestion', '0005_channel_freshdesk'),
        ('moderation', '0006_publish_post_verb'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='statementpublication',
            options={'ordering': ['id']},
        ),
        migrations.AddField(
            model_name='statementpublication',
            name='action',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='statement_publication', to='moderation.platformaction'),
        ),
        migrations.AddField(
            model_name='statementpublication',
            name='channel',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ingestion.channel'),
        ),
        migrations.AddField(
            model_name='statementpublication',
            name='evidence',
            field=models.JSONField(blank=True, default=dict, help_text='what was published, as confirmed'),
        ),
        migrations.AddField(
            model_name='statementpublication',
            name='kind',
            field=models.CharField(choices=[('reply', 'Réponse sous un fil'), ('post', 'Nouvelle publication')], default='reply', max_length=10),
        ),
        migrations.AddField(
            model_name='statementpublication',
            name='permalink',
            field=models.URLField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name='statementpublication',
            name='platform_id',
            field=models.CharField(blank=True, help_text='the id of what the platform created', max_length=200),
        ),
        migrations.AddField(
            model_name='statementpublication',
            name='published_at',
            field=models.DateTimeField(blank=True, help_text='when the platform confirmed it', null=True),
        ),
        migrations.AddField(
            model_name='statementpublication',
            name='sha256',
            field=models.CharField(blank=True, help_text='SHA-256 of the canonical JSON of `evidence`', max_length=64),
        ),
        migrations.RunPython(channel_of_replies, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='statementpublication',
            name='channel',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='ingestion.channel'),
        ),
        migrations.AlterField(
            model_name='statementpublication',
            name='reply',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='inbox.message'),
        ),
        migrations.AddConstraint(
            model_name='statementpublication',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'reply'), ('reply__isnull', False)), models.Q(('action__isnull', False), ('kind', 'post')), _connector='OR'), name='statement_publication_has_its_outbox_row'),
        ),
    ]
