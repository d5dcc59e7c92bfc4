"""The assign page's required course select starts with an empty choice (issue 12, item 26)."""

import re

from lms.accounts.models import Role


def test_the_course_select_starts_empty_and_an_empty_choice_is_refused(client, auth, make):
    make.content()
    manager = make.user(Role.MANAGER)
    team = make.team(managers=[manager])
    auth.login(manager)
    html = client.get("/courses/assign").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="course"[^>]*>(.*?)</select>', html, re.S)
    assert "required" in select.group(0)
    first = re.search(r"<option[^>]*>[^<]*</option>", select.group(1)).group(0)
    assert 'value=""' in first and "請選擇課程" in first
    response = client.post("/courses/assign", data={"course": "", "teams": [str(team.id)]})
    assert response.status_code == 200 and "這個欄位必須填寫。" in response.get_data(as_text=True)
    # Coming from a course's page, that course is chosen.
    html = client.get("/courses/assign?course=TST-101").get_data(as_text=True)
    assert re.search(r'<option selected value="TST-101">|<option value="TST-101" selected>', html)
