"""Documents: type checked by content, size limit, unguessable storage, download only through
the access check with safe headers; and who reaches which document."""

import hashlib
import io
import re
import struct
import zipfile
import zlib

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve, reverse

from casework import uploads
from clients import forms, services
from clients.models import Document, DocumentKind
from tests.factories import DocumentFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- Small valid files, built here ----------------------------------------------------------


def pdf_bytes(padding: int = 0) -> bytes:
    """A one-page PDF with a correct cross-reference table (and optional comment padding)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    if padding:
        out += b"%" + b"x" * padding + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_bytes() -> bytes:
    """A 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def heic_bytes() -> bytes:
    ftyp = struct.pack(">I", 24) + b"ftyp" + b"heic" + b"\x00\x00\x00\x00" + b"mif1heic"
    return ftyp + b"\x00" * 16


def ooxml_bytes(main_part: str, main_type: str) -> bytes:
    """A Word or Excel package: content types first, then the relationships and the part."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/officeDocument" Target="{main_part}"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr(main_part, '<?xml version="1.0" encoding="UTF-8"?><document/>')
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return ooxml_bytes(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    )


def xlsx_bytes() -> bytes:
    return ooxml_bytes(
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    )


def docm_bytes() -> bytes:
    return ooxml_bytes(
        "word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"
    )


def odf_bytes(mimetype: str) -> bytes:
    """An OpenDocument package: the ``mimetype`` file first and uncompressed, as ODF requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "ahoj")
    return buffer.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 57
HTML = b"<!DOCTYPE html><html><body><script>alert('x')</script></body></html>"
HTML_AFTER_TEXT = b"Dobry den\n<script>document.location='https://example.com'</script>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'
TEXT_UTF8 = "Dobrý den,\nposílám rozpis splátek.\nS pozdravem Anna".encode()
TEXT_CP1250 = "Žádost o splátkový kalendář".encode("cp1250")


# --- casework.uploads: the type from the content --------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(pdf_bytes(), uploads.PDF, id="pdf"),
        pytest.param(png_bytes(), uploads.PNG, id="png"),
        pytest.param(jpeg_bytes(), uploads.JPEG, id="jpeg"),
        pytest.param(heic_bytes(), uploads.HEIC, id="heic"),
        pytest.param(docx_bytes(), uploads.DOCX, id="docx"),
        pytest.param(xlsx_bytes(), uploads.XLSX, id="xlsx"),
        pytest.param(odf_bytes(uploads.ODT), uploads.ODT, id="odt"),
        pytest.param(odf_bytes(uploads.ODS), uploads.ODS, id="ods"),
        pytest.param(TEXT_UTF8, uploads.TEXT, id="text-utf8"),
        pytest.param(TEXT_CP1250, uploads.TEXT, id="text-windows-1250"),
        pytest.param(EXE, None, id="windows-program"),
        pytest.param(ELF, None, id="linux-program"),
        pytest.param(HTML, None, id="html"),
        pytest.param(HTML_AFTER_TEXT, None, id="script-after-text"),
        pytest.param(SVG, None, id="svg"),
        pytest.param(docm_bytes(), None, id="word-with-macros"),
        pytest.param(odf_bytes("application/vnd.oasis.opendocument.graphics"), None, id="odg"),
        pytest.param(zip_bytes(), None, id="plain-zip"),
        pytest.param(b"PK\x03\x04broken", None, id="broken-zip"),
        pytest.param(b"GIF89a\x01\x00\x01\x00", None, id="gif"),
        pytest.param(b"\x00\x01\x02binary", None, id="binary"),
    ],
)
def test_detect_content_type(content, expected):
    file = io.BytesIO(content)
    file.seek(5)

    detected = uploads.detect_content_type(file)

    assert (detected, file.tell()) == (expected, 0)


def test_allowed_type_names():
    assert uploads.allowed_type_names() == "PDF, JPEG, PNG, HEIC, DOCX, XLSX, ODT, ODS, TXT"


# --- Uploading ------------------------------------------------------------------------------


