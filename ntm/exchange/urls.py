from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("exchange/catalog/import/", views.catalog_import, name="catalog_import"),
    path("exchange/catalog/import/confirm/", views.catalog_confirm, name="catalog_confirm"),
    path("exchange/catalog/<str:set_id>.xlsx", views.catalog_export, name="catalog_export"),
    path("exchange/district/<str:key>/matrix.xlsx", views.matrix, name="matrix"),
    path("exchange/commune/<str:key>/detail.xlsx", views.detail, name="detail"),
    path("exchange/<str:key>/template.xlsx", views.template, name="template"),
    path("exchange/<str:key>/import/", views.upload, name="upload"),
    path("exchange/<str:key>/import/confirm/", views.confirm, name="confirm"),
]
