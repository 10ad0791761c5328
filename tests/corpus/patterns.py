"""The corpus's patterns and what a person finds on each, by hand.

Each expected answer was found without toptasks: reading the library's markup and behaviour,
walking the served page with tests/corpus/walk.py (its own Playwright script: it hovers and
clicks as a person does and counts), and looking at its screenshots at 1366x768 and 390x844.
`interactions` counts every hover, tap and click from the start page to the target page;
`menu_path` is what the customer goes through, deepest viewport first, as tasks.csv's
entry_menu_path writes it; `findings` are the (kind, viewport) pairs that must be reported for
the task, and nothing else from the visibility and findability audits may be.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Expect:
    """One task as a person does it: the words they hover or click, in order, from the start
    page to the target page ("Personal ▸ Cards ▸ Report a lost card"). A label of the form
    "css:SELECTOR" is an opener with no name at all; "unlabelled" is what tasks.csv says of it."""

    clicks: int | None  # pages followed; None: not reachable
    desktop: str = ""  # the trail at 1366x768
    mobile: str = ""  # the trail at 390x844 (the desktop one when empty)
    findings: frozenset[tuple[str, str]] = frozenset()  # planted or true: (kind, viewport)

    def trail(self, viewport: str) -> list[str]:
        text = self.mobile if viewport == "mobile" and self.mobile else self.desktop
        return text.split(" ▸ ") if text else []

    def interactions(self, viewport: str) -> int | None:
        return None if self.clicks is None else len(self.trail(viewport))

    def in_menu(self, viewport: str) -> bool:
        """The entry shows only once a menu is opened: more interactions than pages."""
        return self.clicks is not None and self.interactions(viewport) > self.clicks

    @property
    def menu_path(self) -> str:
        """tasks.csv's entry_menu_path: the deepest viewport's trail through the menus."""
        deepest = max(BOTH, key=lambda vp: self.in_menu(vp) and self.interactions(vp) or 0)
        if not self.in_menu(deepest):
            return ""
        labels = self.trail(deepest)
        return " ▸ ".join("unlabelled" if label.startswith("css:") else label for label in labels)


@dataclass(frozen=True)
class Pattern:
    site: str  # folder under pages/ (or the npm template)
    brand: str
    source: str  # whose code this is, and its licence
    what: str  # the real-world pattern
    tasks: str  # tasks.yaml
    expect: dict[str, Expect]
    targets: dict[str, str] = field(default_factory=dict)  # destination pages: path -> title
    start: str = "/"
    consent: tuple[str, str] | None = None  # (platform, answer) recognised on the start page
    refuse: str = ""  # the consent layer's refusal, as a person clicks it
    site_findings: frozenset[tuple[str, str]] = frozenset()  # (kind, page path) not per task


BOTH = ("desktop", "mobile")


def both(kind: str) -> frozenset[tuple[str, str]]:
    return frozenset((kind, vp) for vp in BOTH)


# A menu that only a pointer opens (hover, or a click on a bare element): Tab never reaches it.
KEYBOARD = frozenset({("entry_not_keyboard_reachable", "desktop")})


def task(id_: str, text: str, url: str) -> str:
    return f"""
  - id: {id_}
    name: {text}
    entry: {{text: ["{text.lower()}"]}}
    target: {{url: '{url}'}}"""


def tasks(*items: str) -> str:
    return "site:\n  max_pages: 60\ntasks:" + "".join(items) + "\n"


PATTERNS = [
    Pattern(
        "modern-business",
        "Start Bootstrap",
        "npm startbootstrap-modern-business 5.0.7 (MIT, Start Bootstrap LLC), Bootstrap 5.3.8",
        "a public Bootstrap 5 business template: click dropdowns on href=# in a navbar that "
        "collapses behind a hamburger on phones",
        tasks(
            task("blog_post", "Blog Post", r"/blog-post\.html$"),
            task("pricing", "Pricing", r"/pricing\.html$"),
        ),
        {
            "blog_post": Expect(1, "Blog ▸ Blog Post", "Toggle navigation ▸ Blog ▸ Blog Post"),
            "pricing": Expect(1, "Pricing", "Toggle navigation ▸ Pricing"),
        },
    ),
    Pattern(
        "bootstrap-hover",
        "Kestrel Bank",
        "npm bootstrap 5.3.8 (MIT); hover CSS as themes write it",
        "Bootstrap 5 dropdowns that open on hover through theme CSS (one by display, one by "
        "visibility), a collapsed navbar on phones, and a hero button wired to nothing",
        tasks(
            task("lost_card", "Report a lost card", "/cards/lost$"),
            task("mortgage", "Mortgages", "/loans/mortgages$"),
            task("quote", "Get a quote", "/quote$"),
        ),
        {
            "lost_card": Expect(
                1, "Cards ▸ Report a lost card", "Toggle navigation ▸ Cards ▸ Report a lost card"
            ),
            "mortgage": Expect(1, "Loans ▸ Mortgages", "Toggle navigation ▸ Loans ▸ Mortgages"),
            "quote": Expect(None, findings=both("dead_control")),
        },
        targets={
            "/cards/credit": "Credit cards",
            "/cards/lost": "Report a lost card",
            "/loans/mortgages": "Mortgages",
            "/loans/personal": "Personal loans",
            "/help": "Help",
            "/quote": "Get a quote",
        },
    ),
    Pattern(
        "bootstrap-offcanvas",
        "Ospray Building Society",
        "npm bootstrap 5.3.8 (MIT)",
        "a Bootstrap 5 offcanvas drawer behind a 'Menu' button, at every width",
        tasks(
            task("branch", "Find a branch", "/branches$"),
            task("savings", "See our savings rates", "/savings$"),
        ),
        {
            "branch": Expect(1, "Menu ▸ Find a branch"),
            "savings": Expect(1, "See our savings rates"),
        },
        targets={"/savings": "Savings", "/mortgages": "Mortgages", "/branches": "Find a branch"},
    ),
    Pattern(
        "superfish",
        "Merlin Savings Bank",
        "npm jquery 3.7.1 (MIT), superfish 1.7.10 with its hoverIntent (MIT)",
        "a jQuery superfish menu, two levels deep, on href=# parents",
        tasks(
            task("lost_card", "Report a lost card", "/personal/cards/lost$"),
            task("loans", "Business loans", "/business/loans$"),
        ),
        {
            "lost_card": Expect(1, "Personal ▸ Cards ▸ Report a lost card"),
            "loans": Expect(1, "Business ▸ Business loans"),
        },
        targets={
            "/personal/cards/lost": "Report a lost card",
            "/personal/cards/credit": "Credit cards",
            "/personal/savings": "Savings",
            "/business/loans": "Business loans",
            "/contact": "Contact",
        },
    ),
    Pattern(
        "alpine",
        "Plover Credit Union",
        "npm alpinejs 3.17.5 (MIT)",
        "Alpine.js x-show menus: one opened by a button's @click, one by @mouseenter on a "
        "<div> around a bare <span>",
        tasks(
            task("savings", "Savings accounts", "/accounts/savings$"),
            task("contact", "Contact us", "/help/contact$"),
        ),
        {
            "savings": Expect(1, "Accounts ▸ Savings accounts"),
            "contact": Expect(1, "Help ▸ Contact us", findings=KEYBOARD),
        },
        targets={
            "/accounts/savings": "Savings accounts",
            "/accounts/current": "Current accounts",
            "/help/contact": "Contact us",
            "/help/faq": "Questions and answers",
        },
    ),
    Pattern(
        "bulma",
        "Avocet Mutual",
        "npm bulma 1.0.4 (MIT), burger script from Bulma's documentation",
        "a Bulma navbar: an is-hoverable dropdown whose opener is an <a> with no href, and a "
        "navbar-burger below 1024 px",
        tasks(
            task("lost_card", "Report a lost card", "/cards/lost$"),
            task("insurance", "Insurance", "/insurance$"),
        ),
        {
            "lost_card": Expect(
                1, "Cards ▸ Report a lost card", "menu ▸ Report a lost card", findings=KEYBOARD
            ),
            "insurance": Expect(1, "Insurance", "menu ▸ Insurance"),
        },
        targets={
            "/cards/credit": "Credit cards",
            "/cards/lost": "Report a lost card",
            "/insurance": "Insurance",
        },
    ),
    Pattern(
        "details",
        "Tern Water",
        "HTML's own <details> disclosure (no library)",
        "a <details>/<summary> menu in the header",
        tasks(
            task("pay", "Pay your bill", "/account/pay$"), task("leak", "Report a leak", "/leaks$")
        ),
        {
            "pay": Expect(1, "Your account ▸ Pay your bill"),
            "leak": Expect(1, "Report a leak"),
        },
        targets={
            "/account/pay": "Pay your bill",
            "/account/meter": "Submit a meter reading",
            "/leaks": "Report a leak",
        },
    ),
    Pattern(
        "drawer",
        "Gannet Gas",
        "hand-written markup of a common off-canvas pattern (no library)",
        "an off-canvas drawer opened by a <div onclick> holding an image (alt 'Menu'), and an "
        "account panel opened by a <div> whose image has an empty alt (no name at all)",
        tasks(task("pay", "Pay a bill", "/pay$"), task("login", "Log in", "/login$")),
        {
            "pay": Expect(1, "Menu ▸ Pay a bill"),
            "login": Expect(
                1, "css:#account ▸ Log in", findings=both("menu_opener_unlabelled") | KEYBOARD
            ),
        },
        targets={
            "/pay": "Pay a bill",
            "/moving": "Moving home",
            "/emergency": "Gas emergency",
            "/login": "Log in",
            "/register": "Register",
        },
    ),
    Pattern(
        "span-sticky",
        "Curlew Insurance",
        "hand-written markup of a common template pattern (no library)",
        "a sticky header that shrinks on scroll, with a bare <span> that opens 'Services' on "
        "click (addEventListener)",
        tasks(task("claim", "Make a claim", "/claims$"), task("contact", "Contact", "/contact$")),
        {
            "claim": Expect(1, "Services ▸ Make a claim", findings=KEYBOARD),
            "contact": Expect(1, "Contact"),
        },
        targets={
            "/claims": "Make a claim",
            "/renew": "Renew a policy",
            "/contact": "Contact",
            "/careers": "Careers",
        },
    ),
    Pattern(
        "cookieconsent",
        "Dunlin Telecom",
        "npm vanilla-cookieconsent 3.1.0 (MIT, Orest Bida)",
        "vanilla-cookieconsent 3's box modal in the middle of the page",
        tasks(task("login", "Log in", "/login$")),
        {"login": Expect(1, "Log in")},
        targets={"/login": "Log in", "/coverage": "Coverage map"},
        consent=("vanilla-cookieconsent", "refused"),
        refuse="Reject all",
    ),
    Pattern(
        "klaro",
        "Sanderling Rail",
        "npm klaro 0.7.22 (BSD-3-Clause, KIProtect)",
        "a klaro consent modal that must be answered (mustConsent), over the whole page",
        tasks(task("login", "Log in", "/login$")),
        {"login": Expect(1, "Log in", findings=both("entry_covered"))},
        targets={"/login": "Log in", "/times": "Timetables"},
        consent=("Klaro", "refused"),
        refuse="I decline",
    ),
    Pattern(
        "osano",
        "Turnstone Pharmacy",
        "npm cookieconsent 3.1.1 (MIT, Osano)",
        "Osano's open-source Cookie Consent 3, an opt-in banner over the top of the page",
        tasks(task("login", "Log in", "/login$")),
        {"login": Expect(1, "Log in", findings=both("entry_covered"))},
        targets={"/login": "Log in", "/prescriptions": "Repeat prescriptions"},
        consent=("Cookie Consent (Osano)", "refused"),
        refuse="Decline",
    ),
    Pattern(
        "react",
        "Tern Bank",
        "npm react 19.3.1, react-router 7.18.7 (MIT), built offline with esbuild",
        "a React Router 7 app under the basename /app (history routes, deep links need the "
        "server's fallback), a call-to-action <button> with no handler, and a removed route "
        "that the catch-all shows as the home page",
        tasks(
            task("lost_card", "Report a lost or stolen card", "/app/cards/lost$"),
            task("contact", "Contact us", "/app/help/contact$"),
            task("open_account", "Open an account", "/app/open$"),
        ),
        {
            "lost_card": Expect(2, "Cards ▸ Report a lost or stolen card"),
            "contact": Expect(1, "Contact us"),
            "open_account": Expect(None, findings=both("dead_control")),
        },
        start="/app/",
        site_findings=frozenset({("soft_404", "/app/offers")}),
    ),
    Pattern(
        "vue-hash",
        "Wren Energy",
        "npm vue 3.5.45, vue-router 4.6.5 (MIT), built offline with esbuild",
        "a Vue Router app in hash mode (#/account)",
        tasks(
            task("meter", "Submit a meter reading", "#/account/meter$"),
            task("moving", "Moving home", "#/moving$"),
        ),
        {
            "meter": Expect(2, "Your account ▸ Submit a meter reading"),
            "moving": Expect(1, "Moving home"),
        },
    ),
    Pattern(
        "vue-history",
        "Wren Energy",
        "npm vue 3.5.45, vue-router 4.6.5 (MIT), built offline with esbuild",
        "a Vue Router app in history mode under the sub-path /vue/",
        tasks(
            task("meter", "Submit a meter reading", "/vue/account/meter$"),
            task("moving", "Moving home", "/vue/moving$"),
        ),
        {
            "meter": Expect(2, "Your account ▸ Submit a meter reading"),
            "moving": Expect(1, "Moving home"),
        },
        start="/vue/",
    ),
]
