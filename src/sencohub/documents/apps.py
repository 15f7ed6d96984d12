from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sencohub.documents"
    label = "documents"
