"""Sites in other languages than English, the pure parts: a page's language, words stemmed,
folded and split per language, scent and task matching in Dutch, German and French, the
catalogues of every language. No browser, no network."""

from __future__ import annotations

from importlib import resources

import pytest
from lxml import html as lxml_html

from audits.catalogue import SECTORS, catalogue_file, guess_sector, load_catalogue, sector_tasks
from audits.distraction import clutter
from audits.scent import MIN_SCENT, TfidfScorer, terms
from audits.semantic_scent import english_only
from audits.simulation import LabelScents
from audits.task_matching import NavLink, match_tasks
from audits.words import analyzer, fold, is_language_switch
from contract.config import Task
from contract.languages import LANGUAGES, first_tag, language_of_tag, path_language
from crawler.language import detected_language, page_language
from crawler.one_language import LanguageScope

HOME = "http://gemeente.test/"
DUTCH = (
    "Welkom bij de gemeente. Hier vraagt u een paspoort of ID-kaart aan, geeft u uw verhuizing "
    "door en doet u een melding openbare ruimte. Bekijk ook de afvalkalender voor de ophaaldagen "
    "van het grofvuil, en maak een afspraak bij de balie van het stadskantoor."
)


def root(markup: str) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(markup)


def test_a_language_tag_is_reduced_to_a_language_toptasks_reads():
    assert language_of_tag("nl-NL") == "nl"
    assert language_of_tag("de_AT") == "de"
    assert language_of_tag("NO") == language_of_tag("nn") == "nb"
    assert language_of_tag("pl") == language_of_tag("") == language_of_tag("x") == ""
    assert first_tag("de-DE, en") == "de"


def test_the_declared_language_wins_then_the_header_then_the_text():
    assert page_language(root('<html lang="fr-BE"><body>Hello</body></html>'), "de", "") == "fr"
    assert page_language(root("<html><body>x</body></html>"), "da-DK", DUTCH) == "da"
    assert page_language(root("<html><body>x</body></html>"), "", DUTCH) == "nl"
    # declared, but not a language toptasks reads: no language, not a guess
    assert page_language(root('<html lang="pl"><body>x</body></html>'), "", DUTCH) == ""


def test_a_text_too_short_to_tell_has_no_language():
    assert detected_language("Home Contact") == ""
    assert detected_language(DUTCH) == "nl"


def test_german_plurals_and_umlauts_meet_their_singular():
    german = analyzer("de")
    assert german.terms("Kontoauszüge") == german.terms("Kontoauszug")


def test_compounds_split_into_the_sites_own_words():
    dutch = analyzer("nl")
    known = dutch.known_words(["afval", "kalender", "paspoort"])
    assert "afval" in dutch.terms("Afvalkalender", known)
    german = analyzer("de")
    known = german.known_words(["konto", "versicherung"])
    assert german.stem("konto") in german.terms("Kontoauszüge", known)
    # a linking s: "Versicherungsschutz" is made of "Versicherung"
    assert german.stem("versicherung") in german.terms("Versicherungsschutz", known)


def test_accents_are_folded_and_stop_words_dropped():
    french = analyzer("fr")
    assert french.terms("Démarches en ligne") == french.terms("demarches ligne")
    assert fold("Bøker på Åpningstider") == "Boker pa Apningstider"
    assert analyzer("nl").words("de afval en het grofvuil") == ["afval", "grofvuil"]


def test_english_reads_as_it_always_did():
    """The English words are split on a-z and digits, stemmed by Snowball's English stemmer:
    an accented letter splits a word as before, so English results do not move."""
    assert terms("Report a lost card") == ["report", "lost", "card"]
    assert terms("café", "en") == ["caf"]
    assert analyzer("") is analyzer("en") and analyzer("xx").lang == "en"


