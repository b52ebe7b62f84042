"""Uploaded evidence: the type read from the content, the size limit, random storage names
outside the web root, who may download and delete, and the frozen portfolio."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from flask import url_for
from PIL import Image  # installed with fpdf2, which draws the certificates
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart

from lms.accounts.models import Role
from lms.assessment import filetypes, storage, uploads
from lms.assessment.models import (
    EvidenceUpload,
    PortfolioSubmission,
    ShowcaseItem,
    SubmissionStatus,
)
from lms.assessment.uploads import UploadError
from lms.audit import AuditEvent
from lms.curriculum.services import join_intake
from lms.extensions import db
from lms.supervision import services as supervision

NEW = "/portfolio/evidence/new"
DESCRIPTION = "DESCRIPTION-TEXT my reflective account of the third session"


# --- Real files, made in memory ------------------------------------------------------------


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def image_bytes(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), (0, 94, 184)).save(out, kind)
    return out.getvalue()


def zip_bytes(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                'package/2006/content-types"/>'
            ),
            "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
            "word/document.xml": '<?xml version="1.0"?><w:document/>',
        }
    )


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
PDF = pdf_bytes()
DOCX = docx_bytes()


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path):
    """Files go to a folder of this test's own, so nothing is left behind."""
    before = app.config["UPLOAD_FOLDER"]
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    yield tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = before


@pytest.fixture
def small_limit(app):
    before = app.config["EVIDENCE_MAX_MB"]
    app.config["EVIDENCE_MAX_MB"] = 1
    yield 1
    app.config["EVIDENCE_MAX_MB"] = before


@pytest.fixture
def intake(make_intake):
    return make_intake(name="Portfolio intake")


@pytest.fixture
def owner(make_user, intake):
    user = make_user(Role.FACILITATOR, name="Olu Owner")
    join_intake(intake, user)
    return user


@pytest.fixture
def lead(make_user):
    return make_user(Role.LEAD, name="Lena Lead")


@pytest.fixture
def supervisor(make_user, intake, owner, lead):
    person = make_user(Role.SUPERVISOR, name="Sam Supervisor")
    supervision.create_group(intake, "Group A", person, [owner], by=lead)
    return person


@pytest.fixture
def upload(owner):
    return uploads.add_upload(owner, PDF, "My reflection.pdf", DESCRIPTION, ["reflect"])


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def post_upload(client, data: bytes | None, filename: str = "evidence.pdf", **fields):
    form = MultiDict(
        [
            ("description", fields.get("description", DESCRIPTION)),
            *[("outcomes", code) for code in fields.get("outcomes", ["inquiry", "reflect"])],
        ]
    )
    if data is not None:
        form.add("file", FileStorage(io.BytesIO(data), filename))
    # Encoded here in memory: the test client would spool a large body to a temporary file
    # it never closes.
    stream, length, boundary = stream_encode_multipart(form, use_tempfile=False)
    return client.post(
        NEW,
        input_stream=stream,
        content_length=length,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def freeze(person, intake) -> PortfolioSubmission:
    submission = PortfolioSubmission(
        user_id=person.id,
        intake_id=intake.id,
        status=SubmissionStatus.SUBMITTED,
        personal_email="olu@example.com",
    )
    db.session.add(submission)
    db.session.flush()
    return submission


def text_of(response) -> str:
    return response.get_data(as_text=True)


# --- Sniffing (no app, no database) --------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, filetypes.PDF),
        (PNG, filetypes.PNG),
        (JPEG, filetypes.JPEG),
        (DOCX, filetypes.DOCX),
    ],
)
def test_each_allowed_type_is_known_by_its_content(data, expected):
    assert filetypes.sniff(data) == expected
    assert filetypes.extension(expected) in {"pdf", "png", "jpg", "docx"}
    assert expected in filetypes.ALLOWED


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is plain text pretending to be a PDF",
        b"<html><script>alert(1)</script></html>",
        b"GIF89a\x01\x00\x01\x00",
        b" %PDF-1.4 with a space first",
        zip_bytes({"notes.txt": "just a zip"}),
        zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
        b"PK\x03\x04 but not really a zip at all",
        DOCX[: len(DOCX) // 2],  # cut short: no central directory
    ],
    ids=["empty", "text", "html", "gif", "late-magic", "zip", "xlsx", "fake-zip", "cut-docx"],
)
def test_anything_else_is_not_a_known_type(data):
    assert filetypes.sniff(data) is None


