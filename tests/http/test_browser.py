"""The two pages in headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright).

Ask a question on ``/``, read the answer, follow a citation, see the quote highlighted and in view;
once with JavaScript and once without. Screenshots of each page go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import ARTIFACTS, LiveServer

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("NEWSDESK_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
QUESTION = "who sent peacekeepers?"
SHOTS = ARTIFACTS / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def in_viewport(page: Any, selector: str) -> bool:
    return bool(
        page.evaluate(
            """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                     return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }""",
            selector,
        )
    )


def test_ask_follow_citation_and_see_the_highlight(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.fill("#q", QUESTION)
        page.click("form.ask button[type=submit]")
        page.wait_for_selector("section.answer")
        assert "Collective Security Treaty Organization" in page.inner_text("section.answer .short")
        first = page.locator("ol.citations li").first
        quote = first.locator("blockquote").inner_text().strip().strip("“”")
        meta = first.locator(".meta").inner_text()
        assert "Anish Kumar" in meta and "2022" in meta
        page.screenshot(path=str(SHOTS / "ask.png"), full_page=True)

        first.locator("a.cite-link").click()
        page.wait_for_selector("mark#quote")
        assert "/c/" in page.url and page.url.endswith("#quote")
        assert page.inner_text("mark#quote") == quote
        page.wait_for_function(
            """() => { const r = document.querySelector('mark#quote').getBoundingClientRect();
                       return r.top >= 0 && r.bottom <= window.innerHeight; }"""
        )
        assert in_viewport(page, "mark#quote")
        copy_box = page.input_value("#citation-text")
        assert copy_box.startswith("Anish Kumar, 11 January 2022: “In order to bring peace")
        button = page.locator("button.copy-button")
        assert button.is_visible()
        button.click()
        page.wait_for_function("() => document.querySelector('.copy-status').textContent.length > 0")
        if page.inner_text(".copy-status") == "Copied":
            assert page.evaluate("navigator.clipboard.readText()") == copy_box
        page.screenshot(path=str(SHOTS / "citation.png"))
    finally:
        context.close()


def test_pages_work_without_javascript(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 700}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.fill("#q", QUESTION)
        page.press("#q", "Enter")
        page.wait_for_selector("section.answer")
        assert "q=who+sent+peacekeepers" in page.url
        assert "Collective Security Treaty Organization" in page.inner_text("section.answer")
        page.screenshot(path=str(SHOTS / "ask-nojs.png"), full_page=True)
        page.locator("ol.citations li a.cite-link").first.click()
        page.wait_for_selector("mark#quote")
        assert in_viewport(page, "mark#quote"), (
            "the #quote fragment should scroll the mark into view without JavaScript"
        )
        assert not page.locator("button.copy-button").is_visible()  # without JS only the text box is offered
        assert "Collective Security Treaty Organization" in page.input_value("#citation-text")
        page.screenshot(path=str(SHOTS / "citation-nojs.png"))

        page.goto(f"{live_server.url}/c/ffffffffffffffff:0-10")
        assert "no citation" in page.inner_text("body")
        page.screenshot(path=str(SHOTS / "not-found.png"))
    finally:
        context.close()


def test_a_three_turn_conversation_on_the_ask_page(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.fill("#q", QUESTION)
        page.press("#q", "Enter")
        page.wait_for_selector("section.answer")
        assert "Collective Security Treaty Organization" in page.inner_text("section.answer .short")
        for follow_up, expected in (
            ("how long will they stay?", "until the situation is fully stable"),
            ("which countries are they from?", "Russia, Armenia, Belarus, Kyrgyzstan and Tajikistan"),
        ):
            page.fill("#q", follow_up)  # the follow-up box under the answer, carrying the conversation
            page.press("#q", "Enter")
            page.wait_for_selector(f"section.answer .asked:has-text('{follow_up}')")
            assert expected in page.inner_text("section.answer")
            assert "peacekeepers" in page.inner_text("section.answer .searched")
        earlier = page.locator("section.thread article.turn")
        assert earlier.count() == 2
        assert QUESTION in earlier.nth(0).inner_text() and "how long will they stay?" in earlier.nth(1).inner_text()
        page.screenshot(path=str(SHOTS / "conversation.png"), full_page=True)
        page.click("a.new-conversation")
        assert page.locator("section.thread").count() == 0 and page.input_value("#q") == ""
    finally:
        context.close()


def test_api_docs_render_without_reaching_another_host(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    elsewhere: list[str] = []

    def only_this_server(route: Any) -> None:
        # What a machine without internet could not fetch is refused here, and noted.
        if route.request.url.startswith(f"{live_server.url}/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_server)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/docs")  # returns once the page's scripts and stylesheets have loaded
        assert elsewhere == [], f"the docs page reached for other hosts: {elsewhere}"
        page.wait_for_selector(".opblock:has-text('/v1/ask')")
        assert page.locator(".opblock").count() >= 7  # every tag is open: ask, search, articles (4), citations, ...
        page.screenshot(path=str(SHOTS / "api-docs.png"))
        assert elsewhere == [], f"the docs page reached for other hosts: {elsewhere}"
    finally:
        context.close()
