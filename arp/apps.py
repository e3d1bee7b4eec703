from django.apps import AppConfig


class ArpConfig(AppConfig):
    name = "arp"
    verbose_name = "ARP tracker"

    def ready(self):
        # connect the failed sign-in log and the session clock
        from arp import accounts, middleware  # noqa: F401
