from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("alerts/", views.inbox, name="inbox"),
    path("alerts/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("alerts/read-all/", views.mark_all_read, name="mark_all_read"),
    path("district/<str:key>/revocation-risk/", views.revocation_risk, name="revocation_risk"),
]
