"""The channels a scenario is played on, by name: the phone (a simulated call, the default) and the
written channels of standard 4.2 and 4.3 (an online chat, a post on the company's social page, an
e-mail, an SMS), where the learner's replies are typed turns and the scenario is an "exercise".

Each channel owns everything about itself, like a node kind (lms.calls.nodes): its label and icon, the
words the pages use for it, the partial that draws the thread, the fields of its ``thread`` mapping in a
definition (an e-mail's subject, a social page's name), and the constraints of a reply (an SMS's length,
an e-mail's subject line). Pages ask the scenario's channel; no template asks which channel it is.

    channel: email
    thread: {subject: 帳單金額有誤, sender: "{email}"}
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from lms.errors import DomainError

# The first line of an e-mail reply names its subject; the rest is its body (both typed by the learner).
SUBJECT_PREFIX = "主旨："


@dataclass(frozen=True)
class Wording:
    """What the pages call a scenario of the channel, an attempt at it and its thread."""

    kind: str  # "Kind of call"
    start_practice: str
    start_assessment: str
    take_assessment: str
    thread_title: str  # the play page's transcript (read by screen readers)
    debrief_title: str
    attempts_title: str  # the briefing's table of the learner's attempts
    assessment_hint: str
    critical_failed: str
    rules_hint: str
    reply_label: str  # the typed reply's label
    send: str  # the typed reply's button
    debrief: str  # the debrief's title
    started: str  # when the attempt began (the debrief's facts)
    played: Callable[[int], str]  # "3 calls played"
    points: Callable[[int, int], str]  # "80 of 100 (criteria assessed on this call)"


SPOKEN = Wording(
    _l("Kind of call"), _l("Start a practice call"), _l("Start an assessment call"), _l("Take the assessment call"),
    _l("The call so far"), _l("The call, turn by turn"), _l("Your calls"),
    _l("No feedback until the call ends. The result counts toward certification."),
    _l("A critical criterion was not met, so the call fails whatever the score:"),
    _l("A critical criterion missed or breached fails the call whatever the score. Some turns are timed, like a "
       "ringing phone: the time left is shown and read out, and when it runs out the call moves on without you."),
    _l("What do you say to the customer?"), _l("Say it"), _l("Debrief"), _l("Played"),
    lambda n: ngettext("%(num)d call played", "%(num)d calls played", n),
    lambda p, n: gettext("%(p)d of %(n)d (criteria assessed on this call)", p=p, n=n))
WRITTEN = Wording(
    _l("Kind of exercise"), _l("Start a practice exercise"), _l("Start an assessment exercise"),
    _l("Take the assessment exercise"), _l("The conversation so far"), _l("The exercise, reply by reply"),
    _l("Your exercises"), _l("No feedback until the exercise ends. The result counts toward certification."),
    _l("A critical criterion was not met, so the exercise fails whatever the score:"),
    _l("A critical criterion missed or breached fails the exercise whatever the score. Read the whole thread "
       "before you reply: what you send stays on record, and the customer can keep, forward or show it."),
    _l("Your reply to the customer"), _l("Send"), _l("Exercise debrief"), _l("Exercise started"),
    lambda n: ngettext("%(num)d exercise played", "%(num)d exercises played", n),
    lambda p, n: gettext("%(p)d of %(n)d (criteria assessed in this exercise)", p=p, n=n))


@dataclass(frozen=True)
class Channel:
    name: str  # how a definition writes it
    label: str
    icon: str  # an SVG path (24 × 24, stroked) drawn beside the label
    partial: str  # the template that draws the thread on the play page
    words: Wording = WRITTEN
    reply_hint: str = ""
    thread_fields: tuple[str, ...] = ()  # the thread mapping's fields; the required ones first
    required_fields: int = 0
    max_length: int | None = None  # the longest reply the channel takes
    has_subject: bool = False  # a reply has a subject line
    is_public: bool = False  # everyone can read the replies
    rings: bool = False  # a timer may ring (a phone)

    @property
    def is_written(self) -> bool:
        return self.words is WRITTEN

    def check_thread(self, thread) -> str | None:
        """What is wrong with a definition's ``thread`` mapping for this channel, or None."""
        if not isinstance(thread, dict) or not all(isinstance(v, str) for v in thread.values()):
            return gettext("thread is a mapping of texts")
        unknown = sorted(set(thread) - set(self.thread_fields))
        if unknown:
            return gettext("%(field)s is not a field of this channel's thread (it takes: %(fields)s)",
                           field=unknown[0], fields=", ".join(self.thread_fields) or "—")
        missing = [f for f in self.thread_fields[:self.required_fields] if not thread.get(f)]
        if missing:
            return gettext("this channel's thread needs %(field)s", field=missing[0])
        return None

    def compose(self, text: str | None, subject: str | None = None) -> str | None:
        """The reply as recorded: an e-mail's subject on its first line; None when there is nothing to send.
        Raise DomainError naming the field for a reply the channel cannot take."""
        if self.has_subject and text:
            if not (subject or "").strip():
                raise DomainError(gettext("Give your e-mail a subject."), field="subject")
            text = f"{SUBJECT_PREFIX}{subject.strip()[:200]}\n{text}"
        if text and self.max_length and len(text.strip()) > self.max_length:
            raise DomainError(gettext("A reply here is at most %(max)d characters; yours has %(n)d.",
                                      max=self.max_length, n=len(text.strip())), field="text")
        return text

    def split_subject(self, text: str) -> tuple[str, str]:
        """(subject, body) of a reply as recorded (no subject for a channel without one)."""
        if self.has_subject and text.startswith(SUBJECT_PREFIX):
            subject, _, body = text[len(SUBJECT_PREFIX):].partition("\n")
            return subject, body
        return "", text


CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> Channel:
    CHANNELS[channel.name] = channel
    return channel


def channel_named(name: str | None) -> Channel:
    """The channel of that name; a definition without one is a phone call."""
    return CHANNELS[name or "phone"]


# A single SMS in Chinese (UCS-2) holds 70 characters; the centre keeps a notice to one.
SMS_LENGTH = 70

register_channel(Channel(
    "phone", _l("Phone call"), "M5 3h4l2 5-3 2a12 12 0 0 0 6 6l2-3 5 2v4a2 2 0 0 1-2 2A18 18 0 0 1 3 5a2 2 0 0 1 2-2z",
    "calls/channels/_phone.html", words=SPOKEN, reply_hint=_l("Write it as you would say it on the phone."),
    rings=True))
register_channel(Channel(
    "chat", _l("Online chat"), "M4 4h16v12H8l-4 4z", "calls/channels/_chat.html",
    reply_hint=_l("Write it as you would send it in the chat window."), thread_fields=("window",)))
register_channel(Channel(
    "social", _l("Social media"), "M3 10v4h3l6 5V5L6 10zM16 9a4 4 0 0 1 0 6M19 6a8 8 0 0 1 0 12",
    "calls/channels/_social.html",
    reply_hint=_l("Your reply is public: everyone who visits the page can read it."),
    thread_fields=("page", "post"), required_fields=2, is_public=True))
register_channel(Channel(
    "email", _l("E-mail"), "M3 5h18v14H3zM3 5l9 7 9-7", "calls/channels/_email.html",
    reply_hint=_l("Write the whole e-mail: the greeting, the body and the signature."),
    thread_fields=("subject", "sender"), required_fields=2, has_subject=True))
register_channel(Channel(
    "sms", _l("SMS"), "M6 2h12v20H6zM10 19h4", "calls/channels/_sms.html",
    reply_hint=_l("One SMS: at most 70 characters, the company's name first."), max_length=SMS_LENGTH))
