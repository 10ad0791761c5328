// Functions evaluated in the audited page. Kept free of side effects except highlight(),
// which adds an overlay that clearHighlight() removes again.
const INTERACTIVE =
  'a[href], area[href], button, [role=button], [role=link], ' +
  'input[type=submit], input[type=button], input[type=image]';
const MAX_ELEMENTS = 3000;
const REGION_ROLES = {banner: 'header', navigation: 'nav', main: 'main',
                      complementary: 'aside', contentinfo: 'footer'};
const LANDMARKS = 'header,nav,main,aside,footer,[role=banner],[role=navigation],' +
                  '[role=main],[role=complementary],[role=contentinfo]';
const TOGGLES = 'button[aria-expanded="false"], [role=button][aria-expanded="false"], ' +
  'a[aria-expanded="false"], .hamburger, .menu-toggle, .nav-toggle, .navbar-toggler, ' +
  'button[aria-controls], [class*="burger"]';

function regionOf(el) {
  const landmark = el.closest(LANDMARKS);
  if (!landmark) return 'main';
  const role = landmark.getAttribute('role');
  return (role && REGION_ROLES[role]) || landmark.tagName.toLowerCase();
}

function cssPath(el) {
  const parts = [];
  while (el && el.nodeType === 1 && el !== document.documentElement) {
    let step = el.tagName.toLowerCase();
    const id = el.getAttribute('id');  // not el.id: <input name=id> clobbers a form's
    if (id) { parts.unshift(step + '#' + CSS.escape(id)); break; }
    const parent = el.parentElement;
    if (parent) {
      const same = Array.from(parent.children).filter(s => s.tagName === el.tagName);
      if (same.length > 1) step += `:nth-of-type(${same.indexOf(el) + 1})`;
    }
    parts.unshift(step);
    el = parent;
  }
  return parts.join(' > ');
}

function backgroundOf(el) {
  for (let e = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) return c;
  }
  return 'rgb(255, 255, 255)';
}

function nameOf(el) {
  const img = el.querySelector && el.querySelector('img[alt]');
  const control = el.tagName === 'LABEL' && el.control;  // a checkbox menu's visible part
  const name = el.getAttribute('aria-label') || el.innerText || el.value ||
               (img && img.alt) || el.getAttribute('title') || el.getAttribute('alt') ||
               (control && (control.getAttribute('aria-label') || control.title)) || '';
  return name.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function isDisplayed(el, box) {
  if (box.width <= 0 || box.height <= 0) return false;
  // Off-canvas: parked left of or above the page, where no scrolling reaches (a drawer at
  // translateX(-100%) until its opener is clicked).
  if (box.right + scrollX <= 0 || box.bottom + scrollY <= 0) return false;
  if (el.checkVisibility) {
    // Also sees what CSS alone does not say: the content of a closed <details> keeps its
    // boxes but is skipped (content-visibility), so it is not shown.
    return el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  }
  for (let e = el; e; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) {
      return false;
    }
  }
  return true;
}

function isCovered(el, box) {
  const layer = coveredBy(el, box);
  return layer === null ? null : layer !== '';
}

// What lies over the element's centre: '' when nothing does, null when off screen, else a
// short description of the layer on top (its label, or its CSS path).
function coveredBy(el, box) {
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return null;
  const top = document.elementFromPoint(x, y);
  if (!top || top === el || el.contains(top) || top.contains(el)) return '';
  const layer = top.closest('[role=dialog], [role=alertdialog], [aria-modal=true], dialog, ' +
    '[id*=cookie i], [class*=cookie i], [id*=consent i], [class*=consent i]') || top;
  const label = (layer.getAttribute('aria-label') || layer.innerText || '').replace(/\s+/g, ' ').trim();
  return label ? label.slice(0, 60) : cssPath(layer);
}

// The screen the page really gets: a page without a mobile layout is laid out about 980 px
// wide and zoomed out to fit a phone, so positions are judged against the visual viewport in
// CSS pixels, and sizes on screen are CSS pixels times the scale.
function viewportInfo() {
  const vv = window.visualViewport;
  return {
    screen_width: vv ? vv.width : innerWidth, screen_height: vv ? vv.height : innerHeight,
    scale: vv ? vv.scale : 1, layout_width: innerWidth,
    viewport_meta: !!document.querySelector('meta[name=viewport]'),
    scroll_width: document.documentElement.scrollWidth,
  };
}

function collect() {
  const elements = Array.from(document.querySelectorAll(INTERACTIVE)).slice(0, MAX_ELEMENTS);
  return elements.map((el, index) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const displayed = isDisplayed(el, box);
    return {
      index, tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || '',
      name: nameOf(el), href: (el.href && typeof el.href === 'string') ? el.href : '',
      x: box.left + scrollX, y: box.top + scrollY, width: box.width, height: box.height,
      displayed, covered: displayed ? isCovered(el, box) : null,
      covered_by: displayed ? coveredBy(el, box) : null,
      font_size: parseFloat(style.fontSize) || 0, color: style.color,
      background: backgroundOf(el), region: regionOf(el), css: cssPath(el),
      href_attr: (el.getAttribute('href') || '').slice(0, 200), link_role: linkRole(el),
      has_text: !!(el.innerText || el.value || '').trim(),
    };
  });
}

