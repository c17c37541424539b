from django.urls import path

from . import unlock_views, views

app_name = "figures"
urlpatterns = [
    path("entry/<str:key>/", views.entry, name="entry"),
    path("entry/<str:key>/<str:set_id>/<str:indicator>/<int:year>/", views.save, name="save"),
    path("entry/<str:key>/<str:set_id>/<str:indicator>/<int:year>/history/", views.history, name="history"),
    path("entry/<str:key>/unlock/<int:dossier_id>/", unlock_views.unlock, name="unlock"),
]
