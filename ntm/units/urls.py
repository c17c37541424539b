from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("units/<str:key>/classification/", views.classification, name="classification"),
    path("units/<str:key>/classification/template.xlsx", views.template, name="template"),
    path("units/<str:key>/classification/upload/", views.upload, name="upload"),
    path("units/<str:key>/classification/confirm/", views.confirm, name="confirm"),
]
