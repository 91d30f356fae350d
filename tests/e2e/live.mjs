// The "this node" view in Chromium, driven by tests/tests/cross/live_view.rs: the Rust test
// makes things happen on a real containerd node and says so on stdin, one line each; this
// script waits for the page to draw each one and answers "ok ..." on stdout (or exits non-zero).
//
//   pod NAME        the pod is drawn among the node's pods
//   zombie PID      the process's row is marked a zombie, within 2 s
//   gone PID        the process's row is gone
//   nopod NAME      the pod is no longer drawn
//   lost            (the server was stopped) the view says so and the last picture stays
//   back            (a server is there again) the view goes on with its new record: one step
//                   draws the node anew, every step before is still there, and the export
//                   has them all
//   export          the record exported as a trace opens in the live view, the pod made
//                   since the record began labelled in it; the tutorial's own page refuses
//                   it, saying where it opens
//   korean          the view in Korean: its own lines, and every element with Hangul drawn
//                   from a font that has Hangul (what is drawn, not only the text)
//   done            screenshots are written; the browser closes
import { mkdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { hangulFonts } from "./fonts.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../web/package.json"));
const { chromium } = require("playwright-core");

const [url, artifacts] = process.argv.slice(2);
if (!url || !artifacts) {
  console.error("usage: node tests/e2e/live.mjs URL_OF_LIVE_VIEW ARTIFACT_DIR");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });

