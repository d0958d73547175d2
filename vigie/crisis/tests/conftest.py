# The browser fixtures of the desk (headless Debian Chromium, live server, phone and desktop).
from vigie.inbox.tests.conftest import chromium, open_page, role_groups  # noqa: F401
