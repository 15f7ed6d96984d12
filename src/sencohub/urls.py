from django.urls import include, path

from sencohub.accounts import reauth
from sencohub.accounts.middleware import session_keep_alive
from sencohub.api import tokens as token_views
from sencohub.api.api import api
from sencohub.documents import views as document_views
from sencohub.ehcp import family
from sencohub.ehcp import views as ehc_views
from sencohub.home import calculator
from sencohub.home import views as home_views
from sencohub.provision import views as provision_views
from sencohub.pupils import views as pupil_views
from sencohub.register import pupil_views as register_pupil_views
from sencohub.register import views as register_views
from sencohub.register.mis import views as import_views
from sencohub.reports import views as report_views
from sencohub.support import family as support_family
from sencohub.support import views as support_views
from sencohub.workforce import views as workforce_views

school = "schools/<str:urn>/"
pupil = school + "pupils/<str:upn>/"
ehc_request = pupil + "ehc/requests/<int:request_id>/"
ehc_plan = pupil + "ehc/plans/<int:plan_id>/"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", home_views.healthz, name="healthz"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    path("statutory-dates/", calculator.calculator, name="statutory_dates"),
    path("statutory-dates/<slug:slug>/", calculator.calculator, name="statutory_date"),
    path("api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", token_views.api_token_revoke_view, name="api_token_revoke"),
    path("accounts/confirmed/", reauth.confirmed_download, name="confirmed_download"),
    path("accounts/stay-signed-in/", session_keep_alive, name="session_keep_alive"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path(school + "register/", register_views.register, name="register"),
    path(school + "register/export.<str:fmt>", register_views.register_export, name="register_export"),
    path(school + "census.<str:fmt>", report_views.census_export, name="census_export"),
    path(school + "census/units/", register_views.census_provision, name="census_provision"),
    path(school + "figures/", register_views.figures, name="figures"),
    path(school + "concerns/", register_views.concerns, name="concerns"),
    path(school + "concerns/new/", register_views.concern_new, name="concern_new"),
    path(school + "concerns/<int:concern_id>/triage/", register_views.concern_triage, name="concern_triage"),
    path(school + "import/", import_views.import_upload, name="pupils_import"),
    path(school + "leavers/", pupil_views.leavers, name="pupils_leavers"),
    path(school + "import/<int:import_id>/", import_views.import_preview, name="pupils_import_preview"),
    path(
        school + "import/<int:import_id>/confirm/", import_views.import_confirm, name="pupils_import_confirm"
    ),
    path(school + "documents/", document_views.templates, name="document_templates"),
    path(
        school + "documents/<str:kind_key>/upload/", document_views.templates, name="document_template_upload"
    ),
    path(
        school + "documents/<str:kind_key>/template.docx",
        document_views.template_download,
        name="document_template_download",
    ),
    path(
        school + "documents/<str:kind_key>/reset/",
        document_views.template_reset,
        name="document_template_reset",
    ),
    path(school + "compliance/", ehc_views.school_compliance, name="compliance"),
    path(school + "compliance.<str:fmt>", ehc_views.school_compliance_export, name="compliance_export"),
    path("compliance/", ehc_views.compliance_all, name="compliance_all"),
    path("compliance.<str:fmt>", ehc_views.compliance_all_export, name="compliance_all_export"),
    path("family/", family.family_home, name="family_home"),
    path("family/<str:upn>/", support_family.family_child, name="family_child"),
    path(
        "family/<str:upn>/views/<str:occasion>/<int:occasion_id>/<str:who>/",
        family.family_views,
        name="family_views",
    ),
    path(
        pupil + "ehc/views/<str:occasion>/<int:occasion_id>/<str:who>/",
        ehc_views.views_capture,
        name="ehc_views_capture",
    ),
    path("calendar/", ehc_views.calendar_feeds, name="calendar_feeds"),
    path("calendar/<int:feed_id>/revoke/", ehc_views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("calendar/feed/<str:secret>.ics", ehc_views.calendar_feed, name="calendar_feed"),
    path(pupil + "ehc/", ehc_views.pupil_ehc, name="ehc_pupil"),
    path(pupil + "ehc/requests/new/", ehc_views.request_new, name="ehc_request_new"),
    path(ehc_request, ehc_views.request_detail, name="ehc_request"),
    path(ehc_request + "edit/", ehc_views.request_edit, name="ehc_request_edit"),
    path(ehc_request + "advice/new/", ehc_views.advice_new, name="ehc_advice_new"),
    path(
        ehc_request + "advice/<int:advice_id>/returned/", ehc_views.advice_return, name="ehc_advice_returned"
    ),
    path(ehc_request + "exceptions/new/", ehc_views.exception_new, name="ehc_exception_new"),
    path(ehc_request + "evidence/", ehc_views.evidence_edit, name="ehc_evidence_edit"),
    path(ehc_request + "evidence.<str:fmt>", report_views.evidence_download, name="ehc_evidence_download"),
    path(pupil + "ehc/plans/new/", ehc_views.plan_new, name="ehc_plan_new"),
    path(ehc_plan, ehc_views.plan_detail, name="ehc_plan"),
    path(ehc_plan + "edit/", ehc_views.plan_edit, name="ehc_plan_edit"),
    path(ehc_plan + "cease/", ehc_views.plan_cease_page, name="ehc_plan_cease"),
    path(ehc_plan + "outcomes/new/", ehc_views.plan_outcome_add, name="ehc_plan_outcome_add"),
    path(ehc_plan + "provision/new/", ehc_views.plan_item_add, name="ehc_plan_item_add"),
    path(
        ehc_plan + "provision/<int:item_id>/remove/", ehc_views.plan_item_remove, name="ehc_plan_item_remove"
    ),
    path(
        ehc_plan + "outcomes/<int:outcome_id>/remove/",
        ehc_views.plan_outcome_remove,
        name="ehc_plan_outcome_remove",
    ),
    path(ehc_plan + "reviews/new/", ehc_views.review_edit, name="ehc_review_new"),
    path(ehc_plan + "reviews/<int:review_id>/", ehc_views.review_edit, name="ehc_review_edit"),
    path(
        ehc_plan + "reviews/<int:review_id>/report/", ehc_views.review_report_edit, name="ehc_review_report"
    ),
    path(
        ehc_plan + "reviews/<int:review_id>/report.<str:fmt>",
        ehc_views.review_report_download,
        name="ehc_review_report_download",
    ),
    path(
        ehc_plan + "reviews/<int:review_id>/invitation.<str:fmt>",
        ehc_views.review_invitation_download,
        name="ehc_review_invitation_download",
    ),
    path(ehc_plan + "transfers/new/", ehc_views.transfer_edit, name="ehc_transfer_new"),
    path(ehc_plan + "transfers/<int:transfer_id>/", ehc_views.transfer_edit, name="ehc_transfer_edit"),
    path(school + "my-pupils/", support_views.my_pupils, name="my_pupils"),
    path(school + "overview/", report_views.overview, name="overview"),
    path(school + "print/", support_views.print_start, name="print_start"),
    path(school + "terms/", support_views.terms, name="terms"),
    path(school + "senco/", workforce_views.school_workforce, name="workforce_school"),
    path(school + "senco/new/", workforce_views.appointment_edit, name="workforce_appointment_new"),
    path(
        school + "senco/<int:appointment_id>/",
        workforce_views.appointment_edit,
        name="workforce_appointment_edit",
    ),
    path(
        school + "senco/<int:appointment_id>/qualifications/new/",
        workforce_views.qualification_edit,
        name="workforce_qualification_new",
    ),
    path(
        school + "senco/<int:appointment_id>/qualifications/<int:qualification_id>/",
        workforce_views.qualification_edit,
        name="workforce_qualification_edit",
    ),
    path(
        school + "senco/<int:appointment_id>/qualifications/<int:qualification_id>/certificate",
        workforce_views.certificate,
        name="workforce_certificate",
    ),
    path(
        school + "senco/<int:appointment_id>/confirm/",
        workforce_views.head_confirm,
        name="workforce_head_confirm",
    ),
    path(school + "senco/<int:appointment_id>/time/", workforce_views.time_log, name="workforce_time"),
    path(
        school + "senco/<int:appointment_id>/time/week/",
        workforce_views.time_week,
        name="workforce_time_week",
    ),
    path(school + "senco/governors/", workforce_views.governors, name="workforce_governors"),
    path(
        school + "senco/governors.<str:fmt>",
        workforce_views.governors_download,
        name="workforce_governors_download",
    ),
    path(school + "training/", workforce_views.training, name="workforce_training"),
    path(school + "training/new/", workforce_views.training_session, name="workforce_training_new"),
    path(
        school + "training/<int:session_id>/",
        workforce_views.training_session,
        name="workforce_training_session",
    ),
    path(school + "my-training/", workforce_views.my_training, name="workforce_my_training"),
    path("sencos/", workforce_views.workforce_all, name="workforce_all"),
    path("sencos/export.<str:fmt>", workforce_views.workforce_export, name="workforce_export"),
    path("sencos/anonymised.<str:fmt>", workforce_views.workforce_aggregate, name="workforce_aggregate"),
    path(school + "provision/", provision_views.map_page, name="provision_map"),
    path(school + "provision/map.<str:fmt>", provision_views.map_export, name="provision_map_export"),
    path(school + "provision/catalogue/", provision_views.catalogue, name="provision_catalogue"),
    path(school + "provision/pay-bands/", provision_views.pay_bands, name="provision_pay_bands"),
    path(school + "provision/groups/", provision_views.provisions, name="provision_list"),
    path(school + "provision/groups/new/", provision_views.provision_edit, name="provision_new"),
    path(
        school + "provision/groups/<int:provision_id>/", provision_views.provision_edit, name="provision_edit"
    ),
    path(
        school + "provision/groups/<int:provision_id>/remove/",
        provision_views.provision_delete,
        name="provision_delete",
    ),
    path(school + "sessions/", provision_views.sessions, name="provision_sessions"),
    path(school + "provision/impact/", provision_views.impact_page, name="provision_impact"),
    path(school + "provision/budget/", provision_views.budget_set, name="provision_budget"),
    path(
        school + "provision/groups/<int:provision_id>/measures/",
        provision_views.measures,
        name="provision_measures",
    ),
    path(
        school + "sessions/<int:provision_id>/register/",
        provision_views.attendance_take,
        name="provision_register",
    ),
    path(school + "print/<int:job_id>/", support_views.print_job, name="print_job"),
    path(school + "print/<int:job_id>/download/", support_views.print_download, name="print_download"),
    path("help/plan-quality/", support_views.quality_help, name="plan_quality_help"),
    path(pupil + "support/", support_views.pupil_support, name="support_pupil"),
    path(pupil + "passport/", support_views.passport, name="support_passport"),
    path(pupil + "parents/", support_views.parents, name="support_parents"),
    path(pupil + "parents/letters/<str:kind_key>.<str:fmt>", support_views.letter, name="support_letter"),
    path(pupil + "passport/edit/", support_views.passport_edit, name="support_passport_edit"),
    path(pupil + "passport.<str:fmt>", support_views.passport_download, name="support_passport_download"),
    path(
        pupil + "support/<int:plan_id>.<str:fmt>", support_views.plan_download, name="support_plan_download"
    ),
    path(pupil + "support/new/", support_views.plan_new, name="support_plan_new"),
    path(pupil + "support/<int:plan_id>/edit/", support_views.plan_edit, name="support_plan_edit"),
    path(pupil + "support/row/", support_views.plan_row, name="support_plan_row"),
    path(pupil + "support/quality/", support_views.plan_quality, name="support_plan_quality"),
    path(pupil + "support/<int:plan_id>/review/", support_views.plan_review, name="support_plan_review"),
    path(
        pupil + "support/outcomes/<int:outcome_id>/evidence/",
        support_views.evidence_new,
        name="support_evidence_new",
    ),
    path(
        pupil + "support/evidence/<int:evidence_id>/file",
        support_views.evidence_file,
        name="support_evidence_file",
    ),
    path(pupil, register_pupil_views.pupil, name="pupil"),
    path(pupil + "history/", pupil_views.pupil_history_view, name="pupil_history"),
    path(pupil + "status/", register_views.status_change, name="pupil_status"),
    path(pupil + "needs/", register_views.needs_edit, name="pupil_needs"),
    path(pupil + "census/", register_views.census_indicators, name="pupil_census"),
    path(
        pupil + "status/<int:status_id>/parents-informed/",
        register_views.parents_informed,
        name="parents_informed",
    ),
]

handler404 = "sencohub.kernel.errors.not_found"
handler500 = "sencohub.kernel.errors.server_error"
handler403 = "sencohub.kernel.errors.forbidden"
handler400 = "sencohub.kernel.errors.bad_request"