async function hangulFromKoreanFonts(page) {
  const { marked, drawn, nodes, wrong } = await hangulFonts(page);
  if (drawn === 0 || nodes !== marked || wrong.length > 0) {
    throw new Error(`Hangul drawn from fonts without it (${drawn} drawn of ${marked}): ${wrong.join("; ")}`);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
  timeout: 30_000,
});
const errors = [];
let status = 0;
try {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  let serverStopped = false;
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => { if (message.type() === "error") errors.push(`console: ${message.text()}`); });
  await page.goto(url);
  await page.locator(".live-status", { hasText: "Following this node live" }).waitFor({ timeout: 15_000 });
  console.log("ok ready");
  const row = (pid) => page.locator("tr", { has: page.locator("td.pid", { hasText: new RegExp(`^${pid}$`) }) });
  let shot = 0;
  // The record's steps as the narrative counts them (the status line does not while the
  // server is out of reach).
  const stepsSoFar = async () => {
    const text = await page.locator(".narrative p.muted", { hasText: "steps so far" }).first().innerText();
    const found = /(\d+) steps so far/.exec(text);
    if (!found) throw new Error(`no count of steps in ${JSON.stringify(text)}`);
    return Number(found[1]);
  };
  // The record, exported as a reader would: the trace's path and its JSON.
  const exportRecord = async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(".live-export")]);
    const trace = join(artifacts, download.suggestedFilename());
    await download.saveAs(trace);
    return { trace, name: download.suggestedFilename(), json: JSON.parse(readFileSync(trace, "utf8")) };
  };
  // Whether a trace labels a process of this pod: at its start, at a birth, or in a look.
  const labels = (json, pod) => {
    const ofPod = (record) => record?.container?.pod === pod;
    return json.initial.processes.some(ofPod) || json.steps.some(({ event }) =>
      event.container?.pod === pod || ofPod(event.record) || (event.look?.processes ?? []).some(ofPod));
  };
  let pods = [];
  let stepsBeforeLost = 0;
  const screenshot = async (name) => page.screenshot({ path: join(artifacts, `${String(++shot).padStart(2, "0")}-${name}.png`), fullPage: true });
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, arg] = line.trim().split(/\s+/);
    const started = Date.now();
    if (command === "pod") {
      await page.locator(`article.pod[data-pod="${arg}"]`).first().waitFor({ timeout: 10_000 });
      pods.push(arg);
      await screenshot("pod-appears");
    } else if (command === "zombie") {
      await row(arg).and(page.locator("tr.zombie")).waitFor({ timeout: 2_000 });
      await screenshot("zombie");
    } else if (command === "gone") {
      await row(arg).waitFor({ state: "detached", timeout: 10_000 });
      await screenshot("reaped");
    } else if (command === "nopod") {
      await page.locator(`article.pod[data-pod="${arg}"]`).waitFor({ state: "detached", timeout: 10_000 });
      await screenshot("pod-gone");
    } else if (command === "lost") {
      serverStopped = true;
      await page.locator(".live-status", { hasText: "out of reach" }).waitFor({ timeout: 10_000 });
      stepsBeforeLost = await stepsSoFar();
      if (await page.locator("tr td.pid").count() === 0) throw new Error("the picture went with the server");
      await screenshot("server-gone");
    } else if (command === "back") {
      await page.locator(".live-status", { hasText: "Following this node live" }).waitFor({ timeout: 15_000 });
      await page.locator(".live-status", { hasText: "drawing the node anew at step" }).waitFor();
      // Nothing the reader had is lost: the record goes on past its steps.
      const steps = await stepsSoFar();
      if (steps <= stepsBeforeLost) throw new Error(`${steps} steps after the restart, ${stepsBeforeLost} before`);
      if (await page.locator(".live-export-earlier").count() !== 0) throw new Error("the record was split in two");
      await page.locator(".event-log li", { hasText: 'readdir("/proc")' }).first().waitFor();
      const { json } = await exportRecord();
      if (json.steps.length < steps) throw new Error(`the export has ${json.steps.length} of ${steps} steps`);
      if (!json.steps.some(({ event }) => event.event === "looked_anew")) throw new Error("the export has no step drawing the node anew");
      for (const pod of pods) if (!labels(json, pod)) throw new Error(`pod ${pod} is not labelled in the export`);
      await screenshot("server-back");
    } else if (command === "export") {
      const { trace, name, json } = await exportRecord();
      // The pod was made after the record began: its containers come with its processes' births.
      for (const pod of pods) if (!labels(json, pod)) throw new Error(`pod ${pod} is not labelled in the export`);
      await page.setInputFiles("#file-input", trace);
      await page.locator(".narrative code", { hasText: name }).waitFor({ timeout: 10_000 });
      if (await page.locator("tr td.pid").count() === 0) throw new Error("the exported trace shows no process");
      await screenshot("exported-trace-opened");
      // The tutorial's own page, one folder up, opens it too, or (when it has a live node's
      // own events) says where it opens.
      // Which it is depends on when the record last started (a busy machine starts new ones:
      // the server says why); the loader's host test checks the refusal itself.
      const live = json.steps.some(({ event }) => ["fork_seen", "appeared_seen", "collected_outside", "signaled",
        "ended_unseen", "namespaces_seen", "renamed", "looked_anew"].includes(event.event));
      const tutorial = await context.newPage();
      await tutorial.goto(new URL("../", url).href);
      await tutorial.setInputFiles("#file-input", trace);
      if (live) {
        await tutorial.locator(".notice-text", { hasText: "Open it in the live view" }).waitFor({ timeout: 10_000 });
      } else {
        await tutorial.locator(".narrative code", { hasText: name }).waitFor({ timeout: 10_000 });
      }
      await tutorial.close();
      await page.click(".live-show");
      await page.locator(".narrative h2", { hasText: "This node, live" }).waitFor();
    } else if (command === "korean") {
      await page.click("#language");
      await page.locator(".live-status", { hasText: "이 노드를 실시간으로 따라가는 중" }).waitFor({ timeout: 5_000 });
      await page.locator(".narrative h2", { hasText: "이 노드, 실시간" }).waitFor();
      await hangulFromKoreanFonts(page);
      await screenshot("korean");
    } else if (command === "done") {
      // The server was stopped on purpose (lost): the browser's own log of a reconnect refused
      // then is what the test made happen, not the page's error (it comes or not by timing).
      const unexpected = errors.filter((e) => !(serverStopped && e.includes("net::ERR_CONNECTION_REFUSED")));
      if (unexpected.length) throw new Error(`the page reported errors: ${unexpected.join("; ")}`);
      console.log("ok done");
      break;
    } else {
      throw new Error(`unknown command ${line}`);
    }
    console.log(`ok ${command} ${arg ?? ""} in ${Date.now() - started} ms`);
  }
} catch (error) {
  console.error(error.stack ?? String(error));
  status = 1;
} finally {
  await browser.close();
}
process.exit(status);
