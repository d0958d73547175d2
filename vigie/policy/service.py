"""The procedure applied to one classified message: repeat offences, rules, recommendations, and the
automatic actions rules allow. Runs in the ingestion pipeline only, so a rule's own actions (which
go through the actions layer, not the pipeline) never trigger rules."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from vigie.accounts.people import name_of
from vigie.accounts.roles import COMMUNICATION, DIRECTION
from vigie.connectors import registry
from vigie.inbox import actions
from vigie.inbox.models import LABEL_NAMES, Author, Message
from vigie.lib.plural import pluriel
from vigie.notifications import service as notifications
from vigie.notifications.models import Kind
from vigie.policy import engine
from vigie.policy.actions import PlannedAction
from vigie.policy.facts import Facts
from vigie.policy.models import PolicySettings, Recommendation, Rule
from vigie.triage import playbook_defaults
from vigie.triage import service as triage
from vigie.triage.models import Classification
from vigie.triage.normalize import EMAIL_RE, PHONE_RE, URL_RE
from vigie.vocabulary import CRISIS_ATTACKS, INAPPROPRIATE, PRIORITY_NAMES

PLAYBOOK = "procédure"
TELL_THE_TEAM = frozenset({"notify_internal", "notify"})
TOLD_BY_DEFAULT = (DIRECTION, COMMUNICATION)  # the procedure's "prévenir en interne"
AUTOMATIC_VERBS = frozenset({"hide", "unhide", "delete", "block"})


def offences(message: Message, window_days: int) -> int:
    """Inappropriate messages of its author (or of the person behind linked identities) lately, this
    one included, among those stored until it (the same whether a batch is stored at once or not)."""
    author = message.author
    if author is None:
        return 0
    same = Q(message__author=author) | (Q(message__author__person_id=author.person_id) if author.person_id else Q())
    since = timezone.now() - timedelta(days=window_days)
    inappropriate = Q(corrected_label__in=INAPPROPRIATE) | Q(corrected_label="", label__in=INAPPROPRIATE)
    stored_until = Q(message_id__lte=message.pk)
    return Classification.objects.filter(same, inappropriate, stored_until, message__created_at__gte=since).count()


def facts_for(message: Message, classification: Classification, offence_count: int) -> Facts:
    thread = message.thread
    return Facts(
        text=message.text,
        platform=message.channel.platform,
        kind=message.kind,
        created_at=message.created_at,
        label=classification.effective_label,
        confidence=classification.confidence,
        targets_staff=classification.targets_staff,
        signals=tuple(classification.signals),
        has_link=bool(URL_RE.search(message.text)),
        has_phone=bool(PHONE_RE.search(message.text)),
        has_email=bool(EMAIL_RE.search(message.text)),
        author_offences=offence_count,
        post_external_id=thread.post.external_id if thread.post else "",
    )


def playbook(classification: Classification, offence_count: int) -> list[PlannedAction]:
    """DESIGN §2's default playbook, with its "on repeat" branch where the procedure has one (spam: block;
    abuse: block and notify internally)."""
    planned = [PlannedAction(name, {}, PLAYBOOK, False) for name in classification.proposed_actions]
    if offence_count >= 2:
        names = {p.type for p in planned}
        on_repeat = playbook_defaults.ON_REPEAT.get(classification.effective_label, ())
        planned += [PlannedAction(n, {}, PLAYBOOK, False, "récidive") for n in on_repeat if n not in names]
    return planned


def enabled_rules() -> list[engine.RuleSpec]:
    return [rule.spec() for rule in Rule.objects.filter(enabled=True).prefetch_related("versions") if rule.current]


@dataclass(frozen=True)
class Procedure:
    """The rules and settings in force, read once for a batch of messages."""

    rules: list[engine.RuleSpec]
    repeat_window_days: int

    @classmethod
    def load(cls) -> "Procedure":
        return cls(enabled_rules(), PolicySettings.current().repeat_window_days)

    @property
    def counts_offences(self) -> bool:
        """Whether a rule looks at the author's offences (otherwise only inappropriate messages need them)."""
        return any(
            condition.get("type") == "author_offences_at_least"
            for rule in self.rules
            for condition in rule.definition.get("conditions", [])
        )


def apply(
    message: Message, classification: Classification | None, procedure: Procedure | None = None, *, new=False
) -> list[Recommendation]:
    """Called by the pipeline after classification, inside its transaction (`new`: the message was
    just stored, so it has no recommendations yet)."""
    return apply_all([(message, classification)], procedure, new=new)


