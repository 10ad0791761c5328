"""The task catalogue and its matcher, on hand-built start pages: no browser, no network."""

from __future__ import annotations

import pytest

from audits.catalogue import SECTORS, guess_sector, load_catalogue, sector_tasks
from audits.task_matching import NavLink, match_tasks

HOME = "http://bank.test/"


def link(text: str, path: str, region: str = "nav", menu: tuple[str, ...] = (), vp="desktop"):
    return NavLink(vp, text, HOME + path.lstrip("/") if path else "", region, menu, not menu)


def matched(tasks, links_by_viewport):
    return {m.task.id: m for m in match_tasks(tasks, links_by_viewport)}


@pytest.mark.parametrize("sector", SECTORS)
def test_every_catalogue_loads_and_cites_its_sources(sector):
    catalogue = load_catalogue(sector)
    assert catalogue.sector == sector and catalogue.tasks
    ids = [task.id for task in sector_tasks(sector)]
    assert len(ids) == len(set(ids))
    assert sector == "generic" or len(catalogue.signals) >= 5
    from importlib import resources

    text = resources.files("audits").joinpath(f"catalogue/{sector}.yaml").read_text()
    assert "Sources:" in text


def test_a_promotion_that_says_lost_is_not_the_lost_card_task():
    """The demo bank's scent trap: "lost out on rewards" must not be taken for a lost card."""
    links = [link("Card offers: lost out on rewards? Switch today", "/cards/offers/", "main")]
    found = matched(sector_tasks("bank"), {"desktop": links})
    assert found["lost_card"].link is None
    assert found["lost_card"].reason().startswith("no link on the start page or in its menus")


def test_the_plainest_phrase_and_the_header_win():
    links = [
        link("Online banking", "/online-banking", "footer"),
        link("Log in", "/login", "header"),
    ]
    found = matched(sector_tasks("bank"), {"desktop": links})
    assert found["login"].link.text == "Log in"


def test_a_url_alone_finds_a_task_whose_link_says_something_else():
    found = matched(sector_tasks("bank"), {"desktop": [link("Get in the picture", "/mortgages/")]})
    assert found["mortgage"].link.path == "/mortgages/"


def test_a_link_serves_one_task_the_sectors_own_first():
    """ "Interest rates" is the bank's savings task; the generic "prices" (rates) gets nothing."""
    found = matched(sector_tasks("bank"), {"desktop": [link("Interest rates", "/rates")]})
    assert found["savings_rates"].link.text == "Interest rates"
    assert found["prices"].link is None


def test_a_button_serves_search_but_no_task_that_needs_a_page():
    found = matched(sector_tasks("generic"), {"desktop": [link("Search", ""), link("Help", "")]})
    assert found["search"].link.text == "Search"
    assert found["help"].link is None  # a button with no page behind it is no target


def test_the_difference_between_viewports_is_said():
    desktop = [link("Log in", "/login", "header")]
    mobile = [link("Log in", "/login", "nav", ("Menu",), "mobile")]
    found = matched(sector_tasks("generic"), {"desktop": desktop, "mobile": mobile})
    assert found["login"].difference() == ""  # the same link, the same target
    assert (
        found["login"].seen() == "'Log in': desktop header, at load; mobile nav, in the menu Menu"
    )
    found = matched(sector_tasks("generic"), {"desktop": desktop, "mobile": []})
    assert found["login"].difference() == "desktop: 'Log in' (header, at load); mobile: none"


def test_whole_words_only():
    found = matched(sector_tasks("generic"), {"desktop": [link("Our blog in pictures", "/blog")]})
    assert found["login"].link is None  # "blog in" is not "log in"


@pytest.mark.parametrize(
    ("words", "sector"),
    [
        ("Mortgages Savings Current account Log in Branch finder", "bank"),
        ("Get a quote Make a claim Car insurance Home insurance", "insurance"),
        ("Undergraduate courses Postgraduate Campus Students", "university"),
        ("Pricing Docs API Start free trial Integrations", "saas"),
        ("About us Contact us News", "generic"),
    ],
)
def test_the_sector_is_guessed_from_the_sites_words(words, sector):
    assert guess_sector(words)[0] == sector
