from django.apps import AppConfig


class DisproportionalityConfig(AppConfig):
    name = "disproportionality"
    verbose_name = "Disproportionality"
