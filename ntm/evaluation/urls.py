from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("overview/", views.home, name="home"),
    path("district/<str:key>/", views.district, name="district"),
    path("district/<str:key>/criterion/<str:set_id>/<str:code>/", views.criterion, name="criterion"),
    path("province/<str:key>/", views.province, name="province"),
    path("national/", views.national, name="national"),
    path("province/<str:key>/criterion/<str:set_id>/<str:code>/", views.criterion, name="province_criterion"),
    path("commune/<str:key>/", views.commune, name="commune"),
]
