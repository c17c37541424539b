urlpatterns: list = []  # the REST API (django-ninja) is mounted here, under /api/
