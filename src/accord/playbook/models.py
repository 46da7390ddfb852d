"""The playbook: rules of engagement, the collateral library, launches and account plans.

People are deactivated, not deleted; should one be deleted, their records stay
(owner left empty) so the library and the audit keep their history.

Rules are data (condition → action) so managers can change them without a
release; every time one acts, a ``RuleFiring`` row says what it did to which
record. Collateral moves through a fixed review workflow; launches carry a
sales-readiness checklist; account plans are the joint work on key accounts.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accord.directory.roles import Role

ROLE_CHOICES = [(r.value, r.label) for r in Role]


class RuleAction(models.TextChoices):
    INVOLVE = "involve", "Involve someone"
    NOTIFY = "notify", "Send a notification"
    TASK = "task", "Create an action item"
    REQUIRE = "require", "Require something before the change"


class Rule(models.Model):
    """When an event happens to a record matching the conditions, then act."""

    key = models.SlugField(
        max_length=60, unique=True, null=True, blank=True, help_text="Set for shipped rules"
    )
    statement = models.CharField(max_length=300, help_text="The rule in plain words")
    owner = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="rules"
    )
    event = models.CharField(max_length=40)
    conditions = models.JSONField(default=list, blank=True)
    action = models.CharField(max_length=12, choices=RuleAction.choices)
    target_role = models.CharField(max_length=32, choices=ROLE_CHOICES, blank=True)
    target_person = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rules_targeting",
    )
    target_relation = models.CharField(max_length=32, blank=True)
    requirement = models.CharField(max_length=40, blank=True)
    task_due_days = models.PositiveSmallIntegerField(default=5)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-is_active", "event", "id"]

    def __str__(self) -> str:
        return self.statement


class FiringOutcome(models.TextChoices):
    INVOLVED = "involved", "Involved"
    NOTIFIED = "notified", "Notified"
    TASK_CREATED = "task_created", "Task created"
    BLOCKED = "blocked", "Blocked"
    APPROVED = "approved", "Allowed"


class RuleFiring(models.Model):
    """One time a rule acted on one record (append-only audit)."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="firings")
    event = models.CharField(max_length=40)
    object_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    object_label = models.CharField(max_length=255)
    outcome = models.CharField(max_length=16, choices=FiringOutcome.choices)
    detail = models.TextField(blank=True)
    recipients = models.ManyToManyField("directory.Person", blank=True, related_name="+")
    action_item = models.ForeignKey(
        "inbox.ActionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dedupe_key = models.CharField(max_length=120, null=True, blank=True)
    fired_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-fired_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="playbook_firing_once",
            )
        ]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.object_label}"


class RuleApproval(models.Model):
    """A manager's go-ahead for one record under a rule that requires approval."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="approvals")
    object_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    approved_by = models.ForeignKey(
        "directory.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_type", "object_id"], name="playbook_approve_once"
            )
        ]

    def __str__(self) -> str:
        return f"Approved {self.object_type} {self.object_id} under rule {self.rule_id}"


class CollateralState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_SALES_REVIEW = "in_sales_review", "In sales review"
    APPROVED = "approved", "Approved by sales"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class CollateralKind(models.TextChoices):
    ONE_PAGER = "one_pager", "One-pager"
    DECK = "deck", "Slide deck"
    CASE_STUDY = "case_study", "Case study"
    BATTLECARD = "battlecard", "Battlecard"
    EMAIL = "email", "E-mail template"
    PRICE_SHEET = "price_sheet", "Price sheet"
    VIDEO = "video", "Demo video"


class Collateral(models.Model):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=CollateralKind.choices)
    summary = models.TextField(blank=True)
    link = models.URLField(blank=True, help_text="Where the file lives")
    segment = models.ForeignKey(
        "directory.Segment", null=True, blank=True, on_delete=models.SET_NULL
    )
    owner = models.ForeignKey(
        "directory.Person",
        null=True,
        on_delete=models.SET_NULL,
        related_name="collateral_owned",
    )
    state = models.CharField(
        max_length=20, choices=CollateralState.choices, default=CollateralState.DRAFT
    )
    approved_by = models.ForeignKey(
        "directory.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collateral_approved",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "collateral"

    def __str__(self) -> str:
        return self.title


class CollateralComment(models.Model):
    """A reviewer's comment, or the note written with a workflow step."""

    collateral = models.ForeignKey(Collateral, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "directory.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    from_state = models.CharField(max_length=20, choices=CollateralState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=CollateralState.choices, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment on collateral {self.collateral_id}"


class CollateralRating(models.Model):
    collateral = models.ForeignKey(Collateral, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collateral", "rater"], name="playbook_rate_once"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="playbook_stars_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars} stars for collateral {self.collateral_id}"


class CollateralUse(models.Model):
    """A rep used the piece with a customer; counted at most once per rep per day."""

    collateral = models.ForeignKey(Collateral, on_delete=models.CASCADE, related_name="uses")
    person = models.ForeignKey("directory.Person", on_delete=models.CASCADE, related_name="+")
    used_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["collateral", "person", "used_on"], name="playbook_use_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Used on {self.used_on}"


class GapStatus(models.TextChoices):
    OPEN = "open", "Open"
    PICKED_UP = "picked_up", "Picked up by marketing"
    CLOSED = "closed", "Closed"


class ContentGap(models.Model):
    """A rep's request for material that does not exist yet."""

    title = models.CharField(max_length=200)
    need = models.TextField(help_text="Who it is for and what it must answer")
    segment = models.ForeignKey(
        "directory.Segment", null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_by = models.ForeignKey(
        "directory.Person", null=True, on_delete=models.SET_NULL, related_name="content_gaps"
    )
    status = models.CharField(max_length=12, choices=GapStatus.choices, default=GapStatus.OPEN)
    picked_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(blank=True)
    collateral = models.ForeignKey(
        Collateral, null=True, blank=True, on_delete=models.SET_NULL, related_name="gaps_filled"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class LaunchState(models.TextChoices):
    PLANNED = "planned", "Planned"
    ANNOUNCED = "announced", "Announced"


class Launch(models.Model):
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    planned_on = models.DateField()
    owner = models.ForeignKey(
        "directory.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=12, choices=LaunchState.choices, default=LaunchState.PLANNED
    )
    announced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return self.name


class LaunchChecklistItem(models.Model):
    """One point of sales readiness that must be done before the announcement."""

    launch = models.ForeignKey(Launch, on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["launch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["launch", "position"], name="playbook_launch_point")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class KeyAccountOverride(models.Model):
    """A manager's correction of the data-driven key-account choice."""

    account = models.OneToOneField(
        "crm.Account", on_delete=models.CASCADE, related_name="key_account_override"
    )
    include = models.BooleanField(help_text="True pins the account in; False keeps it out")
    reason = models.CharField(max_length=200, blank=True)
    set_by = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{'Pinned' if self.include else 'Kept out'}: account {self.account_id}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    AT_RISK = "at_risk", "At risk"
    ON_HOLD = "on_hold", "On hold"


class AccountPlan(models.Model):
    """The joint sales and marketing plan for one key account."""

    account = models.OneToOneField("crm.Account", on_delete=models.CASCADE, related_name="plan")
    rep_owner = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marketer_owner = models.ForeignKey(
        "directory.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marketers = models.ManyToManyField(
        "directory.Person", blank=True, related_name="key_accounts", help_text="Attached marketers"
    )
    goals = models.TextField(blank=True)
    plays = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    next_review_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["account__name"]

    def __str__(self) -> str:
        return f"Plan for {self.account}"
