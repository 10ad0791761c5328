"""Kelvin University: a fixture site of another sector, built as universities build theirs.

A utility bar (student login, staff), a header search form, a "Study" dropdown (a button with
aria-expanded, its submenu hidden until opened) holding the course and fee pages, a hamburger
that shows the whole navigation on a phone, a rotating hero of news, and a footer of service
links (accommodation, term dates, library, contact). No open days page: `toptasks init` must
say so rather than guess.
"""

from __future__ import annotations

from html import escape

from tests.sites.server import Reply, Route

STYLE = """
body { font-family: sans-serif; margin: 0; }
.utility { background: #111; padding: 4px 16px; text-align: right; }
.utility a { color: #fff; margin-left: 16px; font-size: 14px; }
header { display: flex; align-items: center; gap: 24px; padding: 12px 16px; }
.nav-toggle { display: none; }
nav ul { list-style: none; display: flex; gap: 20px; margin: 0; padding: 0; }
nav li { position: relative; }
.submenu { display: none; position: absolute; top: 28px; left: 0; background: #fff;
  border: 1px solid #ccc; padding: 8px; min-width: 220px; flex-direction: column; }
.submenu.open { display: flex; }
.hero { height: 420px; background: #234; color: #fff; padding: 40px; }
footer { background: #eee; padding: 24px 16px; margin-top: 40px; }
footer ul { list-style: none; padding: 0; }
@media (max-width: 700px) {
  .nav-toggle { display: block; }
  header nav { display: none; }
  header nav.open { display: block; position: absolute; top: 90px; left: 0; right: 0;
    background: #fff; }
  nav ul { flex-direction: column; }
  .submenu { position: static; }
  .hero { height: 600px; }
}
"""

SCRIPT = """
document.querySelectorAll('[aria-controls]').forEach(function (button) {
  button.addEventListener('click', function () {
    var target = document.getElementById(button.getAttribute('aria-controls'));
    var open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    target.classList.toggle('open', open);
  });
});
var slides = ['Research news: new telescope', 'Clearing places available', 'Alumni weekend'];
var at = 0;
setInterval(function () {
  at = (at + 1) % slides.length;
  document.getElementById('slide').textContent = slides[at];
}, 1000);
"""

HEADER = """
<div class="utility">
  <a href="/login/">Student login</a>
  <a href="/staff/">Staff</a>
</div>
<header>
  <a href="/" class="logo"><img src="/logo.svg" alt="Kelvin University home" width="120"></a>
  <button class="nav-toggle" aria-expanded="false" aria-controls="site-nav">Menu</button>
  <nav id="site-nav" aria-label="Main">
    <ul>
      <li>
        <button aria-expanded="false" aria-controls="study-menu">Study</button>
        <div class="submenu" id="study-menu">
          <a href="/study/undergraduate/">Undergraduate courses</a>
          <a href="/study/postgraduate/">Postgraduate courses</a>
          <a href="/study/fees/">Fees and funding</a>
        </div>
      </li>
      <li><a href="/apply/">Apply</a></li>
      <li><a href="/research/">Research</a></li>
      <li><a href="/student-life/">Student life</a></li>
    </ul>
  </nav>
  <form role="search" action="/search/"><input type="search" name="q" aria-label="Search"
    ><button>Search</button></form>
</header>
"""

FOOTER = """
<footer>
  <ul>
    <li><a href="/student-life/accommodation/">Accommodation</a></li>
    <li><a href="/term-dates/">Term dates</a></li>
    <li><a href="/library/">Library</a></li>
    <li><a href="/contact/">Contact us</a></li>
    <li><a href="/jobs/">Jobs at Kelvin</a></li>
  </ul>
  <p>Kelvin University is a charity registered in Scotland.</p>
</footer>
"""


def page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | Kelvin University</title><style>{STYLE}</style></head>
<body>{HEADER}<main>{body}</main>{FOOTER}<script>{SCRIPT}</script></body></html>"""


def article(title: str, text: str, links: list[tuple[str, str]] = ()) -> str:
    items = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in links)
    return page(title, f"<h1>{escape(title)}</h1><p>{escape(text)}</p><ul>{items}</ul>")


HOME = page(
    "Home",
    """
<section class="hero"><h1>Discover Kelvin University</h1>
<p id="slide">Research news: new telescope</p>
<a href="/research/">Our research</a></section>
<section><h2>Undergraduate and postgraduate study on a green campus</h2>
<p>Courses for students from over 100 countries.</p></section>
""",
)

PAGES = {
    "/": HOME,
    "/login/": page(
        "Student login",
        '<h1>Student portal</h1><form method="post"><label>Student ID <input name="id"></label>'
        '<label>Password <input type="password" name="pw"></label><button>Log in</button></form>',
    ),
    "/staff/": article("Staff", "Staff intranet."),
    "/study/undergraduate/": article(
        "Undergraduate courses",
        "Find an undergraduate course.",
        [("/study/undergraduate/physics", "Physics BSc"), ("/study/undergraduate/law", "Law LLB")],
    ),
    "/study/undergraduate/physics": article("Physics BSc", "Four years."),
    "/study/undergraduate/law": article("Law LLB", "Three years."),
    "/study/postgraduate/": article("Postgraduate courses", "Masters and PhDs."),
    "/study/fees/": article("Fees and funding", "Tuition fees and scholarships."),
    "/apply/": article("How to apply", "Apply through UCAS or directly."),
    "/research/": article("Research", "Our research institutes."),
    "/student-life/": article(
        "Student life",
        "Clubs, sport and support.",
        [("/student-life/accommodation/", "Student accommodation")],
    ),
    "/student-life/accommodation/": article("Accommodation", "Halls of residence."),
    "/term-dates/": article("Term dates", "Autumn term starts 22 September."),
    "/library/": article("Library", "Open 24 hours in term."),
    "/contact/": article("Contact us", "Phone 0141 000 0000."),
    "/jobs/": article("Jobs at Kelvin", "Work with us."),
    "/search/": article("Search results", "Results for your search."),
}


def routes() -> dict[str, Route]:
    served: dict[str, Route] = {path: Reply(html) for path, html in PAGES.items()}
    served["/robots.txt"] = Reply("User-agent: *\nDisallow: /staff/\n", content_type="text/plain")
    served["/logo.svg"] = Reply(
        "<svg xmlns='http://www.w3.org/2000/svg' width='120' height='40'/>",
        content_type="image/svg+xml",
    )
    return served


# What a person finds on this site by hand (start page rendered at 1366x768 and 390x844,
# the Study menu and the hamburger opened), written down before the matcher was run on it.
HAND_CHECKED = {
    "find_course": ("Undergraduate courses", "/study/undergraduate/", 1),
    "apply": ("Apply", "/apply/", 1),
    "fees": ("Fees and funding", "/study/fees/", 1),
    "accommodation": ("Accommodation", "/student-life/accommodation/", 1),
    "student_login": ("Student login", "/login/", 1),
    "term_dates": ("Term dates", "/term-dates/", 1),
    "contact": ("Contact us", "/contact/", 1),
}
ABSENT = ["open_days", "login", "prices", "opening_hours", "help", "sign_up"]
