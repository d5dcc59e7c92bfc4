"""A published case turned into a draft simulated-call scenario: the customer opens with the case's
situation, the agent's replies are marked TODO for the trainer, the rubric cites the case's items. The
draft is saved unpublished (lms.calls.drafts) and opens in the trainer's scenario editor."""

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.calls.channels import CHANNELS
from lms.calls.drafts import save_draft_scenario
from lms.cases.models import Case, CaseStatus
from lms.db import get_row
from lms.errors import DomainError

TODO = "TODO"
SUMMARY_CHARS = 200
# What the written channels' threads need (lms.calls.channels): filled with the case's title.
_THREADS = {"chat": {"window": "線上客服"}, "social": {"page": "官方粉絲專頁", "post": "{title}"},
            "email": {"subject": "{title}", "sender": "客戶"}}


def draft_slug(case: Case) -> str:
    return f"case-{case.id}-draft"


def _rubric(case: Case) -> list[dict]:
    weight = max(1, 100 // max(1, len(case.items)))
    return [{"id": f"item{n}", "title": item.title, "weight": weight, "standards": [item.code]}
            for n, item in enumerate(case.items, start=1)]


def skeleton(case: Case) -> dict:
    """The draft's definition: valid for the calls validator, with every reply the trainer must write
    marked TODO."""
    rubric = _rubric(case)
    good = {c["id"]: "met" for c in rubric}
    weak = {c["id"]: "missed" for c in rubric}
    definition = {
        "slug": draft_slug(case), "title": f"{case.title}（草稿）", "category": "service",
        "summary": case.situation[:SUMMARY_CHARS], "channel": case.channel, "difficulty": 2, "pass_mark": 70,
        "rubric": rubric, "start": "c_open",
        "nodes": [
            {"id": "c_open", "type": "customer", "mood": "calm", "say": case.situation, "goto": "a_reply"},
            {"id": "a_reply", "type": "agent", "options": [
                {"say": f"{TODO}：寫出案例中做得好的回應（{case.actions[:120]}）", "marks": good,
                 "feedback": f"{TODO}：說明這樣做好在哪裡。{case.lessons[:120]}", "goto": "end_good"},
                {"say": f"{TODO}：寫出一個常見但不理想的回應", "marks": weak,
                 "feedback": f"{TODO}：說明這樣做的問題。", "goto": "end_weak"}]},
            {"id": "end_good", "type": "end", "outcome": "resolved", "summary": case.outcome},
            {"id": "end_weak", "type": "end", "outcome": "callback", "summary": f"{TODO}：寫出不理想的結果。"},
        ],
    }
    if case.channel in _THREADS:
        definition["thread"] = {k: v.format(title=case.title) for k, v in _THREADS[case.channel].items()}
    return definition


def make_scenario_draft(case_id: int, trainer: User) -> str:
    """Turn a published case into a draft call scenario (once per case); the draft's slug."""
    case = get_row(Case, case_id, lock=True)
    if case.status != CaseStatus.PUBLISHED:
        raise DomainError(_("Only a published case can become a call scenario."))
    if case.channel not in CHANNELS or not case.items:
        raise DomainError(_("The case needs a channel and at least one standard item."))
    scenario = save_draft_scenario(draft_slug(case), skeleton(case), trainer)
    case.scenario_id = scenario.id
    record_event("case.scenario_drafted", "case", case.id, summary=scenario.slug, actor=trainer)
    return scenario.slug