// What a link does besides leading to a page: opens a menu ('toggle'), scrolls to a real
// element of the page ('anchor'), nothing at all ('placeholder': "#", "#!",
// "javascript:void(0)", a missing target id), or reloads the page it is on ('self', such as
// the logo on the home page). '' for a plain link.
const DO_NOTHING = /^(|#|#!|javascript:\s*(void\s*\(?\s*0\s*\)?)?\s*;?)$/i;

function linkRole(el) {
  if (el.matches(OPENS_MENU) || el.closest('summary')) return 'toggle';
  if (el.tagName !== 'A') return '';
  const raw = (el.getAttribute('href') || '').trim();
  const nothing = DO_NOTHING.test(raw);
  const parent = el.parentElement;
  if (nothing && parent && parent.querySelector(':scope > ul, :scope > div, :scope > [class*="menu"]')) {
    return 'toggle';  // a hover or click parent whose submenu is its sibling
  }
  if (nothing) return 'placeholder';
  if (raw.startsWith('#') && !/^#!?\//.test(raw)) {
    let id = raw.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* keep it as written */ }
    return document.getElementById(id) ? 'anchor' : 'placeholder';
  }
  if (el.href.split('#')[0] === location.href.split('#')[0] && !/#!?\//.test(el.href)) {
    return 'self';
  }
  return '';
}

function menuToggle() {
  const visible = Array.from(document.querySelectorAll(TOGGLES)).filter(el => {
    const box = el.getBoundingClientRect();
    return isDisplayed(el, box) && box.top < innerHeight;
  });
  return visible.length ? cssPath(visible[0]) : null;
}

// Menu openers on screen now: click toggles (a hamburger, a dropdown, a disclosure) and, on
// desktop, hover parents (a navigation item whose submenu is hidden until the pointer is on it).
const OPENERS = TOGGLES + ', [data-bs-toggle], [data-toggle], summary, [aria-haspopup=true], ' +
  '[aria-haspopup=menu]';

// An element's own words, without those of the submenu it holds.
function ownText(el) {
  return Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent)
    .join(' ').replace(/\s+/g, ' ').trim().slice(0, 120);
}

// Where a person looks for a menu's opener: the top bar, however it is marked up.
const TOP_BAND_PX = 160;
const MAX_POINTER_SCAN = 4000;

// Does clicking it leave the page? A link to somewhere else does; "#", no href, a span do not.
function staysOnPage(el) {
  const link = el.closest('a[href]');
  return !link || DO_NOTHING.test((link.getAttribute('href') || '').trim());
}

function menuOpeners(hover) {
  const found = [];
  const push = (el, how, name) => {
    const css = cssPath(el);
    if (found.some(f => f.css === css)) return;
    const box = el.getBoundingClientRect();
    // What a keyboard or screen-reader user meets: a real control, or a bare element that
    // only a pointer can open (no role, not in the Tab order).
    const control = el.matches('a[href], button, input, select, summary, [role=button], ' +
      '[role=link], [role=menuitem], [role=tab]');
    found.push({css, name: name === undefined ? nameOf(el) : name, how,
                tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || '', control,
                focusable: control || el.tabIndex >= 0 || el.hasAttribute('tabindex'),
                clickable: staysOnPage(el),
                x: box.left + scrollX, y: box.top + scrollY, width: box.width,
                height: box.height});
  };
  for (const el of document.querySelectorAll(OPENERS)) {
    if (isDisplayed(el, el.getBoundingClientRect())) push(el, 'click');
  }
  // A parent whose submenu is hidden until it is hovered (or, on a touch screen, tapped): a
  // navigation item, a dropdown <div> (Bulma, Alpine.js), a list in a legacy <ul id="nav">.
  const items = 'header li, nav li, [role=menubar] > *, ul[id*=nav i] > li, ul[id*=menu i] > li, ' +
    'ul[class*=nav i] > li, ul[class*=menu i] > li, header div[class*=dropdown i], ' +
    'nav div[class*=dropdown i], header div[class*=menu i], nav div[class*=menu i]';
  for (const item of document.querySelectorAll(items)) {
    const submenu = item.querySelector(':scope > ul, :scope > div, :scope > [role=menu]');
    if (!submenu || !submenu.querySelector('a[href]') ||
        isDisplayed(submenu, submenu.getBoundingClientRect())) continue;
    const handle = item.querySelector(':scope > a, :scope > button, :scope > span');
    const shown = handle && isDisplayed(handle, handle.getBoundingClientRect());
    if (handle && !shown) continue;
    // On a phone there is no hover: a customer taps the parent, which must not be a link away.
    if (!hover && handle && !staysOnPage(handle)) continue;
    const how = hover ? 'hover' : 'click';
    if (handle) {
      push(handle, how);
    } else if (ownText(item)) {
      // A legacy pure-CSS menu (`li:hover ul {display: block}`): the customer hovers the bare
      // item's words, "Personal", with no link or button in it.
      push(item, how, ownText(item));
    }
  }
  // Anything else in the top bar that looks clickable and is no control: a <div onclick>
  // holding a hamburger image, a <span> with a click listener. The pointer cursor (or an
  // onclick attribute) is what tells a person, and toptasks, that it does something.
  const scanned = Array.from(document.body.querySelectorAll('*')).slice(0, MAX_POINTER_SCAN);
  for (const el of scanned) {
    if (el.closest(INTERACTIVE + ', summary, label, svg, [data-bs-toggle], [aria-expanded]')) continue;
    if (el.querySelector(INTERACTIVE)) continue;
    const box = el.getBoundingClientRect();
    if (box.top + scrollY > TOP_BAND_PX || box.width > 320 || box.height > 120) continue;
    const pointer = getComputedStyle(el).cursor === 'pointer';
    const parent = el.parentElement;
    const outermost = !parent || getComputedStyle(parent).cursor !== 'pointer';
    if (!(el.hasAttribute('onclick') || (pointer && outermost))) continue;
    if (isDisplayed(el, box)) push(el, 'click');
  }
  return found;
}

function timing() {
  const nav = performance.getEntriesByType('navigation')[0];
  const lcp = performance.getEntriesByType('largest-contentful-paint');
  return {
    dcl_ms: nav ? nav.domContentLoadedEventEnd : null,
    // A third-party tag may hold the load event for ever; the page a person reads is there
    // once its document and largest paint are.
    load_ms: nav && nav.loadEventEnd > 0 ? nav.loadEventEnd :
      (nav ? Math.max(nav.domContentLoadedEventEnd, lcp.length ? lcp[lcp.length - 1].startTime : 0) : null),
    load_event: !!(nav && nav.loadEventEnd > 0),
    lcp_ms: lcp.length ? lcp[lcp.length - 1].startTime : null,
  };
}

