"""A turn where the learner types the reply in their own words. Key phrases pre-score it (matched across
full- and half-width forms and traditional and simplified script); in an assessment a trainer confirms
the marks. The call goes on by ``goto``, whose conditions can read what the matched phrases ``set``.

    - id: a_verify
      type: agent
      free_text:
        placeholder: 你要怎麼核實問題？
        criteria:
          verify: {any: [確認, 核對], all: [], set: {verified: "true"}}
          no_argue: {none: [看錯]}
          confirm:
            any: [您是說, 對嗎]
            facts:                      # what the reply must carry, beside its shape
              - {label: 總金額, kind: amount, value: "{total}", also: ["{fee}"]}
              - {label: 服務, kind: text, value: "{service}", forms: [加值服務], wrong: [音樂串流, 雲端相簿]}
              - {label: 客戶姓名, kind: name, value: "{customer}", required: false}
              - {label: 啟用日, kind: date, value: "{start}"}
      goto: [{if: verified, to: c_thanks}, {to: c_unsure}]

A fact is read whatever the keyboard did (lms.calls.facts): 1,299 / NT$1299 / 一千兩百九十九元 are one
amount. A reply whose phrases match but that lacks a fact, or names another amount, name, date or a
``wrong`` form, does not meet the criterion: it goes to a trainer, with the reason in words.
"""

from dataclasses import dataclass, replace

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from lms.calls.engine import CallState, Event, MissingReply, Outcome, Reply, ScenarioError, Timer, fill
from lms.calls.expressions import Expr
from lms.calls.facts import FACT_KINDS, check_fact, expected_values, phrase_key
from lms.calls.nodes import register_node_kind
from lms.calls.nodes.turn import AgentTurn
from lms.calls.outcomes import compile_outcome, compile_sets, compile_strings

TYPED_LABEL = _l("(typed reply)")
# What a fact's value must read as for every customer of the scenario (the message when it does not).
UNREADABLE = {
    "amount": lambda **values: gettext("fact %(label)s: %(value)s cannot be read as an amount (customer %(number)d)",
                                       **values),
    "date": lambda **values: gettext("fact %(label)s: %(value)s cannot be read as a date (customer %(number)d)",
                                     **values),
}
MAX_REPLY = 2000


@dataclass(frozen=True)
class Fact:
    """A fact the reply must carry: its kind (lms.calls.facts.FACT_KINDS), the label a trainer reads, the
    accepted forms (``value`` first, then ``forms``), forms that make the reply wrong and other values
    of the kind the reply may name without being wrong (``also``). Forms may hold {placeholders}; a fact
    with ``required: false`` may be left out but not said wrong."""

    label: str
    kind: str
    accepted: tuple[str, ...]
    wrong: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    required: bool = True  # False: the reply need not say it, but must not say it wrong

    def check(self, text: str, variant: dict):
        found = check_fact(self.kind, self.label, [fill(f, variant) for f in self.accepted], text,
                           [fill(f, variant) for f in self.wrong], [fill(f, variant) for f in self.also])
        return found if self.required or found.state != "missing" else replace(found, state="ok")

    def texts(self) -> list[str]:
        return [*self.accepted, *self.wrong, *self.also]


@dataclass(frozen=True)
class Matcher:
    criterion: str
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    sets: tuple[tuple[str, Expr], ...] = ()
    facts: tuple[Fact, ...] = ()


def normalise_phrase(text: str) -> str:
    return phrase_key(text)


def _mark(matcher: Matcher, said: str) -> tuple[str, str, tuple]:
    """(criterion, mark, variable changes) of one matcher by its phrases: a forbidden phrase breaches it;
    else it is met when the reply has any of ``any`` and all of ``all``."""
    if matcher.none and any(normalise_phrase(p) in said for p in matcher.none if normalise_phrase(p)):
        return matcher.criterion, "breached", ()
    if not (matcher.any or matcher.all):
        return matcher.criterion, "met", matcher.sets
    ok = (not matcher.any or any(normalise_phrase(p) in said for p in matcher.any)) and \
         (not matcher.all or all(normalise_phrase(p) in said for p in matcher.all))
    return matcher.criterion, "met" if ok else "missed", matcher.sets if ok else ()


def match_typed_reply(node: "TypedTurn", text: str, variant: dict | None = None) -> list[tuple[str, str, tuple, list]]:
    """(criterion, mark, variable changes, fact problems) for a typed reply: its phrase matchers, then the
    facts of each criterion the phrases met. A fact missing or wrong leaves the criterion missed; the
    problems (lms.calls.facts.FactCheck) say why, for the trainer who reviews the reply."""
    said = normalise_phrase(text)
    results = []
    for matcher in node.matchers:
        criterion, mark, sets = _mark(matcher, said)
        problems = [check for fact in matcher.facts if (check := fact.check(text, variant or {})).state != "ok"] \
            if mark == "met" else []
        results.append((criterion, "missed", (), problems) if problems else (criterion, mark, sets, []))
    return results