def apply_all(pairs, procedure: Procedure | None = None, *, new=False) -> list[Recommendation]:
    """`apply` for a batch of (message, classification): each message's actions carried out in turn, then
    all their recommendations stored in one statement (one per recommendation cost most of a webhook
    batch's round trips on PostgreSQL, issue #15)."""
    procedure = procedure or Procedure.load()
    planned = [recommendation for message, classification in pairs
               for recommendation in plan(message, classification, procedure, new=new)]  # fmt: skip
    return Recommendation.objects.bulk_create(planned)


def plan(message: Message, classification: Classification | None, procedure: Procedure, *, new=False) -> list:
    """One message's recommendations, not stored yet, with what Vigie does by itself already done."""
    if classification is None or (not new and message.recommendations.exists()):
        return []
    count = 0
    if classification.inappropriate or procedure.counts_offences:
        count = offences(message, procedure.repeat_window_days)
    if message.author_id and classification.inappropriate:
        Author.objects.filter(pk=message.author_id).update(offence_count=count)
    facts = facts_for(message, classification, count)
    capabilities = registry.capabilities(message.channel.platform)
    planned = engine.adapt(playbook(classification, count) + engine.evaluate(procedure.rules, facts), capabilities)
    return [_recommendation(message, action) for action in planned]


def replan(message: Message, classification: Classification) -> list[Recommendation]:
    """A person corrected or confirmed the label: the procedure's proposals nobody acted on follow it, and the
    author's offences are counted again. What was done stays, except that telling the team follows the check
    (`_follow_the_check`); rules' proposals stay (they read the facts the message arrived with)."""
    message.classification = classification  # the checked label, for those who read it from the message
    plan = triage.checked_plan(classification, message.kind)
    classification.proposed_actions = plan.actions
    classification.save(update_fields=["proposed_actions"])
    window = PolicySettings.current().repeat_window_days
    if message.author_id:
        latest = Message.objects.filter(author_id=message.author_id).order_by("-pk").first()
        Author.objects.filter(pk=message.author_id).update(offence_count=offences(latest, window))
    message.recommendations.filter(source=PLAYBOOK, status=Recommendation.Status.PROPOSED).delete()
    kept = {r.action: r for r in message.recommendations.filter(source=PLAYBOOK)}
    planned = engine.adapt(playbook(classification, offences(message, window)), registry.capabilities(
        message.channel.platform))  # fmt: skip
    told = kept.get("notify_internal")
    if told is not None and told.status == Recommendation.Status.DONE:
        _follow_the_check(message, classification, told, still_asked="notify_internal" in {a.type for a in planned})
    return Recommendation.objects.bulk_create([_recommendation(message, a) for a in planned if a.type not in kept])


Alert = Recommendation.Alert


def _follow_the_check(message: Message, classification: Classification, told: Recommendation, *,
                      still_asked: bool) -> None:  # fmt: skip
    """The team was told of this message, then a person checked it. A direction held back because the model
    was unsure is told now; if the procedure no longer asks to tell anyone (a compliment taken for an attack),
    those told hear that the alert is lifted, and they are told again if a later check brings it back."""
    if still_asked and told.alert == Alert.HELD_BACK:
        again = Recommendation(message=message, action="notify_internal", params={"roles": [DIRECTION]},
                               source=PLAYBOOK)  # fmt: skip
        if _tell_the_team(message, again)[0]:
            _stands(told, Alert.TOLD_AFTER_CHECK)
    elif still_asked and told.alert == Alert.LIFTED:
        _tell_the_team(message, Recommendation(message=message, action="notify_internal", source=PLAYBOOK))
        _stands(told, Alert.RAISED_AGAIN)
    elif not still_asked and told.alert != Alert.LIFTED and _lift_the_alert(message, classification):
        _stands(told, Alert.LIFTED)


def _stands(told: Recommendation, alert: Alert) -> None:
    """The alert's new state, also said at the end of the note (« 2 personnes prévenues ; alerte levée… »)."""
    told.alert = alert
    told.note = f"{told.note.split(' ; ')[0]} ; {alert.label}"[:300]
    told.save(update_fields=["alert", "note"])


def _lift_the_alert(message: Message, classification: Classification) -> list:
    """Everyone told of the message hears, without urgency (in the digest by e-mail), that a person checked it
    and that it no longer calls for the team; an unread alert stops being urgent."""
    people = notifications.told_about(message.item, Kind.SEVERE)
    by = name_of(classification.corrected_by, "une personne")
    what = LABEL_NAMES[classification.effective_label].lower()
    return notifications.notify_people(
        people,
        f"Alerte levée : {message.author_name} sur {message.channel.get_platform_display()}, {what}"
        + ("" if classification.targets_staff else ", ne vise pas l'équipe"),
        message.text[:500],
        link=reverse("inbox:item", args=[message.item_id]) if message.item_id else "",
        reason=f"{by}, après vérification",
        kind=Kind.SEVERE,
        about=message.item,
        settles=True,
    )


