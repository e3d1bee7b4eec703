"""The children's form: short, plain questions; every free-text box optional."""

from django import forms

from learning_spaces.children.models import CHILD_TEXT_MAX, ChildFeedbackResponse

ENJOYED = [
    (1, "1 – not at all"),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, "5 – loved it"),
]
THREE = [(v, label) for v, label in ChildFeedbackResponse.Three.choices]


def _choice(label, choices, message):
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


def _words(label, hint=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=CHILD_TEXT_MAX,
        help_text=hint or "You can leave this empty.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Please keep this to {CHILD_TEXT_MAX:,} letters or fewer"
        },
    )


class ChildFeedbackForm(forms.Form):
    """Only these fields are read; anything else in a POST is ignored."""

    enjoyed = _choice("How much did I enjoy today?", ENJOYED, "Pick a number")
    proud = _choice(
        "Do I feel proud of who I am?", THREE, "Pick the answer that fits best"
    )
    safe_to_talk = _choice(
        "Do I feel safe to talk about my culture and where my family is from here?",
        THREE,
        "Pick the answer that fits best",
    )
    know_who_to_tell = _choice(
        "If something racist happens to me, do I know who to tell?",
        THREE,
        "Pick the answer that fits best",
    )
    my_identity = _words(
        "How would I describe my racial and cultural identity?",
        "In your own words. You can leave this empty.",
    )
    racist_incident_support = _words("How am I supported with racist incidents?")
    make_it_better = _words("What would make this group even better?")
    website = forms.CharField(required=False, label="Leave this field empty")

    ANSWER_FIELDS = (
        "enjoyed",
        "proud",
        "safe_to_talk",
        "know_who_to_tell",
        "my_identity",
        "racist_incident_support",
        "make_it_better",
    )

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.ANSWER_FIELDS}

    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())
