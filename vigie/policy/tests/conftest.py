from vigie.inbox.tests.conftest import chromium, desk_users, open_page, role_groups  # noqa: F401 (browser fixtures)
