"""Sharing through the web pages of a practice server (SQLite and PostgreSQL): a person makes
a code, a clinician links with it and reads only that person (each read in the person's
audit), leaves a note that shows as text, and loses access on the request after a revoke."""

from __future__ import annotations

import re

from fastapi import FastAPI

from tests.practice import make_clinician, make_person, sign_in
from tests.web_client import BrowserClient

CODE = re.compile(r"data-share-code>([A-Z0-9-]{14})<")


def _signed_in(app: FastAPI, username: str) -> BrowserClient:
    client = BrowserClient(app)
    assert sign_in(client, username).status_code == 303
    return client


def _share(anna: BrowserClient, lee: BrowserClient) -> str:
    page = anna.post("/settings/access/code")
    assert page.status_code == 200
    found = CODE.search(page.text)
    assert found is not None, page.text
    linked = lee.post("/clinic/link", data={"code": found.group(1)}, follow_redirects=False)
    assert linked.status_code == 303
    return found.group(1)


def test_a_clinician_sees_only_people_who_shared_and_each_read_is_audited(
    practice: FastAPI,
) -> None:
    anna_id, ben_id = make_person("anna").id, make_person("ben").id
    make_clinician("drlee")
    anna, lee = _signed_in(practice, "anna"), _signed_in(practice, "drlee")
    _share(anna, lee)
    panel = lee.get("/clinic")
    assert f'data-person="{anna_id}"' in panel.text and ben_id not in panel.text
    assert lee.get(f"/clinic/people/{anna_id}").status_code == 200
    assert lee.get(f"/clinic/people/{anna_id}/results").status_code == 200
    assert lee.get(f"/clinic/people/{anna_id}/handover").status_code == 200
    not_shared = lee.get(f"/clinic/people/{ben_id}")
    nobody = lee.get(f"/clinic/people/{'f' * 32}")
    assert not_shared.status_code == nobody.status_code == 404
    assert not_shared.text.replace(ben_id, "X") == nobody.text.replace("f" * 32, "X")
    assert lee.get("/today").status_code == 403  # a clinician has no data of their own here
    access = anna.get("/settings/access").text
    assert "Drlee" in access
    assert "read /results" in access and "read /handover" in access and "panel summary" in access
    assert lee.get("/settings/access").status_code == 403  # the person's page only


def test_a_wrong_code_and_a_used_code_get_the_same_answer(practice: FastAPI) -> None:
    make_person("anna")
    make_clinician("drlee")
    make_clinician("drkim")
    anna, lee, kim = (_signed_in(practice, name) for name in ("anna", "drlee", "drkim"))
    code = _share(anna, lee)
    used = kim.post("/clinic/link", data={"code": code})
    wrong = kim.post("/clinic/link", data={"code": "ABCD-EFGH-JKMN"})
    assert used.status_code == wrong.status_code == 400
    assert "That code does not work" in used.text and used.text == wrong.text


def test_a_note_shows_as_text_and_a_revoke_counts_on_the_next_request(
    practice: FastAPI,
) -> None:
    anna_id = make_person("anna").id
    make_clinician("drlee")
    anna, lee = _signed_in(practice, "anna"), _signed_in(practice, "drlee")
    _share(anna, lee)
    sent = lee.post(
        f"/clinic/people/{anna_id}/notes",
        data={"text": "<script>alert(1)</script> Ease off the stairs"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    today = anna.get("/today").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ease off the stairs" in today
    assert "<script>alert(1)" not in today
    notes = anna.get("/notes").text
    assert "From your clinician" in notes and "&lt;script&gt;" in notes
    assert "Ease off" not in anna.get("/today").text  # read now: Today shows only new notes

    clinician_id = re.search(r'data-clinician="([0-9a-f]{32})"', anna.get("/settings/access").text)
    assert clinician_id is not None
    assert lee.get(f"/clinic/people/{anna_id}").status_code == 200
    anna.post(f"/settings/access/clinicians/{clinician_id.group(1)}/revoke")
    assert lee.get(f"/clinic/people/{anna_id}").status_code == 404
    assert lee.post(f"/clinic/people/{anna_id}/notes", data={"text": "hi"}).status_code == 404
    assert f'data-person="{anna_id}"' not in lee.get("/clinic").text


def test_another_person_cannot_use_the_clinic_pages(practice: FastAPI) -> None:
    anna_id = make_person("anna").id
    make_person("ben")
    ben = _signed_in(practice, "ben")
    assert ben.get("/clinic").status_code == 403
    assert ben.get(f"/clinic/people/{anna_id}").status_code == 403


def test_personal_mode_has_no_sharing_pages() -> None:
    from kneecoach.web.app import create_app

    client = BrowserClient(create_app())
    for path in ("/clinic", "/settings/access", "/notes", "/api/v1/clinic/people"):
        assert client.get(path).status_code == 404, path
    assert client.post("/api/v1/sharing/codes", json={}).status_code == 404
