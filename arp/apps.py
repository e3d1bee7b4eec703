from django.apps import AppConfig


class ArpConfig(AppConfig):
    name = "arp"
    verbose_name = "ARP tracker"
