from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("district/<str:key>/assignments/", views.district_assignments, name="district_assignments"),
    path("commune/<str:key>/assignments/", views.commune_assignments, name="commune_assignments"),
    path("district/<str:key>/plan/", views.plan, name="plan"),
    path("district/<str:key>/inspections/", views.inspections, name="inspections"),
    path("district/<str:key>/inspections/<int:pk>/", views.inspection, name="inspection"),
    path("district/<str:key>/inspections/<int:pk>/findings/", views.add_finding, name="add_finding"),
    path("district/<str:key>/inspections/<int:pk>/follow-ups/", views.add_follow_up, name="add_follow_up"),
    path("district/<str:key>/follow-ups/overdue/", views.overdue, name="overdue"),
    path("follow-ups/<int:pk>/done/", views.mark_done, name="mark_done"),
]
