"""The bare reference (H): a three-line Flask app, served by bench.run with the same gunicorn settings as
the app, so every page can be quoted against what Flask and the server cost before any of the app's code."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "hello"
