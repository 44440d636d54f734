app_name = "programs"

urlpatterns = []
