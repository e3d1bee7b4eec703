from django.apps import AppConfig


class LearningSpacesConfig(AppConfig):
    name = "learning_spaces"
    verbose_name = "Learning spaces"

    def ready(self):
        from django.core.cache import cache
        from django.db.models.signals import post_delete, post_save

        from learning_spaces.models import Theme
        from learning_spaces.services import THEME_KEYWORDS_CACHE_KEY

        def forget_keywords(**kwargs):
            cache.delete(THEME_KEYWORDS_CACHE_KEY)

        post_save.connect(forget_keywords, sender=Theme, weak=False)
        post_delete.connect(forget_keywords, sender=Theme, weak=False)
