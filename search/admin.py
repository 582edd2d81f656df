"""The thesaurus in the admin: moderators add concepts and edit synonyms without a deploy.

A concept from the reviewed file that is edited here is marked ``edited`` and no longer
overwritten when the file is loaded again; every save makes each process recompile the
thesaurus before its next query.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import line_clean
from search import thesaurus
from search.models import ThesaurusConcept, ThesaurusTerm
from search.normalize import query_terms


class TermForm(forms.ModelForm):
    class Meta:
        model = ThesaurusTerm
        fields = ("language", "text", "position")

    def clean_text(self):
        text = line_clean(self.cleaned_data["text"])
        if not query_terms(text):
            raise forms.ValidationError(
                _("This term has no word search can use (only stop words or symbols).")
            )
        return text


class TermInline(admin.TabularInline):
    model = ThesaurusTerm
    form = TermForm
    extra = 3
    ordering = ("language", "position")


@admin.register(ThesaurusConcept)
class ThesaurusConceptAdmin(admin.ModelAdmin):
    inlines = (TermInline,)
    list_display = ("key", "kazakh", "russian", "english", "source", "edited", "updated")
    list_filter = ("source", "edited")
    search_fields = ("key", "terms__text")
    readonly_fields = ("source", "edited", "updated")
    # Deleting a concept of the file brings it back at the next load; emptying its terms
    # retires it for good (an edited concept is never reloaded).

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("terms")

    def _terms(self, concept, language):
        return " | ".join(t.text for t in concept.terms.all() if t.language == language)

    @admin.display(description=gettext_lazy("Kazakh"))
    def kazakh(self, concept):
        return self._terms(concept, "kk")

    @admin.display(description=gettext_lazy("Russian"))
    def russian(self, concept):
        return self._terms(concept, "ru")

    @admin.display(description=gettext_lazy("English"))
    def english(self, concept):
        return self._terms(concept, "en")

    def save_model(self, request, obj, form, change):
        if change and obj.source == ThesaurusConcept.Source.FILE:
            obj.edited = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            ThesaurusConcept.objects.filter(pk=form.instance.pk).update(
                edited=form.instance.source == ThesaurusConcept.Source.FILE or form.instance.edited
            )
        thesaurus.changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        thesaurus.changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        thesaurus.changed()
