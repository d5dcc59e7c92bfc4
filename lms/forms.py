"""Form helpers shared by every domain."""

from wtforms.fields.choices import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """Build select options from (value, label) pairs."""
    return [SelectChoice(str(value) if not isinstance(value, int) else value, label) for value, label in pairs]