function highlight(marks) {
  const layer = document.createElement('div');
  layer.id = '__toptasks_overlay';
  layer.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;z-index:2147483647;' +
                        'pointer-events:none';
  for (const mark of marks) {
    const frame = document.createElement('div');
    frame.style.cssText = `position:absolute;left:${mark.x - 3}px;top:${mark.y - 3}px;` +
      `width:${mark.width + 6}px;height:${mark.height + 6}px;border:3px solid ${mark.color};` +
      'box-sizing:border-box';
    const label = document.createElement('div');
    label.textContent = mark.label;
    const above = mark.y >= 22 ? mark.y - 22 : mark.y + mark.height + 4;
    label.style.cssText = `position:absolute;left:${mark.x - 3}px;top:${above}px;` +
      `background:${mark.color};color:#fff;font:bold 12px sans-serif;padding:2px 4px;` +
      'white-space:nowrap';
    layer.append(frame, label);
  }
  document.documentElement.append(layer);
  for (const label of layer.querySelectorAll('div:nth-child(even)')) {
    const overflow = label.getBoundingClientRect().right - innerWidth;
    if (overflow > 0) label.style.left = `${parseFloat(label.style.left) - overflow - 2}px`;
  }
}

function clearHighlight() {
  const layer = document.getElementById('__toptasks_overlay');
  if (layer) layer.remove();
}

// Distractors: what draws the eye in the first viewport without serving a task. Gathered as
// observations (kind, box, first-viewport share, links inside); audits decide what they cost.
const CAROUSEL_MARKUP = '[aria-roledescription="carousel"], .carousel, .slider, .swiper, ' +
  '.slick-slider, .glide, .splide, [class*="carousel"], [class*="slideshow"]';
const PROMO_NAME = /(^|[-_\s])(promo|promos|promotion|promotions|offer|offers|advert|advertisement|ad-banner|sponsored|campaign|deal|deals)([-_\s]|$)/i;
// In every language toptasks reads (en, nl, de, fr, es, it, nb, da, sv): "cookie" and the
// words for consent (consentement, consentimiento and consenso hold "consent"), data
// protection law (DSGVO, RGPD) and cookies (Norwegian "informasjonskapsler", Swedish "kakor")
// that a cookie layer uses.
const COOKIE_WORDS = new RegExp('cookie|consent|gdpr|privacy preferences|datenschutz|dsgvo|' +
  'einwilligung|toestemming|rgpd|samtykke|samtycke|informasjonskapsler|\\bkakor\\b', 'i');
const MAX_SCANNED = 20000;

// A number ticking (a counter counting up, a clock): text that is digits before and after.
const NUMBER = /^[\s\d.,:%+\-$€£¥kKmM]*\d[\s\d.,:%+\-$€£¥kKmM]*$/;

function isNumberTick(r) {
  if (r.type === 'characterData') return NUMBER.test(r.oldValue || '') && NUMBER.test(r.target.data);
  if (r.type !== 'childList') return false;
  const text = nodes => Array.from(nodes).map(n => n.textContent).join('');
  return NUMBER.test(text(r.removedNodes)) && NUMBER.test(text(r.addedNodes));
}

function watchChanges() {
  const changed = new Map();  // element -> times it changed (ms since the watch began)
  const start = performance.now();
  const observer = new MutationObserver(records => {
    const now = performance.now() - start;
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (!el || isNumberTick(r)) continue;
      const times = changed.get(el) || [];
      if (times.length < 200) times.push(now);
      changed.set(el, times);
    }
  });
  observer.observe(document.body, {subtree: true, attributes: true, childList: true,
                                   characterData: true, characterDataOldValue: true});
  window.__toptasks_changes = {observer, changed};
}

// Carousels rotate: content changes again and again. A fade-in, a lazy image or a theme script
// changes once after load, however many mutations that takes, and a counter only changes
// numbers (ignored above: with several pages open, Chromium may run a page's animation frames
// a second apart, and a counter's ticks then look like slides). Changes less than BURST_GAP_MS
// apart are one change; a region rotates when it changes at least twice.
const BURST_GAP_MS = 400;
const WRAPPER_SHARE = 0.95;

function changeCount(times) {
  const sorted = [...times].sort((a, b) => a - b);
  let count = sorted.length ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] - sorted[i - 1] > BURST_GAP_MS) count++;
  return count;
}

// The page itself, or a wrapper around most of it, is never a carousel: what rotates is inside.
function isPageWrapper(el) {
  if (el === document.body || el === document.documentElement) return true;
  if (el.matches('main, [role=main]') || el.querySelector('main, header, footer, [role=main]')) {
    return true;
  }
  return firstViewportShare(el.getBoundingClientRect()) >= WRAPPER_SHARE;
}

function firstViewportShare(box) {
  const w = Math.max(0, Math.min(box.right, innerWidth) - Math.max(box.left, 0));
  const h = Math.max(0, Math.min(box.bottom, innerHeight) - Math.max(box.top, 0));
  return (w * h) / (innerWidth * innerHeight);
}

function isNavigation(el) {
  return !!el.closest('nav, aside, [role=navigation], [role=complementary]') ||
    !!el.querySelector(':scope > nav, :scope > ul, :scope > [role=navigation]');
}

function inSiteHeader(el) {
  return !!el.closest('header, nav, [role=banner], [role=navigation]');
}