def test_the_docx_check_never_extracts(monkeypatch):
    def no_reading(*args, **kwargs):
        raise AssertionError("extracted a member")

    monkeypatch.setattr(zipfile.ZipFile, "read", no_reading)
    monkeypatch.setattr(zipfile.ZipFile, "open", no_reading)
    assert filetypes.sniff(DOCX) == filetypes.DOCX


# --- The service ---------------------------------------------------------------------------


def test_a_png_named_pdf_is_stored_as_a_png(owner, upload_folder):
    added = uploads.add_upload(owner, PNG, "scan.pdf", DESCRIPTION, ["inquiry"])
    assert added.content_type == filetypes.PNG
    assert added.filename == "scan.pdf"  # what they called it, for display only
    assert added.size == len(PNG)
    assert uploads.download_name(added) == "scan.png"
    assert storage.read(added.storage_name) == PNG


def test_the_storage_name_is_random_and_outside_the_web_root(app, owner, upload_folder):
    first = uploads.add_upload(owner, PDF, "same.pdf", DESCRIPTION, ["reflect"])
    second = uploads.add_upload(owner, PDF, "same.pdf", DESCRIPTION, ["reflect"])
    for added in (first, second):
        assert re.fullmatch(r"[0-9a-f]{32}", added.storage_name)
        assert "same" not in added.storage_name
        path = storage.path_for(added.storage_name).resolve()
        assert path.is_file()
        assert path.is_relative_to(upload_folder.resolve())
        assert not path.is_relative_to(Path(app.static_folder).resolve())
        assert path.read_bytes() == PDF
    assert first.storage_name != second.storage_name
    assert len(stored_files(upload_folder)) == 2


def test_an_upload_keeps_known_outcomes_in_order_and_is_audited(owner):
    added = uploads.add_upload(
        owner, DOCX, "plan.docx", "  A session plan  ", ["reflect", "nonsense", "inquiry"]
    )
    assert added.outcomes == ["inquiry", "reflect"]
    assert added.description == "A session plan"
    event = db.session.scalar(
        db.select(AuditEvent).where(
            AuditEvent.action == "evidence.uploaded", AuditEvent.subject_id == added.id
        )
    )
    assert event.actor_id == owner.id
    assert event.detail["content_type"] == filetypes.DOCX


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("C:\\Users\\olu\\Documents\\report.pdf", "report.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("  spaced.pdf  ", "spaced.pdf"),
        ("tab\there\x00.pdf", "tabhere.pdf"),
        ("", "evidence.pdf"),
        ("x" * 300 + ".pdf", "x" * 255),
    ],
)
def test_the_original_name_is_kept_for_display_only(filename, shown):
    assert uploads.display_name(filename, filetypes.PDF) == shown


@pytest.mark.parametrize(
    ("data", "description", "codes", "field"),
    [
        (b"just text", DESCRIPTION, ["reflect"], "file"),
        (zip_bytes({"a.txt": "a"}), DESCRIPTION, ["reflect"], "file"),
        (b"", DESCRIPTION, ["reflect"], "file"),
        (PDF, "   ", ["reflect"], "description"),
        (PDF, "x" * 1001, ["reflect"], "description"),
        (PDF, DESCRIPTION, [], "outcomes"),
        (PDF, DESCRIPTION, ["not-an-outcome"], "outcomes"),
    ],
)
def test_refusals_write_nothing(owner, upload_folder, data, description, codes, field):
    with pytest.raises(UploadError) as refused:
        uploads.add_upload(owner, data, "f.pdf", description, codes)
    assert refused.value.field == field
    assert db.session.scalars(db.select(EvidenceUpload)).all() == []
    assert stored_files(upload_folder) == []


