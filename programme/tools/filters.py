"""The library's search and filters (one FilterSet, as the achievements list)."""

from functools import reduce
from operator import and_

import django_filters
from django import forms
from django.db.models import Q

from programme.models import Aspiration
from programme.tools.models import Tool


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
        """Every word must appear in the title, description or authors.

        So "culture prompt" finds "Culture and Ethnicity Prompt sheet".
        """
        words = value.split()
        if not words:
            return queryset
        matches = [
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(authored_by__icontains=word)
            for word in words[:10]
        ]
        return queryset.filter(reduce(and_, matches))

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).order_by("title", "pk")