function distractors() {
  const found = [];
  const taken = [];
  const add = (el, kind, extra = {}) => {
    if (taken.some(t => t === el || t.contains(el) || el.contains(t))) return;
    taken.push(el);
    const box = el.getBoundingClientRect();
    const links = Array.from(el.querySelectorAll('a[href]')).map(a => a.href);
    const own = el.closest('a[href]');
    if (own) links.unshift(own.href);
    found.push({
      kind, css: cssPath(el), x: box.left + scrollX, y: box.top + scrollY,
      width: box.width, height: box.height, area_share: firstViewportShare(box),
      text: (el.innerText || el.getAttribute('aria-label') || el.getAttribute('alt') || '')
        .replace(/\s+/g, ' ').trim().slice(0, 120),
      links: links.slice(0, 20), rotating: false, ...extra,
    });
  };
  const shown = (el, minShare) => {
    const box = el.getBoundingClientRect();
    return isDisplayed(el, box) && firstViewportShare(box) >= minShare;
  };
  const all = Array.from(document.body.querySelectorAll('*')).slice(0, MAX_SCANNED);
  const styles = new Map(all.map(el => [el, getComputedStyle(el)]));
  // Pop-ups, newsletter boxes and cookie walls: dialogs, or fixed layers over much of the screen.
  for (const el of all) {
    const s = styles.get(el);
    const dialog = el.matches('[role=dialog], [role=alertdialog], [aria-modal=true], dialog[open]');
    // A sticky element stays in the flow and covers nothing; a fixed sidebar or navigation is
    // the site's own furniture, not a pop-up (real sites: Docusaurus, AdminLTE).
    const layer = s.position === 'fixed' && shown(el, 0.2) && !isNavigation(el);
    if ((dialog && shown(el, 0.01)) || (layer && !inSiteHeader(el))) {
      add(el, COOKIE_WORDS.test(el.innerText || '') ? 'cookie_wall' : 'modal');
    }
  }
  // Carousels: the smallest visible region around content that changes by itself, its change
  // times pooled (a slide changes once per turn, the slider every turn); or slider markup.
  const changes = window.__toptasks_changes;
  const changing = new Map();
  for (const [el, times] of changes ? changes.changed : []) {
    if (!document.body.contains(el) || inSiteHeader(el)) continue;
    let box = el;
    while (box && !isPageWrapper(box) && !shown(box, 0.05)) box = box.parentElement;
    if (!box || isPageWrapper(box)) continue;
    const container = box.closest(CAROUSEL_MARKUP) || box;
    if (isPageWrapper(container)) continue;
    changing.set(container, (changing.get(container) || []).concat(times));
  }
  for (const [container, times] of changing) {
    if (changeCount(times) >= 2) add(container, 'carousel', {rotating: true});
  }
  for (const el of document.querySelectorAll(CAROUSEL_MARKUP)) {
    if (shown(el, 0.03) && !inSiteHeader(el) && !isPageWrapper(el)) add(el, 'carousel');
  }
  // Promotions named as such.
  for (const el of all) {
    const name = `${el.id} ${typeof el.className === 'string' ? el.className : ''}`;
    if (PROMO_NAME.test(name) && shown(el, 0.03) && !inSiteHeader(el)) add(el, 'promo_banner');
  }
  // Media that moves by itself.
  for (const video of document.querySelectorAll('video')) {
    if ((video.autoplay || !video.paused) && shown(video, 0.01)) add(video, 'autoplay_media');
  }
  for (const img of document.querySelectorAll('img[src$=".gif" i]')) {
    if (shown(img, 0.01)) add(img, 'animated_image');
  }
  // Large imagery: whether it carries a task link is for the audit to judge.
  for (const el of all) {
    const s = styles.get(el);
    const image = el.matches('img, picture, svg, video, canvas') ||
                  (s.backgroundImage && s.backgroundImage !== 'none');
    if (image && shown(el, 0.25) && !inSiteHeader(el)) add(el, 'large_image');
  }
  return withoutBackdrops(found);
}

// A dialog's empty backdrop is the same pop-up: one distractor, with the dialog's words and
// the backdrop's share of the screen.
function withoutBackdrops(found) {
  const layer = d => d.kind === 'modal' || d.kind === 'cookie_wall';
  const box = d => new DOMRect(d.x, d.y, d.width, d.height);
  return found.filter(d => {
    if (!layer(d) || d.text) return true;
    const dialog = found.find(o => o !== d && layer(o) && o.text && within(box(o), box(d)));
    if (!dialog) return true;
    dialog.area_share = Math.max(dialog.area_share, d.area_share);
    return false;
  });
}

// Client-rendered pages: wait until the DOM has been quiet for `quiet_ms` (the app has built
// its page), but never longer than `max_ms` (a spinner that never stops, a ticking counter).
function settle({quiet_ms, max_ms}) {
  return new Promise(resolve => {
    const start = performance.now();
    let last = start;
    const observer = new MutationObserver(() => { last = performance.now(); });
    observer.observe(document, {subtree: true, childList: true, attributes: true,
                                characterData: true});
    const tick = () => {
      const now = performance.now();
      if (now - last >= quiet_ms || now - start >= max_ms) {
        observer.disconnect();
        resolve(Math.round(now - start));
      } else {
        setTimeout(tick, 50);
      }
    };
    setTimeout(tick, 50);
  });
}

// Navigation that is not a link: buttons, menu items and clickable divs in the header and
// navigation. Menu toggles (they open, not go) and anything inside a form (never submitted)
// are left out; where each leads is found by clicking it in a fresh page.
const NATIVE_CLICKABLE = 'button, [role=button], [role=link], [role=menuitem], [role=tab], ' +
  '[onclick]';
const OPENS_MENU = '[aria-expanded], [aria-haspopup], [aria-controls], [data-bs-toggle], ' +
  '[data-toggle], summary';
const MAX_CLICKABLE = 20;

// A plain element is clickable where a pointer cursor begins (cursor is inherited, so its
// children would all look clickable too).
function isClickable(el) {
  if (el.matches(NATIVE_CLICKABLE)) return true;
  const parent = el.parentElement;
  return getComputedStyle(el).cursor === 'pointer' &&
         !(parent && getComputedStyle(parent).cursor === 'pointer');
}

