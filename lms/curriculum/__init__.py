"""The whole content tree at once: import every domain's files, export them back, and the CLI for both.

It depends on the domains (their loaders and sync services); no domain depends on it, and lms/content
(the building blocks the domains' loaders share) depends on no domain.
"""
