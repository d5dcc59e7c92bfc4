"""WSGI entry point for gunicorn: ``gunicorn -c gunicorn.conf.py``."""

from lms import create_app

app = create_app()
