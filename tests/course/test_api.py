"""/api/v1 course and goal: typed in the OpenAPI document, the same rules as the CLI, errors
as `{"error": {"field", "pointer", "problem"}}`."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.web.test_openapi_typed import document, route_problems

ROUTES = {
    "/api/v1/course": ("get",),
    "/api/v1/course/{session_id}": ("get",),
    "/api/v1/course/{session_id}/done": ("post",),
    "/api/v1/goal": ("get", "post"),
    "/api/v1/goal/reviews": ("get", "post"),
}


def test_the_routes_are_in_openapi_and_every_field_is_typed() -> None:
    spec = document()
    assert set(ROUTES) <= set(spec["paths"])
    assert route_problems(spec, ROUTES) == []
    schemas = spec["components"]["schemas"]
    assert schemas["GoalReviewCreate"]["properties"]["rating"]["maximum"] == 5
    assert schemas["CourseDoneCreate"]["properties"]["answer"]["anyOf"][0]["maxLength"] == 2000


def test_the_course_with_progress_and_marking_done(client: TestClient) -> None:
    course = client.get("/api/v1/course").json()
    assert course["total"] == 8 and course["due"] == ["hurt_and_harm", "your_goal"]
    done = client.post("/api/v1/course/hurt_and_harm/done", json={"answer": "Walk again."})
    assert done.status_code == 200
    assert done.json()["done"] is True and done.json()["answer"] == "Walk again."
    again = client.post("/api/v1/course/hurt_and_harm/done", json={})
    assert again.json()["answer"] == "Walk again."
    assert client.get("/api/v1/course").json()["done"] == 1
    read = client.get("/api/v1/course/hurt_and_harm").json()
    assert read["parts"][1]["lesson"] == "exercise_pain" and read["question"]
    locked = client.get("/api/v1/course/flares").json()
    assert locked["unlocked"] is False and locked["parts"] == [] and locked["links"] == []


def test_course_errors_name_the_field(client: TestClient) -> None:
    locked = client.post("/api/v1/course/flares/done", json={})
    assert locked.status_code == 409
    assert locked.json()["error"]["field"] == "session_id"
    assert locked.json()["error"]["hint"] == "list_course"
    unknown = client.post("/api/v1/course/astrology/done", json={})
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "session_id"
    assert client.get("/api/v1/course/astrology").status_code == 404
    long = client.post("/api/v1/course/your_goal/done", json={"answer": "x" * 2001})
    assert long.status_code == 422 and long.json()["error"]["pointer"] == "/answer"
    extra = client.post("/api/v1/course/your_goal/done", json={"answr": "typo"})
    assert extra.status_code == 422 and extra.json()["error"]["field"] == "answr"
    assert client.get("/api/v1/course").json()["done"] == 0


def test_the_goal_and_its_reviews(client: TestClient) -> None:
    assert client.get("/api/v1/goal").json()["goal"] is None
    none = client.post("/api/v1/goal/reviews", json={"rating": 3})
    assert none.status_code == 404 and none.json()["error"]["hint"] == "set_goal"
    by_when = (date.today() + timedelta(weeks=10)).isoformat()
    body = {"what": "Walk to the park", "how_much": "30 min", "by_when": by_when}
    made = client.post("/api/v1/goal", json=body | {"first_step": "Walk 10 min"})
    assert made.status_code == 201 and made.json()["number"] == 1
    first = client.post("/api/v1/goal/reviews", json={"rating": 2, "note": "Busy week"})
    assert first.status_code == 201 and first.json()["status"] == "added"
    second = client.post("/api/v1/goal/reviews", json={"rating": 4, "next_step": "Walk 15 min"})
    assert second.status_code == 200 and second.json()["status"] == "updated"
    reviews = client.get("/api/v1/goal/reviews").json()["reviews"]
    assert [(r["week"], r["rating"], r["next_step"]) for r in reviews] == [(1, 4, "Walk 15 min")]
    state = client.get("/api/v1/goal").json()
    assert state["step"] == "Walk 15 min" and state["week"] == 1 and not state["review_due"]
    client.post("/api/v1/goal", json=body | {"what": "Climb stairs", "first_step": "5 steps"})
    state = client.get("/api/v1/goal").json()
    assert state["goal"]["number"] == 2 and state["earlier"][0]["what"] == "Walk to the park"


def test_goal_errors_name_the_field_and_keep_what_is_stored(client: TestClient) -> None:
    soon = (date.today() + timedelta(weeks=8)).isoformat()
    good = {"what": "Walk", "how_much": "30 min", "by_when": soon, "first_step": "10 min"}
    assert client.post("/api/v1/goal", json=good).status_code == 201
    for change, field in (
        ({"what": "  "}, "what"),
        ({"by_when": "2001-01-01"}, "by_when"),
        ({"by_when": "soon"}, "by_when"),
        ({"first_step": "x" * 201}, "first_step"),
    ):
        bad = client.post("/api/v1/goal", json=good | change)
        assert bad.status_code == 422, change
        assert bad.json()["error"]["field"] == field
    assert client.get("/api/v1/goal").json()["earlier"] == []
    rating = client.post("/api/v1/goal/reviews", json={"rating": 0})
    assert rating.status_code == 422 and rating.json()["error"]["field"] == "rating"
