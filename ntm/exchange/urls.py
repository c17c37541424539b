from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("exchange/district/<str:key>/matrix.xlsx", views.matrix, name="matrix"),
    path("exchange/commune/<str:key>/detail.xlsx", views.detail, name="detail"),
    path("exchange/<str:key>/template.xlsx", views.template, name="template"),
    path("exchange/<str:key>/import/", views.upload, name="upload"),
    path("exchange/<str:key>/import/confirm/", views.confirm, name="confirm"),
]
