"""Import pages: upload an export, preview it, dry-run, apply, download the problems."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.connectors import queries, uploads
from accord.connectors.forms import ApplyForm, UploadForm
from accord.connectors.models import ImportUpload, UploadStatus
from accord.directory.access import person_for_user

FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the other fields


@login_required
def index(request: HttpRequest) -> HttpResponse:
    queries.require_importer(request.user)
    form, status = UploadForm(), 200
    if request.method == "POST":
        if _declared_size(request) > uploads.upload_limit() + FORM_OVERHEAD:
            # Refused before the body is read: nothing of it reaches the disk.
            size, limit = _declared_size(request), uploads.upload_limit()
            form.add_error(None, uploads.TOO_LARGE.format(size=size, limit=limit))
            status = 413
        else:
            form = UploadForm(request.POST, request.FILES)
            upload = _store(request, form) if form.is_valid() else None
            if upload is not None:
                return redirect("connectors:upload", pk=upload.pk)
            status = 400
    context = {
        "form": form,
        "limit": uploads.upload_limit(),
        "uploads": queries.uploads_for_user(request.user)[: queries.RECENT],
        "runs": queries.runs_for_user(request.user)[: queries.RECENT],
    }
    return render(request, "connectors/index.html", context, status=status)


def _declared_size(request: HttpRequest) -> int:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    return int(declared) if declared.isdigit() else 0


def _store(request: HttpRequest, form: UploadForm) -> ImportUpload | None:
    file = form.cleaned_data["file"]
    try:
        return uploads.upload_store(
            name=file.name,
            size=file.size,
            chunks=file.chunks(),
            person=person_for_user(request.user),
            vendor=form.cleaned_data["format"],
        )
    except uploads.UploadProblem as exc:
        form.add_error("file", str(exc))
        return None


@login_required
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = queries.upload_get_for_user(request.user, pk)
    context = {
        "upload": upload,
        "preview": uploads.upload_preview(upload),
        "counts": upload.dry_run,
        "errors_file": uploads.upload_errors_path(upload) is not None,
        "apply_form": ApplyForm(),
        "may_apply": upload.status in (UploadStatus.READY, UploadStatus.REJECTED),
    }
    return render(request, "connectors/upload.html", context)


@login_required
@require_POST
def upload_dry_run(request: HttpRequest, pk: int) -> HttpResponse:
    upload = queries.upload_get_for_user(request.user, pk)
    try:
        uploads.upload_dry_run(upload)
    except uploads.UploadProblem as exc:
        messages.error(request, str(exc))
    return redirect("connectors:upload", pk=pk)


@login_required
@require_POST
def upload_apply(request: HttpRequest, pk: int) -> HttpResponse:
    upload = queries.upload_get_for_user(request.user, pk)
    form = ApplyForm(request.POST)
    skip = form.is_valid() and form.cleaned_data["skip_invalid"]
    try:
        upload = uploads.upload_apply(upload, skip_invalid=skip)
    except uploads.UploadProblem as exc:
        messages.error(request, str(exc))
        return redirect("connectors:upload", pk=pk)
    if upload.status == UploadStatus.APPLIED and upload.run_id:
        return redirect("connectors:run", pk=upload.run_id)
    return redirect("connectors:upload", pk=pk)


@login_required
@require_POST
def upload_discard(request: HttpRequest, pk: int) -> HttpResponse:
    upload = queries.upload_get_for_user(request.user, pk)
    uploads.upload_discard(upload)
    messages.success(request, f"{upload.file_name} was removed from the server.")
    return redirect("connectors:index")


@login_required
def upload_errors(request: HttpRequest, pk: int) -> FileResponse:
    upload = queries.upload_get_for_user(request.user, pk)
    path = uploads.upload_errors_path(upload)
    if path is None:
        raise Http404("This upload has no error report.")
    name = f"{upload.file_name.rsplit('.', 1)[0]}.errors.csv"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="text/csv")


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = queries.run_get_for_user(request.user, pk)
    matched = [(kind, pk) for kind, pk in run.details.get("matched", [])]
    kept = sorted(run.details.get("kept", {}).items())
    upload = getattr(run, "upload", None)
    context = {"run": run, "upload": upload, "matched": matched, "kept": kept}
    return render(request, "connectors/run.html", context)


@login_required
def record_origins(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record, origins = queries.record_origins_for_user(request.user, kind, pk)
    context = {"record": record, "kind": kind, "origins": origins}
    return render(request, "connectors/record.html", context)
