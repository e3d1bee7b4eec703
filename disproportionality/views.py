from django.shortcuts import render

from arp.roles import role_required


@role_required("disproportionality.view")
def dashboard(request):
    return render(request, "disproportionality/dashboard.html")
