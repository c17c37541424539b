from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("area/<str:key>/", views.area, name="area"),
    path("me/", views.me, name="me"),
    path("public/commune/<str:key>/", views.public_commune, name="commune"),
    path("search/", views.search, name="search"),
    path("criteria/<str:set_id>/", views.criteria_set, name="criteria_set"),
]
