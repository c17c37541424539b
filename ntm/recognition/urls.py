from django.urls import path

from . import merger_views, unlock_views, views

app_name = "recognition"
urlpatterns = [
    path("dossiers/<str:key>/", views.commune_dossiers, name="commune"),
    path("dossiers/d/<int:pk>/", views.dossier_detail, name="dossier"),
    path("dossiers/d/<int:pk>/step/", views.take_step, name="step"),
    path("dossiers/d/<int:pk>/conditions/", views.conditions, name="conditions"),
    path("dossiers/d/<int:pk>/files/", views.upload, name="upload"),
    path("dossiers/d/<int:pk>/files/<int:doc_id>/", views.download, name="download"),
    path("dossiers/d/<int:pk>/checks/", views.indicator_check, name="check"),
    path("merger/<str:key>/", merger_views.decide, name="merger"),
    path("entry/<str:key>/unlock/<int:dossier_id>/", unlock_views.unlock, name="unlock_figures"),
]
