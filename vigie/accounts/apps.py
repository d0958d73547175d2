from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vigie.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from vigie.accounts import throttling  # noqa: F401 (connects the audit receivers)
