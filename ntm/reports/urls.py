from django.urls import path

from . import province_views, views

app_name = "reports"
urlpatterns = [
    path("reports/commune/<str:key>.<str:fmt>", views.commune_report, name="commune"),
    path("reports/district/<str:key>.<str:fmt>", views.district_report, name="district"),
    path("reports/province/<str:key>/", province_views.province_report, name="province"),  # built in the background
]