def upload(client, client_record, name, content, **fields):
    data = {"title": "", "kind": DocumentKind.DECISION, "project": ""}
    data.update(fields)
    data["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(reverse("clients:document_upload", args=[client_record.pk]), data)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Rozsudek okresního soudu.pdf", pdf_bytes(), uploads.PDF),
        ("fotka výzvy.png", png_bytes(), uploads.PNG),
        ("Splátkový kalendář.docx", docx_bytes(), uploads.DOCX),
    ],
)
def test_upload_stores_the_file_and_its_facts(
    client, worker_a, client_a, name, content, content_type
):
    client.force_login(worker_a)

    response = upload(client, client_a, name, content)

    document = Document.objects.get()
    assert response.url == client_a.get_absolute_url()
    assert (
        document.client,
        document.original_name,
        document.title,
        document.kind,
        document.content_type,
        document.size,
        document.sha256,
        document.uploaded_by,
    ) == (
        client_a,
        name,
        name.rsplit(".", 1)[0],
        DocumentKind.DECISION,
        content_type,
        len(content),
        hashlib.sha256(content).hexdigest(),
        worker_a,
    )
    with document.file.open("rb") as stored:
        assert stored.read() == content


def test_stored_file_is_not_named_after_the_client_or_the_upload(client, worker_a, client_a):
    client.force_login(worker_a)

    upload(client, client_a, f"{client_a.last_name} rozsudek.pdf", pdf_bytes())

    document = Document.objects.get()
    path = settings.MEDIA_ROOT / document.file.name
    assert re.fullmatch(r"documents/[0-9a-f]{32}", document.file.name)
    assert (path.is_file(), client_a.last_name in str(path), "rozsudek" in str(path)) == (
        True,
        False,
        False,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("rozsudek.pdf", EXE, id="program-named-pdf"),
        pytest.param("rozsudek.pdf", HTML, id="html-named-pdf"),
        pytest.param("makra.docx", docm_bytes(), id="word-with-macros"),
    ],
)
def test_upload_refuses_content_that_is_not_allowed_and_keeps_the_fields(
    client, project, worker_a, client_a, name, content
):
    client.force_login(worker_a)

    response = upload(
        client,
        client_a,
        name,
        content,
        title="Rozsudek ve věci nájmu",
        kind=DocumentKind.CONTRACT,
        project=project.pk,
    )

    form = response.context["form"]
    assert form.errors == {
        "file": [forms.FILE_TYPE_NOT_ALLOWED % {"types": uploads.allowed_type_names()}]
    }
    assert 'value="Rozsudek ve věci nájmu"' in response.text
    assert f'<option value="{DocumentKind.CONTRACT}" selected>' in response.text
    assert f'<option value="{project.pk}" selected>' in response.text
    assert (Document.objects.count(), list(settings.MEDIA_ROOT.iterdir())) == (0, [])


def test_upload_refuses_a_file_over_the_limit(client, worker_a, client_a):
    content = pdf_bytes(padding=settings.DOCUMENT_MAX_BYTES)
    client.force_login(worker_a)

    response = upload(client, client_a, "sken.pdf", content, title="Velký sken")

    assert response.context["form"].errors == {
        "file": [
            forms.FILE_TOO_BIG
            % {
                "size": filesizeformat(len(content)),
                "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
            }
        ]
    }
    assert 'value="Velký sken"' in response.text
    assert Document.objects.count() == 0


def test_upload_accepts_a_file_of_exactly_the_limit(client, settings, worker_a, client_a):
    settings.DOCUMENT_MAX_BYTES = len(pdf_bytes())
    client.force_login(worker_a)

    upload(client, client_a, "přesně.pdf", pdf_bytes())

    assert Document.objects.count() == 1


def test_upload_under_a_project(client, project, worker_a, client_a):
    client.force_login(worker_a)

    upload(client, client_a, "smlouva.pdf", pdf_bytes(), project=project.pk, title="Smlouva")

    assert list(Document.objects.values_list("title", "project")) == [("Smlouva", project.pk)]


def test_upload_cannot_file_under_a_project_without_access(
    client, other_project, worker_a, client_a
):
    EnrolmentFactory(client=client_a, project=other_project)
    client.force_login(worker_a)

    response = upload(client, client_a, "smlouva.pdf", pdf_bytes(), project=other_project.pk)

    assert list(response.context["form"].errors) == ["project"]
    assert Document.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker_a", 200),
        ("worker_b", 404),
        ("guarantor", 200),
        ("admin_user", 200),
        ("other_guarantor", 404),
        ("foreign_admin", 404),
    ],
)
def test_upload_page_per_role(client, request, client_a, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("clients:document_upload", args=[client_a.pk]))

    assert response.status_code == status


def test_another_workers_client_cannot_receive_uploads(client, worker_a, client_b):
    client.force_login(worker_a)

    response = upload(client, client_b, "dopis.pdf", pdf_bytes())

    assert (response.status_code, Document.objects.count()) == (404, 0)


