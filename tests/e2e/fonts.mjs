// Glyphs, not text: every element that shows Hangul must have it drawn by a font that has
// Hangul, as Chromium reports the fonts that really drew the node (DevTools'
// CSS.getPlatformFontsForNode). A lang="ko" element whose stack resolves to a font without
// Hangul draws empty boxes while its text is right. Shared by the e2e scripts.
export const KOREAN_FONT = /Pauselab Hangul|Nanum|Noto Sans (CJK|KR)|Malgun|Apple SD Gothic|Source Han|UnDotum|Baekmuk/i;

/// The visible elements whose own text has Hangul (`marked`), how many of them Chromium drew
/// (`drawn`, of `nodes` found), and the ones drawn from a font without Hangul (`wrong`).
export async function hangulFonts(page) {
  await page.evaluate(() => document.fonts.ready);
  const marked = await page.evaluate(() => {
    let count = 0;
    for (const element of document.querySelectorAll("body *")) {
      element.removeAttribute("data-hangul");
      const own = [...element.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("");
      if (/[\uAC00-\uD7A3]/.test(own) && element.getClientRects().length > 0) {
        element.setAttribute("data-hangul", String(count++));
      }
    }
    return count;
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("DOM.enable");
  await cdp.send("CSS.enable");
  const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
  const { nodeIds } = await cdp.send("DOM.querySelectorAll", { nodeId: root.nodeId, selector: "[data-hangul]" });
  const wrong = [];
  let drawn = 0;
  for (const nodeId of nodeIds) {
    const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
    if (fonts.length === 0) continue;
    drawn += 1;
    if (!fonts.some((font) => KOREAN_FONT.test(font.familyName))) {
      const { outerHTML } = await cdp.send("DOM.getOuterHTML", { nodeId });
      wrong.push(`${outerHTML.slice(0, 90)} drawn by ${fonts.map((f) => f.familyName).join(", ") || "nothing"}`);
    }
  }
  await cdp.detach();
  return { marked, drawn, nodes: nodeIds.length, wrong };
}