function clickCandidates() {
  const found = [];
  const scope = document.querySelectorAll('header, nav, [role=banner], [role=navigation]');
  for (const landmark of scope) {
    for (const el of landmark.querySelectorAll('*')) {
      if (found.length >= MAX_CLICKABLE) return found;
      if (el.closest('a[href], form') || el.matches(OPENS_MENU) || el.disabled) continue;
      if (el.querySelector(`a[href], ${NATIVE_CLICKABLE}`) || !isClickable(el)) continue;
      if (!isDisplayed(el, el.getBoundingClientRect())) continue;
      const name = nameOf(el);
      const css = cssPath(el);
      if (name && !found.some(f => f.css === css)) {
        found.push({css, name, region: regionOf(el)});
      }
    }
  }
  return found;
}

// How much a customer gets to read: body text length, for the shell-or-page decision.
function textChars() {
  return document.body ? document.body.innerText.replace(/\s+/g, ' ').trim().length : 0;
}

// Keyboard: what has focus now, and whether a sighted keyboard user can see that it does
// (an outline, a ring or a change of colour or background when focused).
function focusedNow() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
    style.boxShadow !== 'none';
  const dialog = el.closest('[role=dialog], [role=alertdialog], [aria-modal=true], dialog');
  return {css: cssPath(el), href: el.href && typeof el.href === 'string' ? el.href : '',
          name: nameOf(el), ring, color: style.color, background: backgroundOf(el),
          decoration: style.textDecorationLine, dialog: dialog ? cssPath(dialog) : ''};
}

// Consent layers: the common platforms by their markup, else a fixed layer or dialog with cookie
// wording. A returning customer has long since answered it; toptasks answers for them with the
// layer's own reject or "necessary only" button, never accepting tracking on the owner's behalf,
// and removes a layer that offers no refusal.
const CONSENT_PLATFORMS = [
  ['OneTrust', '#onetrust-banner-sdk', '#onetrust-reject-all-handler'],
  ['Cookiebot', '#CybotCookiebotDialog',
   '#CybotCookiebotDialogBodyButtonDecline, #CybotCookiebotDialogBodyLevelButtonLevelOptinDeclineAll'],
  ['Usercentrics', '#usercentrics-root, #usercentrics-cmp-ui, #uc-banner',
   '[data-testid=uc-deny-all-button], .uc-deny-button'],
  ['Didomi', '#didomi-notice, #didomi-popup, #didomi-host',
   '#didomi-notice-disagree-button, .didomi-button-disagree'],
  ['Quantcast Choice', '#qc-cmp2-ui, .qc-cmp2-container', 'button[mode=secondary]'],
  ['TrustArc', '#truste-consent-track, #truste-consent-content', '#truste-consent-required'],
  ['Osano', '.osano-cm-window, .osano-cm-dialog', '.osano-cm-denyAll, .osano-cm-deny'],
  // The open-source libraries small sites install from npm.
  ['vanilla-cookieconsent', '#cc-main .cm', '[data-role=necessary]'],
  ['Klaro', '.klaro .cookie-modal, .klaro .cookie-notice', '.cm-btn-decline, .cn-decline'],
  ['Cookie Consent (Osano)', '.cc-window', '.cc-deny'],
];
// A refusal, or consent to the necessary cookies only, in every language toptasks reads:
// "Alle ablehnen", "Nur notwendige", "Tout refuser", "Continuer sans accepter", "Rechazar
// todas", "Weigeren", "Alleen noodzakelijke", "Rifiuta tutti", "Avvis alle", "Kun nødvendige",
// "Afvis alle", "Avvisa alla", "Endast nödvändiga". (JavaScript's \b knows only ASCII letters:
// the words with others are matched without it.)
const REFUSE_WORDS = new RegExp([
  '\\b(reject|decline|deny|refuse|disagree)\\b|necessary|essential|required only',
  'ablehnen|verweigern|nur (technisch )?(notwendige|erforderliche|essenzielle)',
  'refuser|continuer sans accepter|n[ée]cessaires|essentiels',
  'rechazar|denegar|necesarias|imprescindibles',
  '\\bweiger|afwijzen|noodzakelijke|functionele cookies',
  'rifiuta|continua senza accettare|solo (i cookie )?necessari|\\bnega\\b',
  '\\bavvis|avsl[åa]|\\bafvis|afsl[åa]|n[øo]dvendige|avb[öo]j|\\bneka\\b|n[öo]dv[äa]ndiga',
].join('|'), 'i');

function inShadow(root, selector) {
  const direct = root.querySelector(selector);
  if (direct) return direct;
  for (const host of root.querySelectorAll('*')) {
    if (host.shadowRoot) {
      const found = inShadow(host.shadowRoot, selector);
      if (found) return found;
    }
  }
  return null;
}

// A consent layer's visible extent: itself, or its largest displayed part (the platforms wrap
// a fixed banner in a zero-size host).
function layerBox(layer) {
  const own = layer.getBoundingClientRect();
  // A layer hidden once answered (vanilla-cookieconsent keeps its modal in the page) is no box.
  let best = isDisplayed(layer, own) ? own : new DOMRect(own.left, own.top, 0, 0);
  const parts = [layer, ...layer.querySelectorAll('*'),
                 ...(layer.shadowRoot ? layer.shadowRoot.querySelectorAll('*') : [])];
  for (const part of parts) {
    const box = part.getBoundingClientRect();
    if (isDisplayed(part, box) && box.width * box.height > best.width * best.height) best = box;
  }
  return best;
}

