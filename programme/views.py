from django.shortcuts import render

from arp.roles import role_required


@role_required("programme.view")
def overview(request):
    return render(request, "programme/overview.html")
