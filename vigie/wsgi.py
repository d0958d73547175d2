"""The WSGI application gunicorn serves: webhook deliveries through their door (connectors/door.py),
everything else through Django."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigie.settings")
django_application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402 - once Django is set up

from vigie.connectors.door import with_door  # noqa: E402

get_resolver().url_patterns  # every view imported now, not by the first request of each process  # noqa: B018
application = with_door(django_application)
