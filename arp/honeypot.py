"""A honeypot field for public forms (learning-space feedback, staff reports).

The field is hidden from people by CSS and aria-hidden (see
``templates/arp/_honeypot.html``); bots that fill every field fill it too, and
the view then pretends to succeed while storing nothing.
"""

from django import forms


class HoneypotForm(forms.Form):
    website = forms.CharField(required=False, label="Leave this field empty")

    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())