function findConsent() {
  for (const [platform, layerSelector, refuseSelector] of CONSENT_PLATFORMS) {
    const layer = inShadow(document, layerSelector);
    if (!layer || firstViewportShare(layerBox(layer)) === 0) continue;
    const refuse = inShadow(layer.shadowRoot || layer, refuseSelector) || refusalByWords(layer);
    return {platform, layer, refuse};
  }
  for (const el of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    const layered = s.position === 'fixed' || s.position === 'sticky' ||
                    el.matches('[role=dialog], [aria-modal=true], dialog[open]');
    if (!layered || inSiteHeader(el) || !COOKIE_WORDS.test(el.innerText || '')) continue;
    if (!el.querySelector('button, [role=button]')) continue;  // a notice asks for an answer
    if (firstViewportShare(layerBox(el)) === 0) continue;
    return {platform: 'cookie notice', layer: el, refuse: refusalByWords(el)};
  }
  return null;
}

function refusalByWords(layer) {
  const root = layer.shadowRoot || layer;
  return Array.from(root.querySelectorAll('button, a, [role=button]'))
    .find(b => REFUSE_WORDS.test(nameOf(b)) && isDisplayed(b, b.getBoundingClientRect())) || null;
}

function consentLayer() {
  const found = findConsent();
  if (!found) return null;
  const box = layerBox(found.layer);
  return {
    platform: found.platform, css: cssPath(found.layer), area_share: firstViewportShare(box),
    x: box.left + scrollX, y: box.top + scrollY, width: box.width, height: box.height,
    text: (found.layer.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 120),
    refuse_label: found.refuse ? nameOf(found.refuse) : '',
  };
}

// No consent layer left, and the one answered (at `css`) no longer takes the pointer: a layer
// fading out is already transparent to checkVisibility but still covers what is under it.
function consentCleared(css) {
  if (findConsent()) return false;
  const layer = css && document.querySelector(css);
  if (!layer) return true;
  const box = layer.getBoundingClientRect();
  if (box.width <= 0 || box.height <= 0) return true;
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return true;
  const top = document.elementFromPoint(x, y);
  return !(top && layer.contains(top));
}

function dismissConsent() {
  const found = findConsent();
  if (!found) return 'gone';
  if (found.refuse) {
    found.refuse.click();
    return 'refused';
  }
  found.layer.remove();
  for (const el of [document.documentElement, document.body]) el.style.overflow = '';
  return 'removed';
}

// Accessibility: axe-core's violations (axe is injected first, crawler/render.py), each node
// named by the same CSS path as the elements above so the audit can tell which ones lie on a
// task's path. Nodes inside frames or shadow roots keep axe's own selector.
async function a11yViolations(options) {
  const results = await axe.run(document, options);
  return results.violations.map(rule => ({
    rule: rule.id, impact: rule.impact || '', tags: rule.tags, help: rule.help,
    help_url: rule.helpUrl,
    nodes: rule.nodes.slice(0, 50).map(node => {
      const target = node.target.length === 1 ? node.target[0] : null;
      const el = typeof target === 'string' ? document.querySelector(target) : null;
      return {css: el ? cssPath(el) : node.target.join(' >>> '),
              summary: (node.failureSummary || '').split('\n').slice(1)
                .map(line => line.trim()).filter(Boolean).join('; ').slice(0, 240),
              tag: el ? el.tagName.toLowerCase() : '',
              field: el ? el.matches('input:not([type=hidden]), select, textarea') : false};
    }),
  }));
}

// Dead controls: buttons that look like a call to action (named, shown, no form, no menu or
// dialog of theirs), and whether a click on one changed anything at all.
function ctaButtons() {
  const found = [];
  for (const el of document.querySelectorAll('button, [role=button], input[type=button]')) {
    if (el.disabled || el.closest('form, [role=dialog], dialog, [aria-modal=true], nav')) continue;
    if (el.matches(OPENERS) || el.closest('a[href]') || el.querySelector('a[href]')) continue;
    const box = el.getBoundingClientRect();
    if (!isDisplayed(el, box) || box.top + scrollY > 2 * innerHeight || isCovered(el, box)) continue;
    const name = nameOf(el);
    if (name.length > 1) found.push({css: cssPath(el), name});
  }
  return found;
}

function changesWithin(ms) {
  return new Promise(resolve => {
    let seen = 0;
    const observer = new MutationObserver(records => { seen += records.length; });
    observer.observe(document.documentElement, {subtree: true, childList: true,
                                                 attributes: true, characterData: true});
    setTimeout(() => { observer.disconnect(); resolve(seen); }, ms);
  });
}

function watchClick() {
  if (window.__toptasksClick) window.__toptasksClick.observer.disconnect();
  const watch = {seen: 0, scroll: [scrollX, scrollY]};
  watch.observer = new MutationObserver(records => { watch.seen += records.length; });
  watch.observer.observe(document.documentElement, {subtree: true, childList: true,
                                                    attributes: true, characterData: true});
  window.__toptasksClick = watch;
}

function clickChanged() {
  const watch = window.__toptasksClick;
  if (!watch) return true;
  watch.observer.disconnect();
  window.__toptasksClick = null;
  return watch.seen > 0 || scrollX !== watch.scroll[0] || scrollY !== watch.scroll[1];
}

// What a press changed: DOM mutations, and whether it only scrolled (a link to "#" jumps to the
// top of the page, which is no effect a customer wanted).
function pressChanged() {
  const watch = window.__toptasksClick;
  if (!watch) return {mutated: true, scrolled: false};
  watch.observer.disconnect();
  window.__toptasksClick = null;
  return {mutated: watch.seen > 0,
          scrolled: scrollX !== watch.scroll[0] || scrollY !== watch.scroll[1]};
}

// Exploration (crawler/explore.py): what a person could press on screen now. Whether it opens
// anything is decided by pressing it; the markup only orders the tries (`hint`: 0 says it opens
// something, 1 sits in the site's header or navigation, 2 anything else). Real links that lead
// away, form fields and whatever sits in a form (never submitted) are left out.
const PRESSABLE = 'button, [role=button], [role=menuitem], [role=tab], [role=switch], summary, ' +
  'label[for], input[type=button], [onclick], [tabindex]:not([tabindex="-1"]), a[href]';
