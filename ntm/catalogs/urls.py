from django.urls import path

from . import views, workbook_views

app_name = "catalogs"

urlpatterns = [
    path("catalog/", views.index, name="index"),
    path("catalog/new/", views.start, name="start"),
    path("catalog/new-layer/", views.new_layer, name="new_layer"),
    path("catalog/upload/", views.upload, name="upload"),
    path("catalog/versions/<int:pk>/", views.version, name="version"),
    path("catalog/versions/<int:pk>/indicator/", views.indicator, name="indicator"),
    path("catalog/versions/<int:pk>/indicator/remove/", views.remove_indicator, name="remove_indicator"),
    path("catalog/versions/<int:pk>/criterion/", views.criterion, name="criterion"),
    path("catalog/versions/<int:pk>/criterion/remove/", views.remove_criterion, name="remove_criterion"),
    path("catalog/versions/<int:pk>/document/", views.document, name="document"),
    path("catalog/versions/<int:pk>/yaml/", views.yaml_edit, name="yaml"),
    path("catalog/versions/<int:pk>/export.yaml", views.export_yaml, name="export"),
    path("catalog/versions/<int:pk>/export.xlsx", views.export_workbook, name="export_workbook"),
    path("catalog/versions/<int:pk>/approve/", views.approve, name="approve"),
    path("catalog/versions/<int:pk>/reject/", views.reject, name="reject"),
    path("catalog/history/<str:set_id>/", views.history, name="history"),
    path("catalog/jobs/<int:pk>/", views.job, name="job"),
    # Completing the catalog in Excel: the URLs it had when the exchange app served it.
    path("exchange/catalog/import/", workbook_views.catalog_import, name="workbook_import"),
    path("exchange/catalog/import/confirm/", workbook_views.catalog_confirm, name="workbook_confirm"),
    path("exchange/catalog/<str:set_id>.xlsx", workbook_views.catalog_export, name="workbook_export"),
]
