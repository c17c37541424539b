from django.urls import path

from . import views

app_name = "maps"
urlpatterns = [
    path("map/", views.national, name="national"),
    path("province/<str:key>/map/", views.province, name="province"),
]