const ICONS = 'img, svg, i, [class*=icon i]';
const ICON_MAX_PX = 80;
const WRAPPER_MAX_PX = 140;
const POINTER_MAX = {width: 400, height: 200};
const MAX_PRESSABLE = 80;
const MAX_WORDS_CHARS = 30;

function leadsAway(el) {
  const link = el.closest('a[href]');
  if (!link) return false;
  const raw = (link.getAttribute('href') || '').trim();
  if (DO_NOTHING.test(raw)) return false;
  return !(raw.startsWith('#') && !/^#!?\//.test(raw));
}

// A call to action: a named button that is no menu's or dialog's, outside forms and navigation.
function isCta(el) {
  const buttonLike = el.matches('button, [role=button], input[type=button]') ||
    (el.matches('a[href]') && DO_NOTHING.test((el.getAttribute('href') || '').trim()) &&
     /(^|[\s_-])(btn|button|cta)([\s_-]|$)/i.test(typeof el.className === 'string' ? el.className : ''));
  if (!buttonLike || el.disabled) return false;
  if (el.closest('form, [role=dialog], dialog, [aria-modal=true], nav')) return false;
  if (el.matches(OPENERS) || el.querySelector('a[href]')) return false;
  if (el.tagName !== 'A' && el.closest('a[href]')) return false;
  return nameOf(el).length > 1;
}

function pressables({hover, first_screen, cta_screens}) {
  const found = [];
  const seen = new Set();
  const push = (el, how, hint, name) => {
    if (found.length >= MAX_PRESSABLE || seen.has(el)) return;
    const box = el.getBoundingClientRect();
    if (!isDisplayed(el, box)) return;
    const cta = isCta(el) && box.top + scrollY < cta_screens * innerHeight;
    if (first_screen && box.top >= innerHeight && !cta) return;
    seen.add(el);
    const control = el.matches('a[href], button, input, select, summary, [role=button], ' +
      '[role=link], [role=menuitem], [role=tab]');
    found.push({css: cssPath(el), name: name === undefined ? nameOf(el) : name, how, hint, cta,
                tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || '', control,
                focusable: control || el.tabIndex >= 0 || el.hasAttribute('tabindex'),
                clickable: staysOnPage(el),
                x: box.left + scrollX, y: box.top + scrollY, width: box.width,
                height: box.height});
  };
  const skip = el => el.closest('form') || el.disabled || leadsAway(el);
  for (const el of document.querySelectorAll(OPENERS)) {
    if (!el.closest('form') && !el.disabled) push(el, 'click', 0);
  }
  for (const opener of menuOpeners(hover)) {  // hover parents and bare items: their own words
    const el = document.querySelector(opener.css);
    if (el) push(el, opener.how, 0, opener.name);
  }
  const rest = [];
  for (const el of document.querySelectorAll(PRESSABLE)) {
    if (skip(el)) continue;
    rest.push(el);
  }
  // What only looks clickable: a pointer cursor where it begins, an icon in a small wrapper
  // (a framework's delegated handler leaves no trace in the markup; the press shows it).
  const scanned = Array.from(document.body.querySelectorAll('*')).slice(0, MAX_POINTER_SCAN);
  for (const el of scanned) {
    if (el.closest(PRESSABLE + ', ' + OPENERS) || el.querySelector(INTERACTIVE)) continue;
    const box = el.getBoundingClientRect();
    if (box.width > POINTER_MAX.width || box.height > POINTER_MAX.height) continue;
    const parent = el.parentElement;
    const pointer = getComputedStyle(el).cursor === 'pointer' &&
      !(parent && getComputedStyle(parent).cursor === 'pointer');
    if (pointer || el.hasAttribute('onclick')) { rest.push(el); continue; }
    // Words in the site's header or navigation that are no link: a person tries them ("More",
    // "Services ▾"), whatever handles them.
    const words = el.children.length === 0 && ownText(el);
    if (words && words.length <= MAX_WORDS_CHARS && inSiteHeader(el)) { rest.push(el); continue; }
    if (!el.matches(ICONS) || box.width > ICON_MAX_PX || box.height > ICON_MAX_PX) continue;
    let wrapper = el;
    while (wrapper.parentElement && wrapper.parentElement !== document.body) {
      const up = wrapper.parentElement.getBoundingClientRect();
      if (up.width > WRAPPER_MAX_PX || up.height > WRAPPER_MAX_PX) break;
      if (wrapper.parentElement.querySelector(INTERACTIVE)) break;
      wrapper = wrapper.parentElement;
    }
    rest.push(wrapper);
  }
  const inTop = el => inSiteHeader(el) || el.getBoundingClientRect().top + scrollY < TOP_BAND_PX;
  rest.sort((a, b) => Number(!inTop(a)) - Number(!inTop(b)));
  for (const el of rest) {
    if (found.some(f => f.hint > 0 && document.querySelector(f.css)?.contains(el))) continue;
    push(el, 'click', inTop(el) ? 1 : 2);
  }
  return found;
}

// The controls displayed now, as CSS paths: the state a press changes and a close restores.
// Links inside content that changes by itself (a rotating carousel) are no part of it.
function shownControls(ignore) {
  const noise = (ignore || []).map(css => document.querySelector(css)).filter(Boolean);
  const shown = [];
  for (const el of Array.from(document.querySelectorAll(INTERACTIVE)).slice(0, MAX_ELEMENTS)) {
    if (noise.some(n => n.contains(el))) continue;
    if (isDisplayed(el, el.getBoundingClientRect())) shown.push(cssPath(el));
  }
  return shown;
}

// The controls inside regions that change by themselves: never a press's doing.
function controlsWithin(regions) {
  const found = [];
  for (const css of regions || []) {
    const region = document.querySelector(css);
    if (region) for (const el of region.querySelectorAll(INTERACTIVE)) found.push(cssPath(el));
  }
  return found;
}

// Pop-ups a person closes before anything else: an app-download banner, a newsletter box, an
// interstitial. A dialog and the empty backdrop behind it are one layer, with the dialog's words.
const CLOSE_SYMBOL = /^\s*[×✕✖╳xX]\s*$/;
const CLOSE_WORDS = /^\s*(close|dismiss|no,? thanks?|not now|maybe later|later|skip|cancel|continue (to|without|on)|stay on|remind me later|go to (the )?(site|website)|sluiten|nee,? bedankt|niet nu|later|schließen|schliessen|nein,? danke|nicht jetzt|später|fermer|non merci|plus tard|cerrar|no,? gracias|ahora no|más tarde|chiudi|no,? grazie|non ora|più tardi|lukk|nei takk|ikke nå|senere|luk|nej tak|ikke nu|stäng|nej tack|inte nu|senare)\b/i;
const CLOSE_NAME = /close|dismiss|schlie|sluit|fermer|cerrar|chiudi|lukk|stäng/i;
const ACCEPT_WORDS = /download|install|get the app|open (in|the) app|subscribe|sign up|register|buy|shop/i;

function overlayLayers() {
  const layers = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (layers.length >= 10) break;
    const s = getComputedStyle(el);
    const dialog = el.matches('[role=dialog], [role=alertdialog], [aria-modal=true], dialog[open]');
    const fixed = s.position === 'fixed' && !isNavigation(el);
    if (!dialog && !fixed) continue;
    const box = layerBox(el);
    const share = firstViewportShare(box);
    if (share === 0) continue;
    if (!(dialog && share >= 0.01) && !(fixed && !inSiteHeader(el) && share >= 0.2)) continue;
    if (COOKIE_WORDS.test(el.innerText || '') || layers.some(l => l.el.contains(el))) continue;
    layers.push({el, box, share});
  }
  const worded = layers.filter(l => (l.el.innerText || '').trim());
  const merged = [];
  for (const layer of layers) {
    const text = (layer.el.innerText || '').trim();
    const inside = worded.find(w => w !== layer && !text && within(w.box, layer.box));
    if (inside) {  // the backdrop's extent is what the pop-up blocks
      inside.share = Math.max(inside.share, layer.share);
      inside.box = layer.box;
      inside.backdrop = layer;
      continue;
    }
    merged.push(layer);
  }
  return merged.map(l => {
    const root = l.el;
    const buttons = Array.from(root.querySelectorAll('button, a, [role=button], span, div, i, svg'))
      .filter(b => isDisplayed(b, b.getBoundingClientRect()) && !leadsAway(b));
    const score = b => {
      const name = nameOf(b);
      const label = `${b.getAttribute('aria-label') || ''} ${b.getAttribute('title') || ''} ` +
        `${typeof b.className === 'string' ? b.className : ''}`;
      if (ACCEPT_WORDS.test(name) && !CLOSE_NAME.test(label)) return 0;
      if (CLOSE_SYMBOL.test(name) || (CLOSE_WORDS.test(name) && name.length < 40)) return 2;
      return CLOSE_NAME.test(label) && !b.querySelector('button, a, [role=button]') ? 1 : 0;
    };
    const close = buttons.map(b => [b, score(b)]).filter(([, s]) => s > 0)
      .sort((a, b) => b[1] - a[1]).slice(0, 4)
      .map(([b]) => ({css: cssPath(b), name: nameOf(b) || b.getAttribute('aria-label') || '×'}));
    return {css: cssPath(root), backdrop: l.backdrop ? cssPath(l.backdrop.el) : '',
            text: (root.innerText || '').replace(/\s+/g, ' ').replace(/^[\s×✕✖╳]+/, '')
              .trim().slice(0, 120),
            x: l.box.left + scrollX, y: l.box.top + scrollY, width: l.box.width,
            height: l.box.height, area_share: l.share, close};
  });
}

