
app_name = "figures"
urlpatterns: list = []  # data entry pages come here
