"""The crisis statement can be published as a new post (outbox verb publish_post)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0005_undo_and_unblock'),
    ]

    operations = [
        migrations.AlterField(
            model_name='platformaction',
            name='verb',
            field=models.CharField(choices=[('reply', 'Répondre'), ('private_reply', 'Répondre en privé'), ('hide', 'Masquer'), ('unhide', 'Afficher'), ('delete', 'Supprimer'), ('block', 'Bloquer'), ('unblock', 'Débloquer'), ('report', 'Signaler'), ('publish_post', 'Publier une publication'), ('create_ticket', 'Créer le ticket'), ('ticket_note', 'Note privée sur le ticket'), ('resolve_ticket', 'Résoudre le ticket')], max_length=20),
        ),
    ]
