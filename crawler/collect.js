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
  const name = el.getAttribute('aria-label') || el.innerText || el.value ||
               (img && img.alt) || el.getAttribute('title') || el.getAttribute('alt') || '';
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
    load_ms: nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : null,
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
const COOKIE_WORDS = /cookie|consent|gdpr|privacy preferences/i;
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
    const layer = (s.position === 'fixed' || s.position === 'sticky') && shown(el, 0.2);
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
  return found;
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
const REFUSE_WORDS = /\b(reject|decline|deny|refuse|disagree)\b|necessary|essential|required only/i;

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
