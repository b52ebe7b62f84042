"""Entry point for ``flask`` and gunicorn (``gunicorn 'wsgi:app'``)."""

import gc

from lms import create_app

app = create_app()
# What start-up loads (the app, templates, translations, about 200,000 objects) lives as
# long as the process: freezing it keeps the garbage collector from walking it again on
# every full collection, a 100 ms pause on about one request in ten (docs/performance.md).
gc.freeze()
