"""`belie serve` through Flask's test client: what a reviewer (or an intruder) would notice."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

import belie
from belie.store.db import CaseStore
from belie.store.ingest import ingest
from belie.web.app import create_app, mark_text

EVIL = '<script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=2"> end.'

CASE = """\
case: Review test
entities:
  trotsky: {type: person, names: [Leon Trotsky, Trotsky]}
  witness: {type: person, names: [A Witness]}
  copenhagen: {type: place, names: [Copenhagen]}
  berlin: {type: place, names: [Berlin]}
sources:
  visa: {kind: record, said: 1932-12-02}
  statement: {kind: testimony, speaker: witness, said: 1936-08-20, file: sources/statement.txt}
  evil: {kind: press, said: 1937, file: sources/evil.txt}
claims:
  - {id: trotsky-in-copenhagen, source: visa, presence: trotsky, where: copenhagen, throughout: 1932-11-23/1932-12-02}
  - {id: evil-quote, source: evil, statement: "a hostile text", quote: "<script>window.__pwned=1</script>"}
"""
STATEMENT = ("The witness said: I saw Trotsky in Berlin on 25 November 1932, at the station. "
             "Later he said he met him again in Copenhagen.\n")
BERLIN = {"source": "statement", "presence": "trotsky", "where": "berlin", "when": "1932-11-25",
          "quote": "I saw Trotsky in Berlin on 25 November 1932"}
SAME_ORIGIN = {"Origin": "http://localhost"}


def make_case(folder: Path) -> Path:
    (folder / "sources").mkdir(parents=True)
    (folder / "case.yaml").write_text(CASE, encoding="utf-8")
    (folder / "sources" / "statement.txt").write_text(STATEMENT, encoding="utf-8")
    (folder / "sources" / "evil.txt").write_text(EVIL, encoding="utf-8")
    with CaseStore.open(folder) as store:
        ingest(store, folder, [folder / "sources" / "statement.txt", folder / "sources" / "evil.txt"])
    return folder


@pytest.fixture
def case_dir(tmp_path) -> Path:
    return make_case(tmp_path / "case")


@pytest.fixture
def app(case_dir):
    app = create_app(case_dir)
    app.testing = True
    yield app
    app.extensions["belie"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def propose(app, *datas) -> list[str]:
    return app.extensions["belie"].store.add_candidates([{"source_id": d.get("source"), "data": d} for d in datas])


def decide(client, cid, decision, version, reviewer="Ann Archivist", headers=SAME_ORIGIN, **extra):
    return client.post(f"/api/candidates/{cid}/decision", headers=headers,
                       json={"decision": decision, "expected_version": version, "reviewer": reviewer, **extra})


def alibis(client) -> list[dict]:
    return [f for f in client.get("/api/findings").get_json()["findings"] if f["rule"] == "alibi"]


# -- pages -------------------------------------------------------------------------------


def test_every_page_answers(client, app):
    propose(app, BERLIN)
    for url in ("/", "/sources", "/sources/statement", "/review", "/findings", "/api/case",
                "/api/sources", "/api/candidates", "/api/findings", "/api/findings/summary", "/api/decisions"):
        r = client.get(url)
        assert r.status_code == 200, (url, r.data[:500])
    assert client.get("/sources/no-such-source").status_code == 404
    assert client.get("/api/candidates/cand-nope").status_code == 404


def test_source_text_is_escaped_and_quotes_are_marked_at_their_offsets(client, app):
    page = client.get("/sources/evil").get_data(as_text=True)
    # The hostile text shows as text: every < and > escaped, no live tag.
    assert "<script>window.__pwned" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    # The claim quoting it is marked where the store located the quote.
    (row,) = [r for r in app.extensions["belie"].store.claims("evil") if r["id"] == "evil-quote"]
    assert (row["quote_start"], row["quote_end"]) == (0, len("<script>window.__pwned=1</script>"))
    marks = re.findall(r'<mark class="q claim" data-claims="evil-quote"[^>]*>(.*?)</mark>', page)
    assert marks == ["&lt;script&gt;window.__pwned=1&lt;/script&gt;"]


def test_a_candidates_quote_is_marked_in_the_source(client, app):
    (cid,) = propose(app, BERLIN)
    page = client.get("/sources/statement").get_data(as_text=True)
    m = re.search(r'<mark class="q candidate" data-claims="%s"[^>]*>(.*?)</mark>' % cid, page)
    assert m and m.group(1) == BERLIN["quote"]


def test_mark_text_splits_overlapping_quotes_and_escapes_every_piece():
    html = str(mark_text("a <b> c & d", [{"start": 2, "end": 5, "id": "x", "cls": "claim"},
                                         {"start": 4, "end": 9, "id": "y", "cls": "candidate"}]))
    assert html.startswith("a ")
    assert '<mark class="q claim" data-claims="x" title="x" id="q-x">&lt;b</mark>' in html
    assert 'data-claims="x y"' in html and "&gt;" in html
    assert html.endswith("d")
    assert "<b>" not in html
    # offsets outside the text are ignored rather than trusted
    assert str(mark_text("abc", [{"start": 2, "end": 99, "id": "z"}])) == "abc"


def test_review_page_embeds_candidates_as_inert_json(client, app):
    propose(app, {"source": "evil", "statement": "<img src=x onerror=window.__pwned=3>"})
    page = client.get("/review").get_data(as_text=True)
    assert "<img src=x onerror" not in page
    assert "\\u003cimg src=x onerror" in page          # inside <script type="application/json">
    assert "script-src 'self'" in client.get("/review").headers["Content-Security-Policy"]


# -- decisions ---------------------------------------------------------------------------


def test_accepting_writes_the_claim_to_reviewed_yaml_and_a_finding_appears(client, app, case_dir):
    (cid,) = propose(app, BERLIN)
    before = client.get("/api/findings/summary").get_json()
    assert alibis(client) == []
    r = decide(client, cid, "accepted", 1)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["candidate"]["status"] == "accepted" and body["candidate"]["version"] == 2
    assert body["written"] is True

    text = (case_dir / "claims" / "reviewed.yaml").read_text(encoding="utf-8")
    assert f"id: {cid}" in text and "Ann Archivist" in text
    case = belie.load_case(case_dir)
    claim = case.claim_by_id[cid]
    assert (claim.kind, claim.where, claim.source, claim.quote) == ("presence", "berlin", "statement", BERLIN["quote"])

    store = app.extensions["belie"].store
    cand = store.get_candidate(cid)
    assert cand["reviewer"] == "Ann Archivist" and cand["decided_at"]
    (entry,) = store.decisions(cid)
    assert (entry["decision"], entry["reviewer"]) == ("accepted", "Ann Archivist") and entry["at"]

    (finding,) = alibis(client)
    assert finding["severity"] == "impossible"
    assert set(finding["claims"]) == {cid, "trotsky-in-copenhagen"}
    summary = client.get(f"/api/findings/summary?since={before['hash']}").get_json()
    assert [f["rule"] for f in summary["new"]] == ["alibi"] and summary["gone"] == []
    page = client.get("/findings").get_data(as_text=True)
    assert 'data-rule="alibi"' in page and cid in page


def test_undo_takes_the_claim_out_of_the_case_again(client, app, case_dir):
    (cid,) = propose(app, BERLIN)
    assert decide(client, cid, "accepted", 1).status_code == 200
    assert len(alibis(client)) == 1
    r = decide(client, cid, "proposed", 2)
    assert r.status_code == 200 and r.get_json()["candidate"]["status"] == "proposed"
    assert cid not in (case_dir / "claims" / "reviewed.yaml").read_text(encoding="utf-8")
    assert cid not in belie.load_case(case_dir).claim_by_id
    assert alibis(client) == []
    assert [d["decision"] for d in app.extensions["belie"].store.decisions(cid)] == ["accepted", "proposed"]


def test_rejecting_writes_no_claim(client, app, case_dir):
    (cid,) = propose(app, BERLIN)
    r = decide(client, cid, "rejected", 1)
    assert r.status_code == 200 and r.get_json()["written"] is False
    assert not (case_dir / "claims" / "reviewed.yaml").exists()
    assert app.extensions["belie"].store.get_candidate(cid)["status"] == "rejected"


def test_a_second_decision_on_a_stale_version_gets_409_and_loses_nothing(client, app, case_dir):
    (cid,) = propose(app, BERLIN)
    assert decide(client, cid, "accepted", 1, reviewer="Tab One").status_code == 200
    text = (case_dir / "claims" / "reviewed.yaml").read_text(encoding="utf-8")
    r = decide(client, cid, "rejected", 1, reviewer="Tab Two")
    assert r.status_code == 409
    body = r.get_json()
    assert "changed since you loaded it" in body["error"] and "reload" in body["error"].lower()
    assert body["current"]["status"] == "accepted" and body["current"]["reviewer"] == "Tab One"
    store = app.extensions["belie"].store
    assert store.get_candidate(cid)["status"] == "accepted"
    assert [d["reviewer"] for d in store.decisions(cid)] == ["Tab One"]
    assert (case_dir / "claims" / "reviewed.yaml").read_text(encoding="utf-8") == text


def test_a_bad_edit_gets_400_with_the_loaders_message_and_nothing_is_written(client, app, case_dir):
    (cid,) = propose(app, BERLIN)
    bad = "source: statement\npresence: trotsky\nwhere: berlim\nwhen: 1932-11-25\n"
    r = decide(client, cid, "edited", 1, text=bad)
    assert r.status_code == 400
    body = r.get_json()
    (problem,) = body["problems"]
    assert problem["file"] == "claims/reviewed.yaml" and problem["line"]
    assert "berlim" in problem["message"] and "did you mean 'berlin'" in problem["message"]
    assert "nothing was written" in body["error"].lower()
    assert not (case_dir / "claims" / "reviewed.yaml").exists()
    store = app.extensions["belie"].store
    assert store.get_candidate(cid)["version"] == 1 and store.decisions(cid) == []

    # Not even YAML: the line of the edit is named.
    r = decide(client, cid, "edited", 1, text="source: statement\nwhere: [berlin\n")
    assert r.status_code == 400
    (problem,) = r.get_json()["problems"]
    assert problem["file"] == f"your edit of {cid}" and problem["line"] is not None

    # A good edit is accepted as edited, and keeps a stable id.
    good = "source: statement\npresence: trotsky\nwhere: copenhagen\nwhen: 1932-11-25\n"
    r = decide(client, cid, "edited", 1, text=good)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["candidate"]["status"] == "edited"
    assert belie.load_case(case_dir).claim_by_id[cid].where == "copenhagen"
    assert alibis(client) == []


def test_an_edit_of_an_accepted_claim_replaces_it_and_the_finding_vanishes(client, app, case_dir):
    (cid,) = propose(app, BERLIN)
    assert decide(client, cid, "accepted", 1).status_code == 200
    assert len(alibis(client)) == 1
    r = decide(client, cid, "edited", 2, text='{"source": "statement", "presence": "trotsky", '
                                              '"where": "berlin", "when": "1932-12-20"}')
    assert r.status_code == 200, r.get_json()
    case = belie.load_case(case_dir)
    assert [c.id for c in case.claims if c.file and c.file.endswith("reviewed.yaml")] == [cid]
    assert case.claim_by_id[cid].when.edtf == "1932-12-20"
    assert alibis(client) == []


def test_hand_written_reviewed_yaml_keeps_its_comments(client, app, case_dir):
    path = case_dir / "claims" / "reviewed.yaml"
    path.parent.mkdir()
    path.write_text(textwrap.dedent("""\
        # my own notes on these claims
        claims:
          # the visa, again
          - {id: mine, source: visa, presence: trotsky, where: copenhagen, when: 1932-11-24}
        """), encoding="utf-8")
    (cid,) = propose(app, BERLIN)
    assert decide(client, cid, "accepted", 1).status_code == 200
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my own notes on these claims") and "# the visa, again" in text
    assert decide(client, cid, "proposed", 2).status_code == 200
    assert "# the visa, again" in path.read_text(encoding="utf-8")
    assert {"mine"} <= set(belie.load_case(case_dir).claim_by_id) and cid not in belie.load_case(case_dir).claim_by_id


def test_a_decision_needs_a_name_a_version_and_a_known_kind(client, app):
    (cid,) = propose(app, BERLIN)
    assert "name" in decide(client, cid, "accepted", 1, reviewer="").get_json()["error"]
    r = client.post(f"/api/candidates/{cid}/decision", headers=SAME_ORIGIN,
                    json={"decision": "accepted", "reviewer": "Ann"})
    assert r.status_code == 400 and "expected_version" in r.get_json()["error"]
    assert decide(client, cid, "maybe", 1).status_code == 400
    assert decide(client, "cand-none", "accepted", 1).status_code == 404


def test_the_reviewer_given_to_the_server_is_used_when_the_page_sends_none(case_dir):
    app = create_app(case_dir, reviewer="Desk Editor")
    try:
        (cid,) = propose(app, BERLIN)
        r = decide(app.test_client(), cid, "rejected", 1, reviewer="")
        assert r.status_code == 200 and r.get_json()["candidate"]["reviewer"] == "Desk Editor"
    finally:
        app.extensions["belie"].close()


# -- security ----------------------------------------------------------------------------


def test_with_a_token_every_request_needs_it_then_a_cookie_carries_it(case_dir):
    app = create_app(case_dir, token="s3cret-token")
    try:
        c = app.test_client()
        assert c.get("/").status_code == 401
        assert c.get("/static/belie.css").status_code == 401
        assert c.get("/api/case").status_code == 401
        assert c.get("/?token=wrong").status_code == 401
        r = c.get("/review?token=s3cret-token")
        assert r.status_code == 303 and r.headers["Location"].endswith("/review")
        cookie = r.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert c.get("/review").status_code == 200                       # the cookie now
        fresh = app.test_client()
        assert fresh.get("/api/case", headers={"X-Belie-Token": "s3cret-token"}).status_code == 200
        assert fresh.get("/api/case", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        (cid,) = propose(app, BERLIN)
        # A header token also satisfies the same-origin rule (scripts, curl).
        r = fresh.post(f"/api/candidates/{cid}/decision", headers={"X-Belie-Token": "s3cret-token"},
                       json={"decision": "rejected", "expected_version": 1, "reviewer": "curl"})
        assert r.status_code == 200
    finally:
        app.extensions["belie"].close()


def test_without_a_token_only_this_machine_is_answered(client):
    assert client.get("/", environ_base={"REMOTE_ADDR": "192.168.1.20"}).status_code == 403
    # DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
    assert client.get("/api/case", headers={"Host": "evil.example:8765"}).status_code == 403
    assert client.get("/api/case", headers={"Host": "127.0.0.1:8765"}).status_code == 200


def test_posts_must_be_same_origin(client, app):
    (cid,) = propose(app, BERLIN)
    assert decide(client, cid, "rejected", 1, headers={}).status_code == 403
    assert decide(client, cid, "rejected", 1, headers={"Origin": "http://evil.example"}).status_code == 403
    assert decide(client, cid, "rejected", 1, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert app.extensions["belie"].store.get_candidate(cid)["version"] == 1
    assert decide(client, cid, "rejected", 1, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200


def test_serve_requires_a_token_off_loopback_and_prints_it(case_dir, monkeypatch):
    from click.testing import CliRunner

    import belie.commands.serve as serve
    from belie.cli import cli

    served = []
    monkeypatch.setattr(serve, "_serve", lambda server: served.append(server.app))
    out = CliRunner().invoke(cli, ["serve", str(case_dir), "--host", "0.0.0.0", "--port", "0"])
    assert out.exit_code == 0, out.output
    token = re.search(r"\?token=([\w-]+)", out.output).group(1)
    assert len(token) >= 24 and f"token: {token}" in out.output
    (app,) = served
    try:
        c = app.test_client()
        assert c.get("/api/case").status_code == 401
        assert c.get("/api/case", headers={"X-Belie-Token": token}).status_code == 200
    finally:
        app.extensions["belie"].close()

    served.clear()
    out = CliRunner().invoke(cli, ["serve", str(case_dir), "--port", "0"])
    assert out.exit_code == 0, out.output
    assert re.search(r"open http://127\.0\.0\.1:\d+/\s", out.output) and "token" not in out.output
    served[0].extensions["belie"].close()


def test_serve_help_has_an_example():
    from click.testing import CliRunner

    from belie.cli import cli

    out = CliRunner().invoke(cli, ["serve", "--help"])
    assert out.exit_code == 0 and "Example" in out.output and "--token" in out.output


def test_accepting_what_extraction_proposed_through_the_api(extracted_case):
    """Every candidate `belie extract` proposed is accepted (200), the answer says what was
    written and which of extraction's keys were not, and the case still reads."""
    folder = extracted_case()
    app = create_app(folder)
    app.testing = True
    try:
        client = app.test_client()
        cands = client.get("/api/candidates?status=proposed").get_json()["candidates"]
        assert cands
        for c in cands:
            r = decide(client, c["id"], "accept", c["version"])
            assert r.status_code == 200, r.get_json()
            body = r.get_json()
            assert body["written"] and "confidence" in body["dropped"]
            assert not {"confidence", "start", "end", "date_text", "reported_by"} & set(body["claim"])
        reported = [c for c in cands if c["data"].get("reported_by") not in (None, c["data"].get("speaker"))
                    and c["data"].get("speaker")]
        assert reported and all(f"speaker: {c['data']['speaker']}" in c["yaml"] for c in reported)
    finally:
        app.extensions["belie"].close()
    case = belie.load_case(folder)
    assert {c["id"] for c in cands} <= set(case.claim_by_id)
