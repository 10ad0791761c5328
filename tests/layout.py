"""An automated layout check of a page as a person sees it, at one viewport width: nothing
wider than the screen, no chart label clipped, no text under 12 px. Run in the real Chromium by
the report and server tests; returns the problems found, in words."""

from __future__ import annotations

from playwright.sync_api import Page

MIN_TEXT_PX = 12

CHECK = """(minText) => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`page is ${root.scrollWidth}px wide in a ${root.clientWidth}px viewport`);
  }
  // A wide table may scroll sideways (its letters keep their size); a chart may not: what
  // does not fit of a chart is cut off for whoever does not think of scrolling it.
  const scrolls = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if ((o === 'auto' || o === 'scroll') && !p.closest('.bars, .chart')) return true;
    }
    return false;
  };
  const svgTextPx = el => {  // user units times the drawing's scale on screen
    const svg = el.closest('svg');
    const view = svg.viewBox && svg.viewBox.baseVal;
    const scale = view && view.width ? svg.getBoundingClientRect().width / view.width : 1;
    return parseFloat(getComputedStyle(el).fontSize) * scale;
  };
  const name = el => {
    const cls = typeof el.className === 'string' && el.className ?
      '.' + el.className.split(' ')[0] : '';
    return `${el.tagName.toLowerCase()}${cls} "${(el.textContent || '').trim().slice(0, 30)}"`;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || scrolls(el)) continue;
    const clipped = el.closest('.chart') && el.closest('.chart').getBoundingClientRect();
    if (clipped && (box.right > clipped.right + 1)) {
      problems.push(`${name(el)} is cut off at the chart's edge`);
    }
    if (box.right > root.clientWidth + 1) {
      const right = Math.round(box.right);
      problems.push(`${name(el)} ends at ${right}px, past the ${root.clientWidth}px edge`);
    }
    const ownText = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!ownText) continue;
    const css = parseFloat(getComputedStyle(el).fontSize);
    const size = el instanceof SVGElement ? svgTextPx(el) : css;
    if (size < minText - 0.5) problems.push(`${name(el)} is ${size.toFixed(1)}px text`);
    const chart = el.closest('.bars, .chart, svg');
    if (chart && !(el instanceof SVGElement) && el.scrollWidth > el.clientWidth + 1 &&
        getComputedStyle(el).overflow !== 'visible') {
      problems.push(`${name(el)} is clipped`);
    }
    if (chart) {
      const frame = (el.closest('svg') || chart).getBoundingClientRect();
      if (box.left < frame.left - 1 || box.right > frame.right + 1) {
        problems.push(`${name(el)} runs out of its chart`);
      }
    }
  }
  return [...new Set(problems)].slice(0, 20);
}"""


def layout_problems(page: Page) -> list[str]:
    return page.evaluate(CHECK, MIN_TEXT_PX)
