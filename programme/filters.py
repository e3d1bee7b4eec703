"""Filters shared by the lists and their CSV/XLSX exports."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from programme.models import Achievement, Action, Aspiration, Workstream


class DateInput(forms.DateInput):
    input_type = "date"


class AchievementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    aspiration = django_filters.ModelChoiceFilter(
        field_name="aspirations", queryset=Aspiration.objects.all(), label="Aspiration"
    )
    reach = django_filters.ChoiceFilter(choices=Achievement.Reach.choices)
    workstream = django_filters.ModelChoiceFilter(queryset=Workstream.objects.all())
    status = django_filters.ChoiceFilter(choices=Achievement.Status.choices)
    achieved_from = django_filters.DateFilter(
        field_name="achieved_on", lookup_expr="gte", label="From", widget=DateInput
    )
    achieved_to = django_filters.DateFilter(
        field_name="achieved_on", lookup_expr="lte", label="To", widget=DateInput
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("achieved_on", "achieved_on"),
            ("title", "title"),
            ("reach", "reach"),
            ("status", "status"),
        ),
        field_labels={
            "achieved_on": "Date achieved",
            "title": "Title",
            "reach": "Reach",
            "status": "Status",
        },
        label="Sort by",
    )

    class Meta:
        model = Achievement
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))

    def filter_queryset(self, queryset):
        # A stable tie-break so pages never repeat or skip rows.
        queryset = super().filter_queryset(queryset)
        ordering = list(queryset.query.order_by) or ["-achieved_on"]
        return queryset.order_by(*ordering, "-pk")


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    aspiration = django_filters.ModelChoiceFilter(queryset=Aspiration.objects.all())
    status = django_filters.ChoiceFilter(choices=Action.Status.choices)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Overdue only",
        widget=forms.CheckboxInput,
    )
    ordering = django_filters.OrderingFilter(
        fields=(("due_on", "due_on"), ("title", "title"), ("status", "status")),
        field_labels={"due_on": "Due date", "title": "Title", "status": "Status"},
        label="Sort by",
    )

    class Meta:
        model = Action
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.exclude(status=Action.Status.COMPLETE).filter(
            due_on__lt=timezone.localdate()
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordering = list(queryset.query.order_by) or ["due_on"]
        return queryset.order_by(*ordering, "pk")
