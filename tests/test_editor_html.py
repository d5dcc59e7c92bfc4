"""Editor pages are valid HTML (issue 12, item 26): no form inside a phrasing element, and translated
texts that show a placeholder such as ``<course>`` print it as text, in every language."""

from html.parser import HTMLParser

from lms.accounts.models import Role

PHRASING = {"span", "a", "b", "i", "em", "strong", "small", "code", "label", "button"}


class _Nesting(HTMLParser):
    """Records each <form> opened while a phrasing element is open, and the unknown tags seen."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.problems: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "form" and any(t in PHRASING for t in self.open):
            self.problems.append("/".join(self.open[-3:]) + "/form")
        if tag not in ("br", "hr", "img", "input", "meta", "link", "source", "wbr"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass


def _parse(html: str) -> _Nesting:
    parser = _Nesting()
    parser.feed(html)
    return parser


def test_the_course_editor_puts_its_lesson_buttons_outside_phrasing_elements(client, auth, make):
    make.content()
    auth.login(make.user(Role.TRAINER))
    page = _parse(client.get("/courses/manage/TST-101").get_data(as_text=True))
    assert "form" in page.tags and page.problems == []


def test_the_scenarios_page_prints_the_folder_placeholder_as_text_in_every_language(client, auth, make):
    auth.login(make.user(Role.TRAINER))
    for locale, folder in (("zh_Hant", "courses/&lt;課程&gt;/scenarios/"), ("en", "courses/&lt;course&gt;/scenarios/"),
                           ("zh_Hans", "courses/&lt;课程&gt;/scenarios/")):
        client.post("/locale", data={"locale": locale, "next": "/"})
        html = client.get("/calls/manage/").get_data(as_text=True)
        assert html.count(folder) == 2, (locale, html)
        assert not {"course", "課程", "课程"} & _parse(html).tags
