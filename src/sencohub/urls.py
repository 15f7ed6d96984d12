from django.urls import include, path

from sencohub.accounts import views as account_views
from sencohub.api.api import api
from sencohub.core import calculator
from sencohub.core import views as core_views
from sencohub.pupils import views as pupil_views
from sencohub.register import views as register_views

school = "schools/<str:urn>/"
pupil = school + "pupils/<str:upn>/"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("statutory-dates/", calculator.calculator, name="statutory_dates"),
    path("statutory-dates/<slug:slug>/", calculator.calculator, name="statutory_date"),
    path("api-tokens/", account_views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", account_views.api_token_revoke_view, name="api_token_revoke"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path(school + "register/", register_views.register, name="register"),
    path(school + "register/export.<str:fmt>", register_views.register_export, name="register_export"),
    path(school + "census.<str:fmt>", register_views.census_export, name="census_export"),
    path(school + "figures/", register_views.figures, name="figures"),
    path(school + "concerns/", register_views.concerns, name="concerns"),
    path(school + "concerns/new/", register_views.concern_new, name="concern_new"),
    path(school + "concerns/<int:concern_id>/triage/", register_views.concern_triage, name="concern_triage"),
    path(school + "import/", pupil_views.import_upload, name="pupils_import"),
    path(school + "import/<int:import_id>/", pupil_views.import_preview, name="pupils_import_preview"),
    path(school + "import/<int:import_id>/confirm/", pupil_views.import_confirm, name="pupils_import_confirm"),
    path(pupil, pupil_views.pupil, name="pupil"),
    path(pupil + "history/", pupil_views.pupil_history_view, name="pupil_history"),
    path(pupil + "status/", register_views.status_change, name="pupil_status"),
    path(pupil + "needs/", register_views.needs_edit, name="pupil_needs"),
    path(pupil + "status/<int:status_id>/parents-informed/", register_views.parents_informed, name="parents_informed"),
]

handler404 = "sencohub.core.errors.not_found"
handler500 = "sencohub.core.errors.server_error"
handler403 = "sencohub.core.errors.forbidden"
handler400 = "sencohub.core.errors.bad_request"
