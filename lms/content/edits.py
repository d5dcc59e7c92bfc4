"""What a content import does with items edited in the browser since the last import (issue 12, item 8).

Courses, call scenarios, questions and exams are versioned, and each version says where it came from:
the content files or an editor in the browser. When the files would replace a version saved in the
browser, the import keeps the browser's version (and the file's differing content is not imported)
unless it is told to overwrite; either way it lists each such item.
"""

from dataclasses import dataclass, field


@dataclass
class BrowserEdits:
    overwrite: bool = False
    kept: list[str] = field(default_factory=list)  # "course FND-101", "scenario billing-double-charge"…
    overwritten: list[str] = field(default_factory=list)

    def allows(self, what: str, edited_in_browser: bool) -> bool:
        """Whether the file's content may replace the item's current version, which differs from it;
        an item whose current version was saved in the browser is listed as kept or overwritten."""
        if not edited_in_browser:
            return True
        (self.overwritten if self.overwrite else self.kept).append(what)
        return self.overwrite
