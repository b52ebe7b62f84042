"""The award certificate: what it says (read back from the PDF), its QR code, and the job
that makes and stores it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from lms import jobs
from lms.accounts.models import Role
from lms.applications.models import IntakeFacilitator
from lms.assessment import storage
from lms.assessment.certificate import QR_BORDER, QR_SCALE, certificate_pdf, qr_code
from lms.assessment.models import (
    AWARD_TITLE,
    ISSUER_NAME,
    Award,
    PortfolioSubmission,
    SubmissionStatus,
)

ISSUED = datetime(2026, 3, 14, 10, 30, tzinfo=UTC)


def build_award(db, make_user, make_intake, **fields) -> Award:
    """An issued award made directly: a facilitator in an intake, their submission, and
    the award. ``language`` and ``name`` go to the person; the rest to the award."""
    user = make_user(
        Role.FACILITATOR,
        name=fields.pop("name", "Gwenllian Dŵr"),
        language=fields.pop("language", "en"),
    )
    intake_name = fields.pop("intake_name", None)
    intake = make_intake(name=intake_name) if intake_name else make_intake()
    db.session.add(IntakeFacilitator(intake_id=intake.id, user_id=user.id))
    personal = fields.pop("holder_email", f"personal.{user.id}@example.net")
    submission = PortfolioSubmission(
        user_id=user.id,
        intake_id=intake.id,
        status=SubmissionStatus.AWARDED,
        personal_email=personal,
        statement="My portfolio",
        snapshot={},
    )
    db.session.add(submission)
    db.session.flush()
    award = Award(
        user_id=user.id,
        intake_id=intake.id,
        submission_id=submission.id,
        holder_name=fields.pop("holder_name", user.name),
        holder_email=personal,
        issued_at=fields.pop("issued_at", ISSUED),
        **fields,
    )
    db.session.add(award)
    db.session.flush()
    return award


@pytest.fixture
def make_award(db, make_user, make_intake):
    def make(**fields) -> Award:
        return build_award(db, make_user, make_intake, intake_name="Gwanwyn 2026", **fields)

    return make


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    """Keep stored files in a folder of this test's own."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return tmp_path / "portfolio"


