from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("district/<str:key>/resources/", views.district, name="district"),
    path("commune/<str:key>/resources/", views.commune, name="commune"),
]
