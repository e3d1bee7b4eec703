"""Indicators: list with RAG, detail with chart and table, admin edit, readings."""

import json

import plotly.graph_objects as go
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from arp.roles import role_required
from arp.views import refusal_shown
from programme import indicators as calc
from programme import selectors, services
from programme.forms import IndicatorForm, ReadingForm
from programme.history import history_with_changes
from programme.models import Indicator


@role_required("programme.view")
def indicator_list(request):
    return render(
        request,
        "programme/indicator_list.html",
        {
            "aspirations": selectors.aspirations_with_indicators(),
            "rag_rule": calc.RAG_RULE,
        },
    )


def _chart(indicator, readings) -> dict:
    """The readings and target as plotly figure data; static/js/charts.js
    draws it after plotly.js has loaded (an inline script ran before it)."""
    dates = [r.taken_on for r in readings]
    values = [float(r.value) for r in readings]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(x=dates, y=values, mode="lines+markers", name="Reading")
    )
    if indicator.target_value is not None and dates:
        end = max([*dates, indicator.target_date or dates[-1]])
        start = min([*dates, indicator.baseline_date or dates[0]])
        figure.add_trace(
            go.Scatter(
                x=[start, end],
                y=[float(indicator.target_value)] * 2,
                mode="lines",
                name="Target",
                line={"dash": "dash", "color": "#1e7a3c"},
            )
        )
    figure.update_layout(
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        xaxis={"title": {"text": "Date"}, "automargin": True},
        yaxis={"title": {"text": indicator.get_unit_display()}, "automargin": True},
        plot_bgcolor="#fff",
    )
    return json.loads(figure.to_json())


@role_required("programme.view")
def indicator_detail(request, pk: int):
    indicator = selectors.get_indicator_for_user(user=request.user, pk=pk)
    readings = list(
        indicator.readings.select_related("entered_by").order_by("taken_on")
    )
    assessment = selectors.assess_indicator(
        indicator, [(r.taken_on, r.value) for r in readings[-2:]]
    )
    return render(
        request,
        "programme/indicator_detail.html",
        {
            "indicator": indicator,
            "readings": readings,
            "assessment": assessment,
            "chart": _chart(indicator, readings) if readings else None,
            "rag_rule": calc.RAG_RULE,
            "reading_form": ReadingForm(initial={"taken_on": timezone.localdate()}),
            "history": history_with_changes(indicator),
        },
    )


@role_required("programme.contribute")
def reading_create(request, pk: int):
    # a reading adds to the indicator; the role check says who may add one
    indicator = selectors.get_indicator_for_user(user=request.user, pk=pk)
    form = ReadingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.indicator_record_reading(
            indicator=indicator, entered_by=request.user, **form.cleaned_data
        )
        messages.success(request, "Reading recorded.")
        return redirect(indicator)
    return render(
        request, "programme/reading_form.html", {"form": form, "indicator": indicator}
    )


@role_required("programme.manage")
def indicator_create(request):
    return _indicator_form(request, Indicator())


@role_required("programme.manage")
def indicator_edit(request, pk: int):
    return _indicator_form(
        request,
        selectors.get_indicator_for_user(user=request.user, pk=pk, for_change=True),
    )


def _indicator_form(request, indicator):
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        with refusal_shown(request, services.ProgrammeError, form=form):
            indicator = services.indicator_save(
                indicator=indicator, user=request.user, **form.cleaned_data
            )
            messages.success(request, "Indicator saved.")
            return redirect(indicator)
    return render(
        request,
        "programme/indicator_form.html",
        {"form": form, "indicator": indicator if indicator.pk else None},
    )
