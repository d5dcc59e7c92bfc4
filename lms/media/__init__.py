"""Media: images and audio clips (a recorded call) that lessons, questions and call turns show.

The library (trainers, admins) takes uploads checked by their bytes (``checks``), keeps the bytes by their
SHA-256 in a storage (``storage``: the instance folder, or S3-compatible storage by setting), serves them
to logged-in people with caching headers (``serving``), and resolves ``![alt](media:<name-or-hash>)`` in
Markdown and a customer line's ``media:`` into players with their transcript (``references``). The files
travel with the content export and import (``transfer``).
"""