def test_every_problem_is_reported_at_once(owner):
    with pytest.raises(UploadError) as refused:
        uploads.add_upload(owner, b"text", "f.pdf", "", [])
    assert [field for field, _message in refused.value.problems] == [
        "file",
        "description",
        "outcomes",
    ]


def test_the_size_limit_comes_from_config(owner, small_limit, upload_folder):
    exactly = PNG + b"\0" * (1024 * 1024 - len(PNG))
    assert uploads.add_upload(owner, exactly, "big.png", DESCRIPTION, ["reflect"]).size == (
        1024 * 1024
    )
    with pytest.raises(UploadError, match="smaller than 1MB") as refused:
        uploads.add_upload(owner, exactly + b"\0", "bigger.png", DESCRIPTION, ["reflect"])
    assert refused.value.field == "file"
    assert len(stored_files(upload_folder)) == 1


def test_a_frozen_portfolio_refuses_uploads_and_deletions(owner, intake, upload, upload_folder):
    freeze(owner, intake)
    with pytest.raises(UploadError, match="submitted for review"):
        uploads.add_upload(owner, PNG, "more.png", DESCRIPTION, ["reflect"])
    with pytest.raises(UploadError, match="submitted for review"):
        uploads.delete_upload(upload, owner)
    assert db.session.get(EvidenceUpload, upload.id) is not None
    assert len(stored_files(upload_folder)) == 1


def test_only_the_owner_may_delete(owner, upload, make_user, lead):
    other = make_user(Role.FACILITATOR)
    for person in (other, lead):
        with pytest.raises(UploadError):
            uploads.delete_upload(upload, person)
    assert db.session.get(EvidenceUpload, upload.id) is not None


def test_deleting_removes_the_row_the_showcase_pick_and_the_file(owner, upload, upload_folder):
    db.session.add(ShowcaseItem(user_id=owner.id, source="uploads", ref=upload.id))
    db.session.add(ShowcaseItem(user_id=owner.id, source="reflections", ref=upload.id))
    db.session.flush()
    path = storage.path_for(upload.storage_name)
    upload_id = upload.id
    uploads.delete_upload(upload, owner)
    assert db.session.get(EvidenceUpload, upload_id) is None
    assert not path.exists()
    left = db.session.scalars(db.select(ShowcaseItem.source)).all()
    assert left == ["reflections"]  # only the pick of this upload goes
    assert db.session.scalar(
        db.select(AuditEvent.id).where(
            AuditEvent.action == "evidence.deleted", AuditEvent.subject_id == upload_id
        )
    )


# --- The upload page -----------------------------------------------------------------------


def test_the_page_explains_the_limits(login, owner):
    page = text_of(login(owner).get(NEW))
    assert 'enctype="multipart/form-data"' in page
    assert "A PDF, Word document (DOCX), PNG or JPEG, smaller than 10MB." in page
    for code in ("understand", "contract", "process", "inquiry", "dynamics", "actions"):
        assert f'value="{code}"' in page


def test_uploading_adds_the_file_and_goes_to_the_portfolio(login, owner, upload_folder):
    client = login(owner)
    response = post_upload(client, JPEG, "photo of flipchart.jpeg")
    assert response.status_code == 302
    assert response.headers["Location"] == url_for("assessment.portfolio", _external=False)
    added = db.session.scalar(db.select(EvidenceUpload))
    assert added.owner_id == owner.id
    assert added.content_type == filetypes.JPEG
    assert added.filename == "photo of flipchart.jpeg"
    assert added.outcomes == ["inquiry", "reflect"]
    assert added.description == DESCRIPTION
    assert stored_files(upload_folder) == [storage.path_for(added.storage_name)]


def test_a_text_file_named_pdf_is_refused(login, owner, upload_folder):
    response = post_upload(login(owner), b"%PD not quite a PDF", "notes.pdf")
    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page
    assert "The selected file must be a PDF, Word document (DOCX), PNG or JPEG" in page
    assert 'href="#file"' in page
    assert db.session.scalars(db.select(EvidenceUpload)).all() == []
    assert stored_files(upload_folder) == []


