"""The baseline: the smallest Flask app that returns an HTML page, served the same way."""

from flask import Flask

app = Flask(__name__)

PAGE = "<!DOCTYPE html><html lang=en><title>Minimal</title><h1>Hello</h1></html>"


@app.get("/")
def index():
    return PAGE
