"""The library's search and filters (one FilterSet, as the achievements list)."""

from functools import reduce
from operator import and_

import django_filters
from django import forms
from django.db.models import F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from programme.models import Aspiration
from programme.tools.models import Tool, ToolDownloadMonth
from programme.tools.selectors import months_ending

POPULAR_MONTHS = 12  # "most used" counts downloads over the last year


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

    sort = django_filters.ChoiceFilter(
        method="sort_by",
        label="Order",
        choices=[("recent", "Newest version first"), ("popular", "Most used first")],
        empty_label="A to Z",
    )

    class Meta:
        model = Tool
        fields = []

    def sort_by(self, queryset, name, value):
        # Applied in filter_queryset, after every filter, so the order holds.
        return queryset

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
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort")
        if sort == "recent":
            queryset = queryset.annotate(latest=Max("versions__released_on"))
            return queryset.order_by(F("latest").desc(nulls_last=True), "title", "pk")
        if sort == "popular":
            since = months_ending(timezone.localdate(), POPULAR_MONTHS)[0]
            used = (
                ToolDownloadMonth.objects.filter(tool=OuterRef("pk"), month__gte=since)
                .values("tool")
                .annotate(total=Sum("downloads"))
                .values("total")
            )
            queryset = queryset.annotate(used=Coalesce(Subquery(used), 0))
            return queryset.order_by("-used", "title", "pk")
        return queryset.order_by("title", "pk")
