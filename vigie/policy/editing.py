"""Changing rules: each save is a new version, audited in the same transaction."""

from django.db import transaction

from vigie.audit.record import record
from vigie.policy import engine
from vigie.policy.models import Rule, RuleVersion
from vigie.triage.models import Classification


class RuleError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@transaction.atomic
def save_rule(rule: Rule | None, *, name: str, description: str, enabled: bool, definition: dict, by) -> Rule:
    errors = engine.validate(definition)
    if errors:
        raise RuleError(errors)
    created = rule is None
    rule = rule or Rule(name=name)
    before = {"enabled": rule.enabled, "version": rule.current.number if not created and rule.current else None}
    rule.name, rule.description, rule.enabled = name, description, enabled
    rule.save()
    current = rule.current
    if current is None or current.definition != definition:
        current = RuleVersion.objects.create(
            rule=rule, number=(current.number + 1) if current else 1, definition=definition, created_by=by
        )
    after = {"enabled": rule.enabled, "version": current.number, "definition": definition}
    verb = "rule.created" if created else "rule.saved"
    record(by, verb, rule, summary=f"{rule.name} v{current.number}", before=before, after=after)
    return rule


def dry_run(definition: dict, limit: int = 500) -> list[tuple[Classification, list]]:
    """The rule over the last classified messages, without doing anything: what it would plan."""
    from vigie.policy.service import facts_for

    spec = engine.RuleSpec("aperçu", 0, definition)
    classifications = Classification.objects.select_related(
        "message__channel", "message__thread__post", "message__author"
    ).order_by("-message__created_at")[:limit]
    matches = []
    for classification in classifications:
        message = classification.message
        facts = facts_for(message, classification, message.author.offence_count if message.author else 0)
        planned = engine.evaluate([spec], facts)
        if planned:
            matches.append((classification, planned))
    return matches
