from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("search/", views.search, name="search"),
    path("criteria/<str:set_id>/", views.criteria_set, name="criteria_set"),
]
