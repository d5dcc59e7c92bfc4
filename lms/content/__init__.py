"""Building blocks every domain's content loader shares: file reading with file/line errors (files.py) and
Markdown rendering (markdown.py). It imports no domain (tests/test_dependencies.py); the importer that
composes the domains is lms/curriculum."""
