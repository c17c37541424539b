from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("tasks/", views.index, name="index"),
    path("tasks/<int:pk>/", views.job, name="job"),
    path("tasks/<int:pk>/file", views.download, name="download"),
]
