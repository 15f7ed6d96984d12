from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sencohub.accounts"
    label = "accounts"

    def ready(self):
        from sencohub.accounts import first_sign_in  # noqa: F401 - connects its signal receivers