def read_back(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, text


def test_certificate_names_the_holder_award_and_how_to_check_it(make_award):
    award = make_award()

    data = certificate_pdf(award)

    assert data.startswith(b"%PDF-")
    reader, text = read_back(data)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    flat = " ".join(text.split())  # lines may wrap anywhere
    assert "Gwenllian Dŵr" in flat
    assert award.display_code in flat
    assert re.fullmatch(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}", award.display_code)
    assert award.verification_url in flat
    assert award.verification_url.endswith(f"/verify/{award.code}")
    assert "Gwanwyn 2026" in flat
    assert str(AWARD_TITLE) in flat
    assert str(ISSUER_NAME) in flat
    assert "This is to certify that" in flat
    assert "Issued on 14 March 2026" in flat
    assert "Valid until" not in flat
    assert "Scan the code or visit the address to check this award" in flat


def test_certificate_shows_when_the_award_lapses(make_award):
    award = make_award(expires_at=datetime(2029, 3, 14, 10, 30, tzinfo=UTC))

    _, text = read_back(certificate_pdf(award))

    assert "Valid until 14 March 2029" in " ".join(text.split())


def test_certificate_metadata(make_award):
    award = make_award()

    reader, _ = read_back(certificate_pdf(award))

    meta = reader.metadata
    assert meta.author == str(ISSUER_NAME)
    assert "Gwenllian Dŵr" in meta.title
    assert meta.creation_date.replace(tzinfo=UTC) == ISSUED.replace(second=0, microsecond=0)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_certificate_is_the_same_each_time(make_award):
    award = make_award()

    assert certificate_pdf(award) == certificate_pdf(award)


def test_certificate_in_welsh_for_a_welsh_speaker(make_award):
    award = make_award(
        name="Ŷr Ŵyn", language="cy", expires_at=datetime(2029, 3, 14, 10, 30, tzinfo=UTC)
    )

    reader, text = read_back(certificate_pdf(award))

    flat = " ".join(text.split())
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert len(reader.pages) == 1
    assert "Ŷr Ŵyn" in flat
    # Dates are in Welsh whether or not the catalogue has the sentences yet.
    assert "14 Mawrth 2026" in flat
    assert "14 Mawrth 2029" in flat
    assert "March" not in flat
    assert award.display_code in flat
    assert award.verification_url in flat


def test_a_very_long_name_still_fits_on_one_page(make_award):
    award = make_award(holder_name="Angharad " * 20 + "Llŷr")

    reader, text = read_back(certificate_pdf(award))

    assert len(reader.pages) == 1
    flat = " ".join(text.split())
    assert "Llŷr" in flat
    assert award.display_code in flat


def test_the_qr_code_encodes_the_verification_address(make_award):
    award = make_award()

    reader, _ = read_back(certificate_pdf(award))

    images = reader.pages[0].images
    assert len(images) == 1
    picture = images[0].image.convert("L")
    expected = qr_code(award.verification_url)
    size = len(expected.matrix)
    assert picture.size == ((size + 2 * QR_BORDER) * QR_SCALE,) * 2
    # Read the module at the middle of each cell of the picture: dark or light.
    read = [
        [
            picture.getpixel(
                (
                    (QR_BORDER + col) * QR_SCALE + QR_SCALE // 2,
                    (QR_BORDER + row) * QR_SCALE + QR_SCALE // 2,
                )
            )
            < 128
            for col in range(size)
        ]
        for row in range(size)
    ]
    assert read == [[bool(module) for module in row] for row in expected.matrix]
    # ...and that is the code of the address, not of something else.
    assert expected.matrix == qr_code(award.verification_url).matrix
    assert expected.matrix != qr_code(award.verification_url + "X").matrix


def test_make_certificate_stores_it_once(db, make_award, uploads, run_jobs):
    award = make_award()

    jobs.enqueue("lms.assessment.tasks.make_certificate", award.id)
    db.session.commit()
    run_jobs()
    db.session.expire_all()

    name = award.certificate_name
    assert name is not None and re.fullmatch(r"[0-9a-f]{32}", name)
    assert award.certificate_made_at is not None
    stored = uploads / name
    assert stored.is_file()
    assert "Gwenllian" not in name and award.code not in name
    _, text = read_back(storage.read(name))
    assert award.display_code in " ".join(text.split())
    first = stored.stat().st_mtime_ns
    made_at = award.certificate_made_at

    jobs.enqueue("lms.assessment.tasks.make_certificate", award.id)
    db.session.commit()
    run_jobs()
    db.session.expire_all()

    assert award.certificate_name == name
    assert award.certificate_made_at == made_at
    assert stored.stat().st_mtime_ns == first
    assert [p.name for p in uploads.iterdir()] == [name]


def test_make_certificate_makes_a_lost_file_again(db, make_award, uploads, run_jobs):
    award = make_award()
    jobs.enqueue("lms.assessment.tasks.make_certificate", award.id)
    db.session.commit()
    run_jobs()
    db.session.expire_all()
    lost = award.certificate_name
    storage.delete(lost)

    jobs.enqueue("lms.assessment.tasks.make_certificate", award.id)
    db.session.commit()
    run_jobs()
    db.session.expire_all()

    assert award.certificate_name != lost
    assert storage.exists(award.certificate_name)


def test_make_certificate_for_a_deleted_award_does_nothing(db, uploads, run_jobs):
    from lms.jobs import JobFailure

    failures = db.select(db.func.count(JobFailure.id))
    before = db.session.scalar(failures)

    jobs.enqueue("lms.assessment.tasks.make_certificate", 987654)
    db.session.commit()
    run_jobs()

    assert not uploads.exists() or not any(uploads.iterdir())
    assert db.session.scalar(failures) == before
