"""Entry point for ``flask`` and gunicorn (``gunicorn 'wsgi:app'``)."""

from lms import create_app

app = create_app()
