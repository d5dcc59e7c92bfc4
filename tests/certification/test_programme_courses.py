"""The courses a programme's requirements name (what assigning the programme assigns): each requirement kind
names its own — a course requirement its course, an exam or an assessment call the course it belongs to."""

from lms.certification.programmes import get_programme, programme_course_codes
from tests.certification.helpers import course_requirements, programme_of_courses


def test_the_test_programme_names_its_course_and_the_course_of_its_call(make):
    make.content()
    # TST-101 directly; tst-fixed belongs to no course; the call tst-call belongs to TST-201; a sign-off names none.
    assert programme_course_codes(get_programme("tst-cert")) == ["TST-101", "TST-201"]
    assert programme_course_codes(get_programme("tst-senior")) == ["TST-301"]


def test_an_exam_of_a_course_names_that_course_and_the_renewal_is_not_read(make):
    make.content()
    programme = programme_of_courses("tst-exam-only", "測試筆試認證", [
        {"id": "post", "kind": "exam", "exam": "tst-101-post", "min_score": 70},
        *course_requirements("TST-301")])
    programme.definition = {**programme.definition, "recertification": {
        **programme.definition["recertification"], "requirements": course_requirements("TST-201")}}
    assert programme_course_codes(programme) == ["TST-101", "TST-301"]