def test_dutch_scent_finds_the_compound_that_holds_the_task():
    labels = ["Afvalkalender", "Parkeren", "Paspoort en ID-kaart", "Nieuws", "Afval"]
    scorer = TfidfScorer(labels * 3, "nl")
    calendar, parking = scorer.score("Afval ophalen", ["Afvalkalender", "Parkeren"])
    assert calendar >= MIN_SCENT and parking == 0
    english = TfidfScorer(labels * 3)  # read as English, the compound shares nothing
    assert english.score("Afval ophalen", ["Afvalkalender"]) == [0.0]


def test_german_scent_meets_a_plural_in_a_compound():
    scorer = TfidfScorer(["Kontoauszüge", "Karte sperren", "Konto", "Baufinanzierung"], "de")
    statements, card = scorer.score("Kontoauszug abrufen", ["Kontoauszüge", "Karte sperren"])
    assert statements > 0.5 and card == 0


def test_simulated_customers_smell_a_compound():
    """LabelScents asks the vocabulary for the labels holding the task's terms, compounds
    split the same way."""
    labels = ["Afvalkalender", "Parkeren", "Afval", "Nieuws"]
    scorer = TfidfScorer(labels, "nl")
    scents = LabelScents(labels, scorer.vocabulary)
    task = Task.model_validate({"id": "waste", "name": "Afval", "target": {"url": "/afval"}})
    smelled = scents.towards(task, scorer)
    assert smelled[0] > 0 and smelled[1] == 0


def test_a_language_switcher_is_no_choice():
    assert is_language_switch("English") and is_language_switch("NL | FR")
    assert is_language_switch("Deutsch") and is_language_switch("EN")
    assert not is_language_switch("Afval") and not is_language_switch("English courses")
    assert path_language("http://x.test/en/afval") == "en"
    assert path_language("http://x.test/nl-be/") == "nl"
    assert path_language("http://x.test/energie/") == ""


def nav(text: str, path: str, region: str = "nav") -> NavLink:
    return NavLink("desktop", text, HOME + path.lstrip("/"), region)


def test_dutch_municipality_tasks_are_found_in_its_own_words():
    links = [
        nav("Paspoort en ID-kaart", "/paspoort-en-id-kaart"),
        nav("Afvalkalender", "/afvalkalender"),
        nav("Melding openbare ruimte", "/melding-openbare-ruimte"),
        nav("Afspraak maken", "/afspraak"),
        nav("English", "/en/"),
    ]
    found = {
        m.task.id: m.link
        for m in match_tasks(sector_tasks("government", "nl"), {"desktop": links}, "nl")
    }
    assert found["apply"].text == "Paspoort en ID-kaart"
    assert found["waste"].text == "Afvalkalender"
    assert found["report"].text == "Melding openbare ruimte"
    assert found["appointment"].text == "Afspraak maken"
    assert all(link is None or link.text != "English" for link in found.values())


def test_german_bank_tasks_are_found_in_its_own_words():
    links = [
        nav("Online-Banking", "/de/home/login.html", "header"),
        nav("Karte sperren", "/de/home/service/karte-sperren.html"),
        nav("Kontoauszüge", "/de/home/service/postfach.html"),
        nav("Girokonto eröffnen", "/de/home/privatkunden/girokonto.html"),
    ]
    found = {
        m.task.id: m.link for m in match_tasks(sector_tasks("bank", "de"), {"desktop": links}, "de")
    }
    assert found["login"].text == "Online-Banking"
    assert found["lost_card"].text == "Karte sperren"
    assert found["statements"].text == "Kontoauszüge"
    assert found["open_account"].text == "Girokonto eröffnen"


def test_french_phrases_meet_labels_without_their_accents():
    links = [nav("Demarches en ligne", "/services"), nav("Prendre rendez-vous", "/rdv")]
    found = {
        m.task.id: m.link
        for m in match_tasks(sector_tasks("government", "fr"), {"desktop": links}, "fr")
    }
    assert found["apply"].text == "Demarches en ligne"
    assert found["appointment"].text == "Prendre rendez-vous"