# the direction is paged by an automatic alert only when the label is sure enough: a misread compliment
# (« Bravo Nadia… » taken for an attack) must not reach it on its own
DIRECTION_ALERT_CONFIDENCE = 0.8


def _direction_waits(message: Message, recommendation: Recommendation) -> str:
    """Why the procedure's alert does not page the direction before a person checks the message ("": it does).
    The label must be sure; and an attack on staff pages it on its own only when it is an attack for crisis
    detection too (abuse, misinformation): a criticism or a question the model says targets staff reaches the
    communication officer at once and the direction after « Oui, personnel visé » (docs/triage.md, rule D1)."""
    classification = message.classification
    if classification.corrected_at is not None:  # a person checked it: it is sure
        return ""
    if classification.confidence < DIRECTION_ALERT_CONFIDENCE:
        return (f"étiquette sûre à {classification.confidence:.0%} seulement "
                f"(il faut {DIRECTION_ALERT_CONFIDENCE:.0%})").replace("%", " %")  # fmt: skip
    label = classification.effective_label
    if recommendation.source == PLAYBOOK and classification.targets_staff and label not in CRISIS_ATTACKS:
        return f"{LABEL_NAMES[label].lower()} qui nomme l'équipe, à confirmer (« Oui, personnel visé » la prévient)"
    return ""


def _tell_the_team(message: Message, recommendation: Recommendation) -> tuple[list, str]:
    """notify_internal (the procedure: direction and communication officer) or a rule's `notify`.
    Returns who was told and what was held back (and why)."""
    roles = list(recommendation.params.get("roles") or TOLD_BY_DEFAULT)
    classification = message.classification
    held_back = ""
    waits = _direction_waits(message, recommendation) if DIRECTION in roles else ""
    if waits:
        roles.remove(DIRECTION)
        held_back = f"{Alert.HELD_BACK.label} : {waits}"
    why = [LABEL_NAMES[classification.effective_label].lower()]
    if classification.targets_staff:
        why.append("vise un membre de l'équipe")
    if recommendation.note == "récidive":
        why.append("récidive")
    source = recommendation.source if recommendation.source != PLAYBOOK else "la procédure (prévenir en interne)"
    told = notifications.notify(
        roles,
        f"{message.author_name} sur {message.channel.get_platform_display()} : {', '.join(why)}",
        message.text[:500],
        link=reverse("inbox:item", args=[message.item_id]) if message.item_id else "",
        reason=source,
        email=recommendation.params.get("email", True),
        kind=Kind.SEVERE,
        about=message.item,
        urgent=classification.targets_staff,
    )
    return told, held_back


def _recommendation(message: Message, planned: PlannedAction) -> Recommendation:
    recommendation = Recommendation(
        message=message, action=planned.type, params=planned.params, source=planned.rule,
        automatic=planned.automatic, note=planned.note,
    )  # fmt: skip
    if planned.automatic or planned.type in TELL_THE_TEAM:
        _carry_out(message, recommendation)
    return recommendation


def _item(message: Message):
    if message.item_id is None:
        raise actions.ActionError("Ce message n'est pas à traiter.")
    return message.item


def _carry_out(message: Message, recommendation: Recommendation) -> None:
    """What a rule may do by itself: platform moderation, priority, escalation; and telling the team,
    which Vigie always does itself (it touches nothing outside)."""
    try:
        if recommendation.action in AUTOMATIC_VERBS:
            actions.moderate(message, recommendation.action, by=None, rule=recommendation.source)
        elif recommendation.action == "set_priority":
            priority = PRIORITY_NAMES[recommendation.params["priority"]]
            actions.set_priority(_item(message), priority, by=None, rule=recommendation.source)
        elif recommendation.action == "escalate":
            actions.change_status(_item(message), "escalated", by=None, rule=recommendation.source)
        elif recommendation.action in TELL_THE_TEAM:
            told, held_back = _tell_the_team(message, recommendation)
            note = f"{len(told)} personne{pluriel(told)} prévenue{pluriel(told)}" if told else "personne à prévenir"
            recommendation.note = f"{note} ; {held_back}"[:300] if held_back else note
            recommendation.alert = Alert.HELD_BACK if held_back else Alert.SENT if told else ""
        else:
            recommendation.note = "à faire par une personne"
            return
    except actions.ActionError as exc:
        recommendation.status = Recommendation.Status.REFUSED
        recommendation.note = str(exc)[:300]
        return
    recommendation.status = Recommendation.Status.DONE