def _compile_fact(raw, where: str) -> Fact:
    if not isinstance(raw, dict) or not str(raw.get("label") or "").strip():
        raise ScenarioError(gettext("each fact needs a label, a kind and a value"), where)
    if raw.get("kind") not in FACT_KINDS:
        raise ScenarioError(gettext("a fact's kind must be one of %(values)s", values=", ".join(FACT_KINDS)), where)
    accepted = compile_strings(raw.get("value"), where) + compile_strings(raw.get("forms"), where)
    if not accepted:
        raise ScenarioError(gettext("each fact needs a label, a kind and a value"), where)
    if not isinstance(raw.get("required", True), bool):
        raise ScenarioError(gettext("a fact's required is true or false"), where)
    return Fact(str(raw["label"]), raw["kind"], accepted, compile_strings(raw.get("wrong"), where),
                compile_strings(raw.get("also"), where), raw.get("required", True))


def _compile_facts(raw, where: str) -> tuple[Fact, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ScenarioError(gettext("facts is a list of facts"), where)
    return tuple(_compile_fact(item, f"{where} fact {index + 1}") for index, item in enumerate(raw))


def _compile_matchers(free, where: str) -> tuple[Matcher, ...]:
    if not isinstance(free, dict) or not isinstance(free.get("criteria"), dict) or not free["criteria"] \
            or not all(isinstance(m, dict) and isinstance(m.get("set") or {}, dict) for m in free["criteria"].values()):
        raise ScenarioError(gettext("free_text needs criteria with phrase lists"), where)
    return tuple(Matcher(str(cid), compile_strings(m.get("any"), where), compile_strings(m.get("all"), where),
                         compile_strings(m.get("none"), where), compile_sets(m.get("set") or {}, where),
                         _compile_facts(m.get("facts"), f"{where} criterion {cid}"))
                 for cid, m in free["criteria"].items())


def _check_fact_values(fact: Fact, checks, where: str) -> None:
    """An amount or a date must read as one for every customer of the scenario."""
    checks.texts(list(fact.texts()), where)
    if fact.kind not in UNREADABLE:
        return
    for number, variant in enumerate(checks.scenario.variants, start=1):
        filled = [fill(form, dict(variant, agent_id="")) for form in fact.accepted]
        if not expected_values(fact.kind, filled):
            checks.error(UNREADABLE[fact.kind](label=fact.label, value="、".join(filled), number=number), where)


@register_node_kind
class TypedTurn(AgentTurn):
    """The learner types the reply; the turn's ``matchers`` pre-score it."""

    matchers: tuple[Matcher, ...] = ()
    placeholder: str = ""

    kind = "typed"
    free_text = True
    turn_kind = "text"
    pre_scored = True
    partial = "calls/nodes/_typed.html"

    @classmethod
    def claims(cls, raw: dict) -> bool:
        return bool(raw.get("free_text"))

    @classmethod
    def compile_turn(cls, raw: dict, nid: str, where: str, timer: Timer | None) -> "TypedTurn":
        if raw.get("options"):
            raise ScenarioError(gettext("an agent node has options or free_text, not both"), where)
        free = raw["free_text"]
        matchers = _compile_matchers(free, where)
        return cls(nid, prompt=str(raw.get("prompt") or ""), matchers=matchers,
                   placeholder=str(free.get("placeholder") or ""), timer=timer,
                   outcome=compile_outcome({"goto": raw.get("goto")}, where))

    def check_parts(self, checks, where: str) -> None:
        for matcher in self.matchers:
            if matcher.criterion not in checks.criteria:
                checks.error(gettext("matches unknown criterion %(criterion)s", criterion=matcher.criterion), where)
            if not (matcher.any or matcher.all or matcher.none or matcher.facts):
                checks.error(gettext("criterion %(criterion)s has no phrases", criterion=matcher.criterion), where)
            checks.outcome(Outcome(sets=matcher.sets), where)
            for index, fact in enumerate(matcher.facts):
                _check_fact_values(fact, checks, f"{where} criterion {matcher.criterion} fact {index + 1}")

    def reply(self, state: CallState, reply: Reply) -> tuple[Event, Outcome]:
        if reply.text is None:
            raise MissingReply(gettext("Type what you would say to the customer."), "text")
        text = reply.text.strip()[:MAX_REPLY]
        matches = match_typed_reply(self, text, state.variant)
        outcome = Outcome(marks=tuple((c, m) for c, m, _s, _p in matches),
                          sets=tuple(s for _c, _m, changes, _p in matches for s in changes), goto=self.outcome.goto)
        review = [dict(criterion=c, fact=p.label, state=p.state, expected=p.expected, found=p.found)
                  for c, _m, _s, problems in matches for p in problems]
        return Event("agent", self.id, text, review=review), outcome

    def replies_to_explore(self, variant: dict) -> list[Reply]:
        """A reply with the first of each matcher's ``any`` phrases, all its ``all`` ones and its facts, and a
        blank one."""
        words = [p for m in self.matchers for p in (m.any[:1] + m.all)]
        words += [fill(fact.accepted[0], variant) for m in self.matchers for fact in m.facts]
        return [Reply(text=" ".join(words)), Reply(text="")]

    def diagram_text(self, variant: dict) -> str:
        return super().diagram_text(variant) or str(TYPED_LABEL)
