"""The shipped question banks carry no item-writing cue (lms/exams/item_lint.py): each bank and all of
them together, the GIFT bank included."""

from lms.curriculum.importer import load_tree
from lms.exams.item_lint import bank_items, lint_banks
from tests.factories import SHIPPED_CONTENT


def test_the_shipped_banks_give_learners_no_item_writing_cues(app):
    banks = {bank.slug: bank_items(bank) for bank in load_tree(SHIPPED_CONTENT).quizzes.banks}
    assert len(banks) >= 10
    with app.test_request_context("/"):
        findings = [f"{f.bank or 'all banks'} {f.uid or ''}: {f.message}" for f in lint_banks(banks)]
    assert findings == []
