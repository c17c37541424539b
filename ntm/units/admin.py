from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Classification, Recognition, Succession, Target, Unit
from .sources import EFFECTIVE
from .text import fold


class EraFilter(admin.SimpleListFilter):
    title = _("thời kỳ")
    parameter_name = "era"

    def lookups(self, request, model_admin):
        return [("before", _("trước 1/7/2025")), ("after", _("từ 1/7/2025"))]

    def queryset(self, request, queryset):
        if self.value() == "before":
            return queryset.filter(valid_to__lt=EFFECTIVE)
        if self.value() == "after":
            return queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=EFFECTIVE))
        return queryset


class SuccessionInline(admin.TabularInline):
    model = Succession
    fk_name = "predecessor"
    raw_id_fields = ["successor"]
    extra = 0
    verbose_name = _("đơn vị kế thừa")
    verbose_name_plural = _("đơn vị kế thừa")


_CLASSIFICATION_FIELDS = ("attribute", "value", "decision_number", "decision_date", "decision_issuer", "valid_from",
                          "valid_to", "superseded_at", "recorded_by", "recorded_at", "note")


class ClassificationInline(admin.TabularInline):
    model = Classification
    fk_name = "unit"
    extra = 0
    can_delete = False
    fields = _CLASSIFICATION_FIELDS
    readonly_fields = _CLASSIFICATION_FIELDS  # history: nothing edited here
    verbose_name = _("phân loại theo quyết định")
    verbose_name_plural = _("lịch sử phân loại theo quyết định")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["full_name", "key", "kind", "parent", "region", "commune_group",
                    "specially_disadvantaged", "mountain", "island", "coastal", "valid_from", "valid_to"]
    # Region, group and flags change only with a decision (units.actions.classify, the province's
    # classification page /units/<province>/classification/), which keeps their history and re-evaluates.
    list_filter = ["kind", EraFilter, "region", "commune_group", "specially_disadvantaged", "mountain", "island",
                   "coastal", "division_type"]
    search_fields = ["key", "code", "name", "search_name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    readonly_fields = ["search_name", "region", "commune_group", "specially_disadvantaged", "mountain", "island",
                       "coastal"]
    inlines = [SuccessionInline, ClassificationInline]
    list_per_page = 100

    def get_search_results(self, request, queryset, search_term):
        # Diacritics-free search: "que my thanh" finds "Quê Mỹ Thạnh".
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            found |= queryset.filter(search_name__contains=fold(search_term))
        return found, may_have_duplicates


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "effective", "partial", "source"]
    list_filter = ["effective", "partial", "predecessor__kind"]
    search_fields = ["predecessor__search_name", "predecessor__key",
                     "successor__search_name", "successor__key"]
    list_select_related = ["predecessor", "successor"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["unit", "level", "year", "basis", "is_demo"]
    list_filter = ["level", "year", "is_demo"]
    search_fields = ["unit__search_name", "unit__key", "basis"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["unit", "level", "year", "decision", "revoked_on", "is_demo"]
    list_filter = ["level", "year", "is_demo"]
    search_fields = ["unit__search_name", "unit__key", "decision"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]
