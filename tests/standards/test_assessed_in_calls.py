"""On the shipped content, the coverage matrix shows most of chapters 5 and 7 assessed by a call scenario's
criterion (issue 15): at least 90 % of chapter 5's active items and at least half of chapter 7's."""

import pytest

from lms.db import db
from lms.standards.services import coverage_matrix
from tests.factories import SHIPPED_CONTENT

FLOORS = {5: 90.0, 7: 50.0}


def assessed_share(chapter: int) -> tuple[float, list[str]]:
    """The percentage of the chapter's active items some rubric criterion cites, and the items none does."""
    rows = coverage_matrix(chapter)
    missing = [row.item.code for row in rows if not row.criteria]
    return 100 * (len(rows) - len(missing)) / len(rows), missing


@pytest.mark.slow
def test_chapters_5_and_7_are_mostly_assessed_in_calls(app, make):
    make.content(SHIPPED_CONTENT)
    with app.test_request_context("/"):
        for chapter, floor in FLOORS.items():
            share, missing = assessed_share(chapter)
            assert share >= floor, f"chapter {chapter}: {share:.1f} % assessed; not assessed: {', '.join(missing)}"
    db.session.rollback()


def test_the_share_counts_the_items_some_criterion_cites(app, make):
    make.content()  # the small test curriculum: its call cites 4.1.1-a, 4.1.1-b, 4.1.3-a, 5.2.1-a and 5.2.1-b
    with app.test_request_context("/"):
        assert assessed_share(5) == (100.0, [])
        assert assessed_share(4) == (75.0, ["4.1.3-b"])