def test_a_zip_that_is_not_a_word_document_is_refused(login, owner):
    response = post_upload(login(owner), zip_bytes({"a.txt": "a"}), "report.docx")
    assert response.status_code == 400
    assert "must be a PDF, Word document (DOCX), PNG or JPEG" in text_of(response)
    assert db.session.scalars(db.select(EvidenceUpload)).all() == []


def test_an_oversized_file_is_refused_and_the_rest_of_the_form_is_kept(
    login, owner, small_limit, upload_folder
):
    big = PNG + b"\0" * (1024 * 1024)
    response = post_upload(
        login(owner),
        big,
        "huge.png",
        description="Kept <b>as typed</b></textarea><script>x()</script>",
        outcomes=["contract"],
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "The selected file must be smaller than 1MB" in page
    assert "Kept &lt;b&gt;as typed&lt;/b&gt;&lt;/textarea&gt;&lt;script&gt;" in page
    assert "<script>x()" not in page
    assert re.search(r'value="contract"[^>]*checked', page)
    assert not re.search(r'value="inquiry"[^>]*checked', page)
    assert "select the file again" not in page  # the file itself is what needs changing
    assert db.session.scalars(db.select(EvidenceUpload)).all() == []
    assert stored_files(upload_folder) == []


def test_no_file_and_no_outcomes_show_every_error(login, owner):
    response = post_upload(login(owner), None, outcomes=[])
    assert response.status_code == 400
    page = text_of(response)
    assert "Select a file" in page
    assert "Select at least one learning outcome" in page
    assert DESCRIPTION in page


def test_a_good_file_with_a_missing_description_asks_for_the_file_again(login, owner):
    response = post_upload(login(owner), PDF, "ok.pdf", description="")
    assert response.status_code == 400
    page = text_of(response)
    assert "Enter a description of the evidence" in page
    assert "select the file again" in page
    assert db.session.scalars(db.select(EvidenceUpload)).all() == []


def test_a_frozen_portfolio_shows_no_form_and_refuses_a_post(login, owner, intake, upload_folder):
    freeze(owner, intake)
    client = login(owner)
    page = text_of(client.get(NEW))
    assert "Your portfolio has been submitted for review" in page
    assert 'type="file"' not in page
    response = post_upload(client, PDF)
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert db.session.scalars(db.select(EvidenceUpload)).all() == []
    assert stored_files(upload_folder) == []


@pytest.mark.parametrize(
    "role", [Role.LEAD, Role.SUPERVISOR, Role.TRAINEE, Role.REVIEWER, Role.ADMIN, Role.APPLICANT]
)
def test_only_facilitators_may_upload(login_as, role):
    client = login_as(role)
    assert client.get(NEW).status_code == 403
    assert post_upload(client, PDF).status_code == 403
    assert db.session.scalars(db.select(EvidenceUpload)).all() == []


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


# --- Downloading ---------------------------------------------------------------------------


def download_url(upload) -> str:
    return f"/portfolio/evidence/{upload.id}"


@pytest.mark.parametrize("who", ["owner", "lead", "supervisor"])
def test_people_who_may_see_the_portfolio_can_download(request, login, upload, who):
    person = request.getfixturevalue(who)
    response = login(person).get(download_url(upload))
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == filetypes.PDF
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "My_reflection.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Expires" not in response.headers


def test_a_download_gets_the_extension_of_its_content(login, owner):
    added = uploads.add_upload(owner, PNG, "diagram.pdf", DESCRIPTION, ["process"])
    response = login(owner).get(download_url(added))
    assert response.mimetype == filetypes.PNG
    assert re.search(r'filename="?diagram\.png"?$', response.headers["Content-Disposition"])


@pytest.mark.parametrize("who", ["other_supervisor", "other_facilitator", "former_supervisor"])
def test_others_who_might_see_portfolios_get_not_found(
    login, make_user, intake, owner, lead, upload, who
):
    if who == "other_supervisor":
        person = make_user(Role.SUPERVISOR)
        other = make_user(Role.FACILITATOR)
        join_intake(intake, other)
        supervision.create_group(intake, "Group B", person, [other], by=lead)
    elif who == "former_supervisor":
        person = make_user(Role.SUPERVISOR)
        supervision.create_group(intake, "Group C", person, [owner], by=lead)
        supervision.move_member(intake, owner, None, lead)  # left the group
    else:
        person = make_user(Role.FACILITATOR)
    response = login(person).get(download_url(upload))
    assert response.status_code == 404
    refusal = db.session.scalar(
        db.select(AuditEvent).where(
            AuditEvent.action == "access.refused", AuditEvent.actor_id == person.id
        )
    )
    assert refusal.detail["status"] == 404


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.REVIEWER, Role.ADMIN, Role.APPLICANT])
def test_roles_without_portfolio_access_are_refused(login_as, upload, role):
    response = login_as(role).get(download_url(upload))
    assert response.status_code == 403
    assert response.data != PDF