def test_upload_page_lists_only_documents_the_user_may_open(
    client, project, other_project, worker_a, client_a
):
    EnrolmentFactory(client=client_a, project=other_project)
    DocumentFactory(client=client_a, title="Dopis bez projektu")
    DocumentFactory(client=client_a, project=project, title="Dopis v projektu")
    DocumentFactory(client=client_a, project=other_project, title="Dopis jiného projektu")
    client.force_login(worker_a)

    response = client.get(reverse("clients:document_upload", args=[client_a.pk]))

    assert sorted(d.title for d in response.context["documents"]) == [
        "Dopis bez projektu",
        "Dopis v projektu",
    ]
    assert "Dopis jiného projektu" not in response.text


def test_store_document_removes_the_file_when_the_row_cannot_be_saved(worker_a, client_a):
    file = SimpleUploadedFile("dopis.pdf", pdf_bytes())

    with pytest.raises(ValidationError):
        services.store_document(
            client_a,
            by=worker_a,
            file=file,
            content_type=uploads.PDF,
            kind="no-such-kind",
            title="Dopis",
            original_name="dopis.pdf",
        )

    assert (Document.objects.count(), list((settings.MEDIA_ROOT / "documents").iterdir())) == (
        0,
        [],
    )


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\Users\\anna\\Dokumenty\\výzva.pdf", "výzva.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("dopis\x00\n.pdf", "dopis.pdf"),
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_clean_file_name(sent, kept):
    assert forms.clean_file_name(sent) == kept


# --- Downloading ----------------------------------------------------------------------------


def stored_document(client_record, *, by, name="Výzva k úhradě.pdf", content=None, **fields):
    return services.store_document(
        client_record,
        by=by,
        file=SimpleUploadedFile(name, content or pdf_bytes()),
        content_type=uploads.PDF,
        kind=DocumentKind.LETTER,
        title="Výzva",
        original_name=name,
        **fields,
    )


def download(client, document):
    response = client.get(reverse("clients:document_download", args=[document.pk]))
    # Reading the whole stream lets the test client close the file (as a WSGI server would).
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def test_download_headers(client, worker_a, client_a):
    document = stored_document(client_a, by=worker_a)
    client.force_login(worker_a)

    response, body = download(client, document)

    assert body == pdf_bytes()
    assert {
        name: response[name]
        for name in ["Content-Type", "Content-Disposition", "X-Content-Type-Options"]
    } == {
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename*=utf-8''V%C3%BDzva%20k%20%C3%BAhrad%C4%9B.pdf",
        "X-Content-Type-Options": "nosniff",
    }
    assert response["Cache-Control"] == "private, no-store"


def test_download_of_an_ascii_name_quotes_it(client, worker_a, client_a):
    document = stored_document(client_a, by=worker_a, name='dopis "1".pdf')
    client.force_login(worker_a)

    response, _body = download(client, document)

    assert response["Content-Disposition"] == 'attachment; filename="dopis \\"1\\".pdf"'


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("worker_a", 200),
        ("worker_b", 404),
        ("guarantor", 200),
        ("admin_user", 200),
        ("other_guarantor", 404),
        ("foreign_admin", 404),
    ],
)
def test_download_per_role(client, request, worker_a, client_a, persona, status):
    document = stored_document(client_a, by=worker_a)
    client.force_login(request.getfixturevalue(persona))

    response, body = download(client, document)

    assert (response.status_code, body == pdf_bytes()) == (status, status == 200)


def test_document_of_another_project_follows_that_projects_access(
    client, other_project, worker_a, other_guarantor, client_a
):
    EnrolmentFactory(client=client_a, project=other_project)
    document = stored_document(client_a, by=other_guarantor, project=other_project)

    client.force_login(worker_a)
    worker_response, _ = download(client, document)
    client.force_login(other_guarantor)
    guarantor_response, _ = download(client, document)

    assert (worker_response.status_code, guarantor_response.status_code) == (404, 200)


def test_download_requires_login(client, worker_a, client_a):
    document = stored_document(client_a, by=worker_a)
    url = reverse("clients:document_download", args=[document.pk])

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")


def test_download_of_a_missing_file_is_404(client, worker_a, client_a):
    document = DocumentFactory(client=client_a)
    client.force_login(worker_a)

    response, _ = download(client, document)

    assert response.status_code == 404


def test_media_root_has_no_address(client, worker_a, client_a):
    document = stored_document(client_a, by=worker_a)
    client.force_login(worker_a)

    response = client.get(f"/media/{document.file.name}")

    assert response.status_code == 404
    with pytest.raises(Resolver404):
        resolve(f"/{document.file.name}")
