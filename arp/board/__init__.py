"""The governance board's page and pack: a composition of every app's selectors.

Lives in ``arp`` because ``arp`` is the one layer that depends on every app;
no app imports another's models, so there is no import cycle (see
docs/ARCHITECTURE.md, "The board pack").
"""
