// The "this node" view's update time: how long the page takes from a change message of the
// stream to the picture drawn with it, on the node it is served from. Run by bench/live.py
// (which starts `pauselab serve --live` beside 1,000 processes):
//
//   node bench/live-page.mjs URL_OF_LIVE_VIEW MODE [CHANGES]
//
// Each round starts a short-lived process on this machine (a fork, an exec, an exit, a reaping:
// one or two changes; when the server polls, the end of a process reaped between two polls is
// a new record, a `start` message, timed the same way) and waits for the page to draw what came. The time of a change is from
// the message's arrival (the EventSource's message event, wrapped before the page loads) to
// the page's DOM changed with it, its renders ran and layout is done (as bench/web.mjs times
// a step). Prints the median and p95. A benchmark, not a test: it asserts nothing.
import { spawn } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../web/package.json"));
const { chromium } = require("playwright-core");
const [url, mode, changesArg] = process.argv.slice(2);
const rounds = Number(changesArg ?? 40);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await page.addInitScript(() => {
    window.__arrivals = [];
    window.__drawn = [];
    const Original = window.EventSource;
    window.EventSource = class extends Original {
      addEventListener(kind, listener, options) {
        super.addEventListener(kind, (event) => {
          if (kind === "change" || kind === "start") window.__arrivals.push(performance.now());
          listener(event);
        }, options);
      }
    };
    // As bench/web.mjs times a step: the DOM changed, the page's scheduled renders ran (a task
    // later), and layout is done.
    new MutationObserver(() => {
      setTimeout(() => { void document.body.offsetHeight; window.__drawn.push(performance.now()); });
    }).observe(document, { subtree: true, characterData: true, childList: true });
  });
  await page.goto(url);
  await page.locator(".live-status", { hasText: "Following this node live" }).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  const times = [];
  for (let round = 0; round < rounds; round++) {
    const before = await page.evaluate(() => window.__arrivals.length);
    // Long enough for a poll (every 0.5 s) to see it when the server polls.
    const life = mode.startsWith("polling") ? "0.7" : "0.05";
    await new Promise((done) => spawn("sh", ["-c", `sleep ${life}`]).on("exit", done));
    // Wait (bounded) for the change to arrive and be drawn.
    const started = Date.now();
    while (Date.now() - started < 5000) {
      const got = await page.evaluate((n) => {
        const arrived = window.__arrivals.slice(n);
        if (arrived.length === 0) return null;
        const last = arrived[arrived.length - 1];
        const drawn = window.__drawn.find((t) => t >= last);
        return drawn === undefined ? null : arrived.map((t) => window.__drawn.find((d) => d >= t) - t);
      }, before);
      if (got) {
        times.push(...got);
        break;
      }
      await page.waitForTimeout(20);
    }
    await page.waitForTimeout(300);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(`| ${mode}: the view's update per change (${times.length} changes) | ${at(0.5).toFixed(1)} ms median | p95 ${at(0.95).toFixed(1)} ms | 16 ms median |`);
} finally {
  await browser.close();
}
