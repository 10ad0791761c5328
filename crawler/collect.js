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
    if (el.id) { parts.unshift(step + '#' + CSS.escape(el.id)); break; }
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
  for (let e = el; e; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) {
      return false;
    }
  }
  return true;
}

function isCovered(el, box) {
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return null;
  const top = document.elementFromPoint(x, y);
  return !(top && (top === el || el.contains(top) || top.contains(el)));
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
      font_size: parseFloat(style.fontSize) || 0, color: style.color,
      background: backgroundOf(el), region: regionOf(el), css: cssPath(el),
    };
  });
}

function menuToggle() {
  const visible = Array.from(document.querySelectorAll(TOGGLES)).filter(el => {
    const box = el.getBoundingClientRect();
    return isDisplayed(el, box) && box.top < innerHeight;
  });
  return visible.length ? cssPath(visible[0]) : null;
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
