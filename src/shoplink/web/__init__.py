"""Server-rendered pages: sessions, CSRF, templates, translations. No domain words here; the
views live in each module's `views.py` and call the same services as the JSON API."""