def test_an_unknown_upload_is_not_found(login, owner, upload):
    assert login(owner).get(f"/portfolio/evidence/{upload.id + 1000}").status_code == 404


def test_a_missing_file_is_not_found(login, owner, upload):
    storage.delete(upload.storage_name)
    assert login(owner).get(download_url(upload)).status_code == 404


def test_anonymous_downloads_are_sent_to_sign_in(client, upload):
    response = client.get(download_url(upload))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


# --- Deleting ------------------------------------------------------------------------------


def delete_url(upload) -> str:
    return f"/portfolio/evidence/{upload.id}/delete"


def test_the_owner_confirms_then_deletes(login, owner, upload, upload_folder):
    client = login(owner)
    page = text_of(client.get(delete_url(upload)))
    assert "Delete this evidence" in page
    assert "My reflection.pdf" in page
    assert DESCRIPTION in page
    assert "Reflect on your own practice" in page
    assert "nhsuk-button--warning" in page
    upload_id = upload.id
    response = client.post(delete_url(upload))
    assert response.status_code == 302
    assert response.headers["Location"] == url_for("assessment.portfolio", _external=False)
    assert db.session.get(EvidenceUpload, upload_id) is None
    assert stored_files(upload_folder) == []


def test_the_confirm_page_escapes_what_people_typed(login, owner):
    added = uploads.add_upload(
        owner, PNG, '<img src="x">.png', "<script>alert(1)</script>", ["reflect"]
    )
    page = text_of(login(owner).get(delete_url(added)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert '<img src="x">' not in page


def test_other_facilitators_cannot_tell_an_upload_exists(login, make_user, upload):
    client = login(make_user(Role.FACILITATOR))
    assert client.get(delete_url(upload)).status_code == 404
    assert client.post(delete_url(upload)).status_code == 404
    assert db.session.get(EvidenceUpload, upload.id) is not None


@pytest.mark.parametrize("who", ["lead", "supervisor"])
def test_people_who_read_the_portfolio_cannot_delete_from_it(
    request, login, upload, upload_folder, who
):
    client = login(request.getfixturevalue(who))
    assert client.get(delete_url(upload)).status_code == 403
    assert client.post(delete_url(upload)).status_code == 403
    assert db.session.get(EvidenceUpload, upload.id) is not None
    assert len(stored_files(upload_folder)) == 1


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.REVIEWER, Role.ADMIN, Role.APPLICANT])
def test_other_roles_cannot_delete(login_as, upload, role):
    client = login_as(role)
    assert client.get(delete_url(upload)).status_code == 403
    assert client.post(delete_url(upload)).status_code == 403
    assert db.session.get(EvidenceUpload, upload.id) is not None


def test_anonymous_deletes_are_sent_to_sign_in(client, upload):
    response = client.post(delete_url(upload))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert db.session.get(EvidenceUpload, upload.id) is not None


def test_deleting_from_a_frozen_portfolio_is_refused(login, owner, intake, upload, upload_folder):
    freeze(owner, intake)
    client = login(owner)
    page = text_of(client.get(delete_url(upload)))
    assert "submitted for review" in page
    assert "nhsuk-button--warning" not in page
    response = client.post(delete_url(upload))
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert db.session.get(EvidenceUpload, upload.id) is not None
    assert len(stored_files(upload_folder)) == 1


def test_an_unknown_upload_cannot_be_deleted(login, owner):
    assert login(owner).get("/portfolio/evidence/999999/delete").status_code == 404
