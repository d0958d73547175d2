"""Changing the desk's reply material: templates (versioned), the charter (a new version each time) and
the reliable sources. Each change is audited; a template's earlier wordings stay readable."""

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from vigie.audit.record import record
from vigie.replies.models import Charter, ReplyTemplate, ReplyTemplateVersion, Source

TEMPLATE_FIELDS = ("title", "label", "platform", "kind", "body", "sensitive", "active")


@transaction.atomic
def save_template(template: ReplyTemplate, *, by) -> ReplyTemplate:
    """Create or change a template; a new version is kept when its wording or scope changed."""
    created = template.pk is None
    before = {} if created else model_to_dict(ReplyTemplate.objects.get(pk=template.pk), fields=TEMPLATE_FIELDS)
    template.save()
    after = model_to_dict(template, fields=TEMPLATE_FIELDS)
    if before == after:
        return template
    last = template.versions.first()
    ReplyTemplateVersion.objects.create(
        template=template, number=(last.number + 1) if last else 1, changed_by=by, **after
    )
    verb = "reply_template.created" if created else "reply_template.changed"
    record(by, verb, template, summary=template.title, before=before, after=after)
    return template


def retire_template(template: ReplyTemplate, *, by) -> ReplyTemplate:
    template.active = False
    return save_template(template, by=by)


@transaction.atomic
def publish_charter(version: str, url: str, text: str, *, by) -> Charter:
    """A new version of the charter, in force from now ({lien_charte} gives its link)."""
    charter = Charter.objects.create(version=version, url=url, text=text, published_at=timezone.now())
    record(by, "charter.published", charter, summary=f"Charte {version}", after={"url": url})
    return charter


@transaction.atomic
def save_source(source: Source, *, by) -> Source:
    created = source.pk is None
    source.save()
    record(by, "source.created" if created else "source.changed", source, summary=source.title,
           after={"url": source.url, "keywords": source.keywords})  # fmt: skip
    return source


@transaction.atomic
def delete_source(source: Source, *, by) -> None:
    record(by, "source.deleted", source, summary=source.title, before={"url": source.url})
    source.delete()
