"""A thin, failure-aware connection to a doccano 1.8 server.

doccano-client 1.1.1 (the version that installs beside MLflow 3) covers login, the
CSRF header, projects, label types and members; the rest (examples with metadata,
spans, categories, states, export) goes through doccano's REST API on the same
session. Each method says which. Credentials are never logged or put in messages.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

import requests

PROJECT_TYPE = "IntentDetectionAndSlotFilling"
RESOURCE_TYPE = "IntentDetectionAndSlotFillingProject"


class DoccanoError(RuntimeError):
    """A problem a person can act on: unreachable server, bad login, missing project."""


class _Answer(Protocol):
    status_code: int


R = TypeVar("R", bound=_Answer)


def with_retries(call: Callable[[], R], what: str, url: str, attempts: int = 4) -> R:
    """Retry timeouts, dropped connections and 5xx with exponential backoff (1, 2, 4 s)."""
    for attempt in range(attempts):
        try:
            response = call()
        except requests.ConnectionError as error:
            if attempt == attempts - 1:
                raise DoccanoError(
                    f"cannot reach doccano at {url} ({what}): is it running? (`make doccano`)"
                ) from error
        except requests.Timeout as error:
            if attempt == attempts - 1:
                raise DoccanoError(f"doccano at {url} timed out {attempts} times ({what})") from error
        else:
            if response.status_code < 500 or attempt == attempts - 1:
                return response
        time.sleep(2**attempt)
    raise AssertionError("unreachable")


class Doccano:
    """A logged-in session for one user."""

    def __init__(self, url: str, username: str, password: str, timeout: float = 30.0) -> None:
        from doccano_client import DoccanoClient

        self.url = url.rstrip("/") + "/"
        self.username = username
        self.timeout = timeout
        # doccano-client: login and CSRF handling.
        self.client = with_retries(
            lambda: _Login(DoccanoClient, self.url, username, password), "login", self.url
        ).client
        me = self.request("GET", "v1/me", check=False)
        if me.status_code != 200:
            raise DoccanoError(
                f"doccano refused the login of user {username!r}: check DOCCANO_USERNAME and DOCCANO_PASSWORD"
            )

    def request(self, method: str, path: str, *, check: bool = True, **kwargs: Any) -> requests.Response:
        """REST call on the logged-in session, retried; raises DoccanoError on a 4xx."""
        kwargs.setdefault("timeout", self.timeout)
        session = self.client.session
        response = with_retries(
            lambda: session.request(method, self.url + path, **kwargs), f"{method} {path}", self.url
        )
        if check and response.status_code >= 400:
            raise DoccanoError(
                f"doccano answered {response.status_code} to {method} {path}: {response.text[:300]}"
            )
        return response

    def paginate(self, path: str, params: dict | None = None) -> Iterator[dict]:
        """Every item of a paginated list endpoint (REST)."""
        offset = 0
        while True:
            page = self.request("GET", path, params={**(params or {}), "limit": 200, "offset": offset}).json()
            results = page["results"] if isinstance(page, dict) else page
            yield from results
            if not isinstance(page, dict) or not page.get("next"):
                return
            offset += len(results)

    # -- projects and labels: doccano-client
    def find_project(self, name: str) -> dict | None:
        for project in self.paginate("v1/projects"):
            if project["name"] == name:
                return project
        return None

    def project(self, name: str) -> dict:
        found = self.find_project(name)
        if found is None:
            raise DoccanoError(
                f"no doccano project named {name!r} (create it with `thaievents annotate push`)"
            )
        return found

    def create_project(self, name: str, description: str) -> dict:
        created = self.client.create_project(
            name, description=description, project_type=PROJECT_TYPE, resourcetype=RESOURCE_TYPE
        )
        if "id" not in created:
            raise DoccanoError(f"doccano did not create project {name!r}: {created}")
        return created

    def label_types(self, project_id: int) -> dict[str, dict[str, int]]:
        """Existing span and category types: {"spans": {name: id}, "categories": {name: id}}."""
        spans = self.client.get_span_type_list(project_id)
        categories = self.client.get_category_type_list(project_id)
        return {
            "spans": {t["text"]: t["id"] for t in spans},
            "categories": {t["text"]: t["id"] for t in categories},
        }

    def create_span_type(self, project_id: int, name: str, color: str, key: str) -> None:
        self.client.create_span_type(project_id, name, background_color=color, suffix_key=key)

    def create_category_type(self, project_id: int, name: str, color: str, key: str) -> None:
        self.client.create_category_type(project_id, name, background_color=color, suffix_key=key)

    def add_member(self, project_id: int, username: str, role: str = "annotator") -> None:
        self.client.post_members(project_id, [username], [role])

    # -- examples and annotations: REST
    def examples(self, project_id: int) -> list[dict]:
        return list(self.paginate(f"v1/projects/{project_id}/examples"))

    def create_example(self, project_id: int, text: str, meta: dict) -> dict:
        return self.request(
            "POST", f"v1/projects/{project_id}/examples", json={"text": text, "meta": meta}
        ).json()

    def spans(self, project_id: int, example_id: int) -> list[dict]:
        return self.request("GET", f"v1/projects/{project_id}/examples/{example_id}/spans").json()

    def categories(self, project_id: int, example_id: int) -> list[dict]:
        return self.request("GET", f"v1/projects/{project_id}/examples/{example_id}/categories").json()

    def add_span(
        self, project_id: int, example_id: int, start: int, end: int, label_id: int, prob: float = 0.0
    ) -> None:
        body = {"start_offset": start, "end_offset": end, "label": label_id, "prob": prob}
        self.request("POST", f"v1/projects/{project_id}/examples/{example_id}/spans", json=body)

    def add_category(self, project_id: int, example_id: int, label_id: int, prob: float = 0.0) -> None:
        self.request(
            "POST",
            f"v1/projects/{project_id}/examples/{example_id}/categories",
            json={"label": label_id, "prob": prob},
        )

    def mark_done(self, project_id: int, example_id: int) -> None:
        self.request("POST", f"v1/projects/{project_id}/examples/{example_id}/states", json={})

    def export(self, project_id: int, only_done: bool, wait_seconds: float = 120) -> dict[str, list[dict]]:
        """Every user's annotations through doccano's export (run by its `doccano task` worker).

        Returns {username: records}, one doccano JSONL record per example.
        """
        import json

        body = {"format": "JSONL", "exportApproved": only_done}
        task = self.request("POST", f"v1/projects/{project_id}/download", json=body).json()["task_id"]
        deadline = time.monotonic() + wait_seconds
        while True:
            status = self.request("GET", f"v1/tasks/status/{task}").json()
            if status.get("ready"):
                break
            if time.monotonic() > deadline:
                raise DoccanoError(
                    f"doccano export did not finish in {wait_seconds:.0f} s: is `doccano task` running?"
                )
            time.sleep(0.5)
        if status.get("error"):
            raise DoccanoError(f"doccano export failed: {status['error']}")
        archive = self.request("GET", f"v1/projects/{project_id}/download", params={"taskId": task}).content
        users: dict[str, list[dict]] = {}
        with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
            for name in zipped.namelist():
                lines = zipped.read(name).decode("utf-8").splitlines()
                users[name.rsplit(".", 1)[0]] = [json.loads(line) for line in lines if line.strip()]
        return users


class _Login:
    """Adapter so a doccano-client login can go through :func:`with_retries`."""

    status_code = 200

    def __init__(self, factory, url: str, username: str, password: str) -> None:
        self.client = factory(url, username, password)
