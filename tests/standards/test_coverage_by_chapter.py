"""The coverage page says, per chapter, how much of it the calls and written exercises assess."""

from lms.accounts.models import Role
from lms.standards.services import ChapterAssessment, assessment_by_chapter


def test_each_chapter_counts_its_items_a_criterion_cites(make):
    make.content()
    # The fixture's chapter 4 has four items, three cited by the test call's rubric; chapter 5 two, both cited.
    shares = {c.number: (c.total, c.assessed, c.percent) for c in assessment_by_chapter()}
    assert shares["4"] == (4, 3, 75) and shares["5"] == (2, 2, 100)
    assert ChapterAssessment("9", "培訓", 0, 0).percent == 0


def test_the_coverage_page_shows_the_share_per_chapter(client, auth, make):
    make.content()
    auth.login(make.user(Role.TRAINER))
    client.post("/locale", data={"locale": "en"})
    html = client.get("/standards/coverage").get_data(as_text=True)
    assert "Assessed in calls and exercises, by chapter" in html
    assert "<td>4</td><td>3</td><td>75%</td>" in html and "<td>2</td><td>2</td><td>100%</td>" in html
    one = client.get("/standards/coverage?chapter=5").get_data(as_text=True)
    assert "<td>2</td><td>2</td><td>100%</td>" in one and "75%" not in one
