from django.shortcuts import render

from arp.roles import role_required


@role_required("learning_spaces.view_sessions")
def index(request):
    return render(request, "learning_spaces/index.html")


@role_required("learning_spaces.insights")
def insights(request):
    return render(request, "learning_spaces/index.html")
