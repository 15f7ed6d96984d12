from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sencohub.accounts"
    label = "accounts"
