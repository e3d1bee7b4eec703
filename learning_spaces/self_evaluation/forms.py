"""The self-evaluation form: a rating (where it fits) and a reflection per question."""

from django import forms

from learning_spaces.self_evaluation.models import REFLECTION_MAX
from learning_spaces.self_evaluation.questions import QUESTIONS
from learning_spaces.self_evaluation.services import Answer


class SelfEvaluationForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = QUESTIONS
        for q in QUESTIONS:
            if q.rated:
                self.fields[f"{q.code}_rating"] = forms.TypedChoiceField(
                    label=f"{q.text} Your rating",
                    choices=[
                        (1, f"1 – {q.scale_low}"),
                        (2, "2"),
                        (3, "3"),
                        (4, "4"),
                        (5, f"5 – {q.scale_high}"),
                    ],  # fmt: skip
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose a rating from 1 to 5."},
                )
            self.fields[f"{q.code}_reflection"] = forms.CharField(
                label="Your reflection" if q.rated else q.text,
                required=not q.rated,
                max_length=REFLECTION_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "required": "Write a few words: this question has no rating.",
                },
            )

    def pairs(self):
        """(question, rating field or None, reflection field) for the template."""
        for q in self.questions:
            rating = self[f"{q.code}_rating"] if q.rated else None
            yield q, rating, self[f"{q.code}_reflection"]

    def answers(self) -> dict[str, Answer]:
        data = self.cleaned_data
        return {
            q.code: Answer(
                rating=data.get(f"{q.code}_rating") if q.rated else None,
                reflection=data[f"{q.code}_reflection"],
            )
            for q in self.questions
        }

    @classmethod
    def initial_from(cls, evaluation) -> dict:
        initial = {}
        for answer in evaluation.answers.all():
            initial[f"{answer.question}_rating"] = answer.rating
            initial[f"{answer.question}_reflection"] = answer.reflection
        return initial
