
app_name = "portal"
urlpatterns: list = []  # the public home page and the search come here
