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
      goto: [{if: verified, to: c_thanks}, {to: c_unsure}]
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from opencc import OpenCC

from lms.calls.engine import CallState, Event, MissingReply, Outcome, Reply, ScenarioError, Timer
from lms.calls.expressions import Expr
from lms.calls.nodes import register_node_kind
from lms.calls.nodes.turn import AgentTurn
from lms.calls.outcomes import compile_outcome, compile_sets, compile_strings
from lms.content.simplified import in_content_words

TYPED_LABEL = _l("(typed reply)")
MAX_REPLY = 2000


@dataclass(frozen=True)
class Matcher:
    criterion: str
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    sets: tuple[tuple[str, Expr], ...] = ()


@lru_cache(maxsize=1)
def _t2s():
    return OpenCC("t2s")


def normalise_phrase(text: str) -> str:
    text = _t2s().convert(unicodedata.normalize("NFKC", text or "")).casefold()
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PS"))


def _mark(matcher: Matcher, said: str) -> tuple[str, str, tuple]:
    """(criterion, mark, variable changes) of one matcher: a forbidden phrase breaches it; else it is met
    when the reply has any of ``any`` and all of ``all``."""
    if matcher.none and any(normalise_phrase(p) in said for p in matcher.none if normalise_phrase(p)):
        return matcher.criterion, "breached", ()
    if not (matcher.any or matcher.all):
        return matcher.criterion, "met", matcher.sets
    ok = (not matcher.any or any(normalise_phrase(p) in said for p in matcher.any)) and \
         (not matcher.all or all(normalise_phrase(p) in said for p in matcher.all))
    return matcher.criterion, "met" if ok else "missed", matcher.sets if ok else ()


def match_typed_reply(node: "TypedTurn", text: str) -> list[tuple[str, str, tuple]]:
    """(criterion, mark, variable changes) for a typed reply, by the turn's phrase matchers."""
    said = normalise_phrase(text)
    # Typed in simplified Chinese with mainland words (信息, 账户): matched in the content's words as well
    # ("|" never occurs in a normalised phrase, so no phrase spans the two forms).
    as_content = normalise_phrase(in_content_words(text))
    if as_content != said:
        said += "|" + as_content
    return [_mark(matcher, said) for matcher in node.matchers]


def _compile_matchers(free, where: str) -> tuple[Matcher, ...]:
    if not isinstance(free, dict) or not isinstance(free.get("criteria"), dict) or not free["criteria"] \
            or not all(isinstance(m, dict) and isinstance(m.get("set") or {}, dict) for m in free["criteria"].values()):
        raise ScenarioError(gettext("free_text needs criteria with phrase lists"), where)
    return tuple(Matcher(str(cid), compile_strings(m.get("any"), where), compile_strings(m.get("all"), where),
                         compile_strings(m.get("none"), where), compile_sets(m.get("set") or {}, where))
                 for cid, m in free["criteria"].items())


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
            if not (matcher.any or matcher.all or matcher.none):
                checks.error(gettext("criterion %(criterion)s has no phrases", criterion=matcher.criterion), where)
            checks.outcome(Outcome(sets=matcher.sets), where)

    def reply(self, state: CallState, reply: Reply) -> tuple[Event, Outcome]:
        if reply.text is None:
            raise MissingReply(gettext("Type what you would say to the customer."), "text")
        text = reply.text.strip()[:MAX_REPLY]
        matches = match_typed_reply(self, text)
        outcome = Outcome(marks=tuple((c, m) for c, m, _s in matches),
                          sets=tuple(s for _c, _m, changes in matches for s in changes), goto=self.outcome.goto)
        return Event("agent", self.id, text), outcome

    def replies_to_explore(self) -> list[Reply]:
        """A reply with the first of each matcher's ``any`` phrases and all its ``all`` ones, and a blank one."""
        return [Reply(text=" ".join(p for m in self.matchers for p in (m.any[:1] + m.all))), Reply(text="")]

    def diagram_text(self, variant: dict) -> str:
        return super().diagram_text(variant) or str(TYPED_LABEL)
