"""Private questions ("Ask this expert"): the form, a person's list, a conversation and its
reply. Thin: parse, call one service or selector, render. Only the two people of a
conversation reach its page; everyone else, staff included, gets the 404 of a missing one.

Refused or invalid input re-renders the form with what was typed (the browser's draft is kept
too until the server has the text).
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import privacy
from accounts.selectors import user_get_profile
from core import markup, permissions
from core.context_processors import mark_draft_sent
from core.forms import add_service_errors
from core.permissions import Action, Refusal
from forums.forms import QuestionForm, QuestionReplyForm
from forums.rules import reachable
from forums.selectors import questions as selectors
from forums.services import questions as services


def _status_of(refusal: Refusal) -> HTTPStatus:
    return HTTPStatus.TOO_MANY_REQUESTS if refusal.code == "throttled" else HTTPStatus.FORBIDDEN


@login_required
def question_ask(request: HttpRequest, username: str) -> HttpResponse:
    draft_key = f"ask-{username}"  # as the template names the text area's draft
    form = QuestionForm(
        request.POST or None, initial={"community": request.GET.get("community", "")}
    )
    try:
        person = user_get_profile(username=username, viewer=request.user)
    except Http404:
        if request.method != "POST":
            raise
        # Gone, or hidden from the asker, since the form was opened: the text is not lost.
        # A hidden profile reads as a missing one, so the page names nobody.
        return render(
            request, "forums/question_ask.html", {"form": form}, status=HTTPStatus.NOT_FOUND
        )
    refusal = permissions.refusal(request.user, Action.QUESTION_ASK, None, person)
    status = HTTPStatus.FORBIDDEN if refusal is not None else HTTPStatus.OK
    preview = None
    if request.method == "POST":
        status = HTTPStatus.OK
        if form.is_valid():
            if "preview" in request.POST:
                preview = markup.render(form.cleaned_data["body"])
            else:
                try:
                    question = services.question_ask(
                        asker=request.user,
                        expert=person,
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                        language=form.cleaned_data["language"],
                        community=form.cleaned_data["community"],
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                except Refusal as exc:
                    form.add_error(None, exc.message)
                    status = _status_of(exc)
                else:
                    mark_draft_sent(request, draft_key)
                    messages.success(
                        request,
                        _("Your question was sent. %(name)s has been notified.")
                        % {"name": person.name},
                    )
                    return redirect(question)
        if status == HTTPStatus.OK and form.errors:
            status = HTTPStatus.UNPROCESSABLE_ENTITY
    return render(
        request,
        "forums/question_ask.html",
        {"person": person, "form": form, "refused": refusal, "preview": preview},
        status=status,
    )


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    box = request.GET.get("box", "")
    if box not in selectors.QUESTION_BOXES:
        box = ""
    questions = selectors.question_list(user=request.user, box=box)
    page = Paginator(questions, selectors.QUESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    for question in page.object_list:
        question.other = question.other_side(request.user)
    return render(
        request,
        "forums/question_list.html",
        {
            "page": page,
            "box": box,
            "boxes": [
                ("", _("All")),
                ("asked", _("Asked by you")),
                ("received", _("Asked of you")),
            ],
            "query_string": f"box={box}" if box else "",
        },
    )


def _detail(request: HttpRequest, question, form: QuestionReplyForm, status=HTTPStatus.OK):
    other = question.other_side(request.user)
    return render(
        request,
        "forums/question_detail.html",
        {
            "question": question,
            "conversation": selectors.question_messages(question=question),
            "other": other,
            # Link their name only to a page that exists for the reader.
            "other_visible": reachable(other)
            and privacy.profile_visible(viewer=request.user, person=other),
            # Messages after this number are new to the reader (marked read after rendering).
            "read_before": question.read_number_of(request.user),
            "form": form,
            "reply_refusal": permissions.refusal(
                request.user, Action.QUESTION_REPLY, None, question
            ),
        },
        status=status,
    )


@login_required
def question_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.question_get_for_participant(user=request.user, question_id=question_id)
    response = _detail(request, question, QuestionReplyForm())
    # After rendering, so that the page still marks what was new to this reader.
    services.question_mark_read(question=question, user=request.user)
    return response


@login_required
@require_POST
def question_reply(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.question_get_for_participant(user=request.user, question_id=question_id)
    draft_key = f"question-{question.pk}"  # as the template names the text area's draft
    form = QuestionReplyForm(request.POST)
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    if form.is_valid():
        try:
            message = services.question_reply(
                question=question, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Refusal as exc:
            form.add_error(None, exc.message)
            status = _status_of(exc)
        else:
            mark_draft_sent(request, draft_key)
            return redirect(message.get_absolute_url())
    return _detail(request, question, form, status=status)
