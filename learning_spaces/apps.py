from django.apps import AppConfig


class LearningSpacesConfig(AppConfig):
    name = "learning_spaces"
    verbose_name = "Learning spaces"
