from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("overview/", views.home, name="home"),
    path("district/<str:key>/", views.district, name="district"),
    path("commune/<str:key>/", views.commune, name="commune"),
]