function within(inner, outer) {
  return inner.left >= outer.left - 1 && inner.top >= outer.top - 1 &&
         inner.right <= outer.right + 1 && inner.bottom <= outer.bottom + 1;
}

// A point of the backdrop around a dialog, where a tap closes many pop-ups; null when the
// screen around it holds something else (a tap there would press it).
function backdropPoint(css) {
  const dialog = document.querySelector(css);
  if (!dialog) return null;
  const box = dialog.getBoundingClientRect();
  const points = [[8, 8], [innerWidth - 8, 8], [8, innerHeight - 8], [innerWidth - 8, innerHeight - 8]];
  for (const [x, y] of points) {
    if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) continue;
    const top = document.elementFromPoint(x, y);
    if (!top || top === document.body || top === document.documentElement) continue;
    if (top.closest(INTERACTIVE) || !getComputedStyle(top).position.match(/fixed|absolute/)) continue;
    return {x, y};
  }
  return null;
}

// Whether the layer at `css` has gone: removed, hidden, or no longer over the screen.
function layerGone(css) {
  const layer = document.querySelector(css);
  if (!layer) return true;
  const box = layer.getBoundingClientRect();
  if (!isDisplayed(layer, box) || firstViewportShare(box) === 0) return true;
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return true;
  const top = document.elementFromPoint(x, y);
  return !(top && layer.contains(top));
}

// Where a person's finger lands to press the element at `css`: its centre, scrolled into view
// when it is not; null when something else lies on top there (a tap would press that instead).
function pressPoint(css) {
  const el = document.querySelector(css);
  if (!el) return null;
  let box = el.getBoundingClientRect();
  if (!isDisplayed(el, box)) return null;
  if (box.top < 0 || box.bottom > innerHeight || box.left < 0 || box.right > innerWidth) {
    el.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});
    box = el.getBoundingClientRect();
  }
  const x = box.left + Math.min(box.width / 2, box.width - 1);
  const y = box.top + Math.min(box.height / 2, box.height - 1);
  const top = document.elementFromPoint(x, y);
  if (!top || !(top === el || el.contains(top) || top.contains(el) && top !== document.body)) {
    return null;
  }
  return {x, y};
}
