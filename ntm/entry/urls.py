from django.urls import path

from . import views

# The names keep the namespace they had when the page lived in ntm.figures (figures:entry, …).
app_name = "figures"
urlpatterns = [
    path("entry/<str:key>/", views.entry, name="entry"),
    path("entry/<str:key>/<str:set_id>/<str:indicator>/<int:year>/", views.save, name="save"),
    path("entry/<str:key>/<str:set_id>/<str:indicator>/<int:year>/history/", views.history, name="history"),
]
