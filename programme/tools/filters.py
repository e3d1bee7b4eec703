"""The library's search and filters (one FilterSet, as the achievements list)."""

from functools import reduce
from operator import and_

import django_filters
from django import forms
from django.db.models import Q

from programme.models import Aspiration
from programme.tools.models import Tool


def _labels_containing(choices, word: str) -> list[str]:
    word = word.casefold()
    return [value for value, label in choices if word in label.casefold()]


def _word_matches(word: str) -> Q:
    return (
        Q(title__icontains=word)
        | Q(description__icontains=word)
        | Q(authored_by__icontains=word)
        | Q(kind__in=_labels_containing(Tool.Kind.choices, word))
        | Q(audience_rows__audience__in=_labels_containing(Tool.Audience.choices, word))
    )


class ToolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "e.g. thinking tool, genogram"}
        ),
    )
    kind = django_filters.ChoiceFilter(
        choices=Tool.Kind.choices, empty_label="Any kind"
    )
    audience = django_filters.ChoiceFilter(
        field_name="audience_rows__audience",
        choices=Tool.Audience.choices,
        label="For",
        empty_label="Anyone",
        distinct=True,
    )
    aspiration = django_filters.ModelChoiceFilter(
        field_name="aspirations",
        queryset=Aspiration.objects.all(),
        label="Aspiration",
        empty_label="Any aspiration",
        distinct=True,
    )

    class Meta:
        model = Tool
        fields = []

    def search(self, queryset, name, value):
        """Every word must appear in the title, description, authors, kind or
        audience.

        So "culture prompt" finds "Culture and Ethnicity Prompt sheet", and
        "carers podcast" finds a podcast for foster carers.
        """
        words = value.split()
        if not words:
            return queryset
        matches = [_word_matches(word) for word in words[:10]]
        return queryset.filter(reduce(and_, matches)).distinct()

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).order_by("title", "pk")