@pytest.mark.parametrize(
    ("lang", "words", "sector"),
    [
        (
            "nl",
            "Paspoort en ID-kaart Afval Melding openbare ruimte Gemeente Parkeervergunning",
            "government",
        ),
        ("de", "Online-Banking Karte sperren Girokonto Baufinanzierung Tagesgeld", "bank"),
        ("fr", "Déclarer un sinistre Devis Assurance auto Habitation Mutuelle", "insurance"),
        (
            "es",
            "Sede electrónica Trámites Cita previa Padrón Impuestos y tasas Ayuntamiento",
            "government",
        ),
        ("it", "Area clienti Bollette Autolettura Offerte luce e gas Guasti", "utility"),
        ("nb", "Logg inn Nettbank Sperre kort Boliglån Sparing Vipps", "bank"),
        ("da", "Selvbetjening Pas og kørekort Affald Borgerservice Kommune", "government"),
        ("sv", "Anmäl skada Beräkna pris Bilförsäkring Hemförsäkring Självrisk", "insurance"),
    ],
)
def test_the_sector_is_guessed_in_the_sites_language(lang, words, sector):
    assert guess_sector(words, lang)[0] == sector


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
@pytest.mark.parametrize("sector", SECTORS)
def test_every_language_has_a_catalogue_for_every_sector(lang, sector):
    catalogue = load_catalogue(sector, lang)
    assert catalogue.sector == sector and catalogue.tasks
    ids = [task.id for task in sector_tasks(sector, lang)]
    assert len(ids) == len(set(ids))
    text = catalogue_file(sector, lang).read_text("utf-8")
    assert "Sources:" in text
    own = resources.files("audits").joinpath(f"catalogue/{lang}/{sector}.yaml")
    assert own.is_file(), f"{lang}/{sector}.yaml"
    # a task keeps its English id, so that runs compare across languages
    assert {task.id for task in load_catalogue(sector).tasks} <= set(ids)


def test_the_embedding_scorer_says_plainly_it_reads_english_only():
    assert english_only("en") is None and english_only("") is None
    assert "no multilingual model" in english_only("nl")


def test_a_crawl_stays_in_the_start_pages_language():
    scope = LanguageScope(None, "http://gemeente.test/")
    start = root(
        '<html lang="nl"><head>'
        '<link rel="alternate" hreflang="en" href="/welcome">'
        '<link rel="alternate" hreflang="x-default" href="/">'
        '<link rel="alternate" hreflang="nl" href="/"></head><body></body></html>'
    )
    scope.learn(start, "", "http://gemeente.test/")
    assert scope.lang == "nl"
    assert not scope.allows("http://gemeente.test/en/waste")
    assert not scope.allows("http://gemeente.test/welcome")
    assert scope.allows("http://gemeente.test/nl/afval") and scope.allows(
        "http://gemeente.test/afval"
    )
    # a site in one language, with no prefixes and no alternates, is crawled as before
    english = LanguageScope(None, "http://bank.test/")
    english.learn(root("<html><body>Hello</body></html>"), "", "http://bank.test/")
    assert english.allows("http://bank.test/no-type") and english.allows("http://bank.test/fr/")


def test_a_language_switcher_is_no_clutter():
    def link(name: str, y: int) -> dict:
        return {
            "tag": "a",
            "displayed": True,
            "name": name,
            "x": 10,
            "y": y,
            "width": 80,
            "height": 20,
        }

    record = {"width": 1366, "height": 768, "elements": [link(f"Dienst {i}", i) for i in range(20)]}
    switcher = [link(name, 700) for name in ("NL", "EN", "Deutsch", "Français", "Español")]
    assert clutter(record) == 0
    assert clutter(record | {"elements": record["elements"] + switcher}) == 0
    assert clutter(record | {"elements": record["elements"] + [link("Nieuws", 700)] * 5}) > 0


def test_a_malformed_address_names_no_language():
    assert path_language("http://[x/en/") == ""
    scope = LanguageScope("nl", "http://gemeente.test/")
    scope.learn(
        root('<html><head><link rel=alternate hreflang=en href="http://[x"></head></html>'),
        "",
        "http://gemeente.test/",
    )
    assert scope.allows("http://[x") and not scope.allows("http://gemeente.test/en/")
