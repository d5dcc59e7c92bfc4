"""Names print on certificates and transcripts as typed: direction controls (which reversed the transcript's
header) and characters no PDF face can draw (which printed as boxes) are refused by the user form, the CSV
importer and the service, each with a message naming them; emoji are drawn by the colour emoji face."""

import subprocess
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.accounts.user_import import parse_user_csv
from lms.accounts.users import UserData, create_user
from lms.db import db
from lms.errors import DomainError
from lms.pdf import SYSTEM_FONTS, _cmap, _font_files, font_css, font_dir, printable_problem, render_pdf

FORM = {"employee_no": "N001", "name": "新同事", "email": "new@example.com", "hire_date": "2026-11-01",
        "team_name": "", "roles": ["learner"], "locale": "zh_Hant", "is_active": "y", "send_invitation": ""}
HEADER = "employee_no,name,email,hire_date,team,roles,locale"


@pytest.mark.parametrize(("name", "says"), [
    ("\u202e陳怡君", "U+202E"), ("王\u2066小明\u2069", "U+2066, U+2069"), ("陳\u202a怡", "U+202A"),
    ("สมชาย", "「ส」(U+0E2A)"), ("王ᚠ明", "「ᚠ」(U+16A0)"),
])
def test_the_user_form_refuses_what_would_print_reversed_or_as_boxes(client, auth, make, name, says):
    auth.login(make.user(Role.ADMIN))
    response = client.post("/admin/users/new", data={**FORM, "name": name})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and says in body and b'aria-invalid="true"' in response.data
    assert db.session.scalar(select(User).where(User.employee_no == "N001")) is None


def test_the_user_form_accepts_emoji_and_latin_names(client, auth, make):
    auth.login(make.user(Role.ADMIN))
    assert client.post("/admin/users/new", data={**FORM, "name": "陳怡君😀👍🏽"}).status_code == 302
    assert client.post("/admin/users/new", data={**FORM, "employee_no": "N002", "email": "b@example.com",
                                                 "name": "Zoë O'Brien-Łukasz"}).status_code == 302


def test_the_importer_names_the_row_and_column(app):
    data = f"{HEADER}\nA1,陳怡君,a1@example.com,,,learner,\nA2,\u202e陳怡君,a2@example.com,,,learner,\n".encode()
    result = parse_user_csv(data, date(2026, 12, 7))
    assert [(e.row, e.column) for e in result.errors] == [(3, "name")] and "U+202E" in result.errors[0].message


def test_the_service_refuses_it_too(app):
    with pytest.raises(DomainError) as refused:
        create_user(UserData(employee_no="S1", name="\u202e王", email="s1@example.com", hire_date=None,
                             team_id=None, roles={Role.LEARNER}, is_active=True))
    assert refused.value.field == "name"


def _faces(text: str) -> frozenset:
    """What the faces font_css chooses for ``text`` can draw, together."""
    rules, families = font_css(text)
    small, full, _covered = _font_files(str(font_dir()))
    chosen = set()
    if "CertTC\"" in families:
        chosen |= _cmap(str(small))
    if "CertTCFull" in families:
        chosen |= _cmap(str(full))
    if "CertEmoji" in families:
        chosen |= _cmap(str(SYSTEM_FONTS["emoji"]))
    if "DejaVu Sans" in families:
        chosen |= _cmap(str(SYSTEM_FONTS["latin"]))
    return frozenset(chosen)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Co", "Cn", "Cc")), min_size=1, max_size=12))
def test_whatever_passes_the_check_is_drawn_by_the_faces_the_pdf_embeds(app, text):
    if printable_problem(text) is not None:
        return
    faces = _faces(text)
    visible = [ch for ch in text if not ch.isspace() and ch.isprintable()
               and not (0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF)]
    assert all(ord(ch) in faces for ch in visible), [ch for ch in visible if ord(ch) not in faces]


def test_an_emoji_in_a_name_prints_with_the_colour_emoji_face(app, tmp_path):
    if not SYSTEM_FONTS["emoji"].exists():
        pytest.skip("fonts-noto-color-emoji is not installed (scripts/install-system-packages.sh installs it)")
    rules, families = font_css("陳怡君😀")
    pdf = render_pdf(f"<html><head><style>{rules} body {{ font-family: {families}; }}</style></head>"
                     "<body><p>陳怡君😀</p></body></html>")
    (tmp_path / "e.pdf").write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "e.pdf")], capture_output=True, text=True).stdout
    assert "Color-Emoji" in fonts and "CertTC" in fonts


def test_a_name_stored_with_an_override_before_the_check_does_not_reverse_a_page(client, auth, make):
    person = make.user(Role.LEARNER, name="陳怡君")
    person.name = "\u202e陳怡君\u202c"  # as stored before names were checked
    db.session.commit()
    auth.login(make.user(Role.ADMIN))
    body = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "<h1>陳怡君</h1>" in body and "\u202e" not in body.split("<form")[0]
    assert "陳怡君" in client.get("/admin/users").get_data(as_text=True)
    assert "\u202e" not in client.get("/admin/users").get_data(as_text=True)
