// The browser tutorial's budgets, measured in Debian's headless Chromium (not a test: figures
// vary with the machine). Run from the repository root after `bash scripts/build-web.sh`:
//   node bench/web.mjs [URL]        (default: serves dist/ itself with `pauselab serve`)
// Each figure is set beside its anchor, measured in the same run:
//   size        the wasm's .gz as shipped (zopfli; what a browser without brotli is sent) vs the
//               200 KB budget, beside zlib's gzip -9 of it (and the same for the file reader, a
//               second module fetched only when a file is opened), its .br, and the bytes the page
//               takes over the wire from `pauselab serve` (which sends the .br) vs all of it raw
//   interactive navigation start → the scenario picker usable, vs the same for a blank page
//               from the same server (what the browser costs by itself); budget 1.5 s
//   step        click on Forward → DOM updated and laid out, on a world of 1,000 processes,
//               vs one frame at 60 Hz (16.7 ms); budget 16 ms
//   typed line  Enter in the terminal → the line run on its node, played by the page as a step
//               and the DOM laid out, on a playground node of 1,000 processes (a link whose act
//               makes them), vs one frame; budget 16 ms median
//   big files   a 64 MB file (the largest the page takes) chosen → shown, for a snapshot of
//               128,000 processes and a trace of 160,000 steps, vs the same file opened by the
//               model natively (`cargo run --release -p pauselab-core --example open`)
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { spawn, execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(join(process.cwd(), "web/package.json"));
const { chromium } = require("playwright-core");
const RUNS = 7;
const STEPS = 60;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

// Times STEPS steps in the page: `forward` clicks Forward; `type` enters a line in the terminal
// (each forks a process that stays, so the picture changes every time). From the act to the
// step's number changing and the new DOM's style and layout.
const timeSteps = (page, how) => page.evaluate(async ([steps, how]) => {
  const times = [];
  const position = document.querySelector("#position");
  const input = document.querySelector(".term-input");
  for (let i = 0; i < steps; i++) {
    const before = position.textContent;
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (position.textContent !== before) { observer.disconnect(); resolve(); }
      });
      observer.observe(position, { childList: true, characterData: true, subtree: true });
    });
    if (how === "type") input.value = "sleep 1000 &";
    const start = performance.now();
    if (how === "type") {
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    } else {
      document.querySelector("#forward").click();
    }
    await changed;
    void document.body.offsetHeight;
    times.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 0));
  }
  return times;
}, [STEPS, how]);

// The world of 1,000 processes, as a trace file the page opens.
const work = mkdtempSync(join(tmpdir(), "pauselab-bench-"));
const bigTrace = join(work, "big.trace.json");
// A node of 1,000 processes in the playground, for the terminal: a link whose one act makes it.
const bigNode = execFileSync("cargo", ["run", "-q", "--release", "-p", "pauselab-tests", "--bin", "big-trace", "--", "link", "1000"]).toString().trim();
writeFileSync(bigTrace, execFileSync("cargo", ["run", "-q", "--release", "-p", "pauselab-tests", "--bin", "big-trace", "--", "1000", "400"], { maxBuffer: 1 << 28 }));
// 64 MB files: the most the page accepts.
const bigFiles = [
  ["snapshot, 128,000 processes", join(work, "big.snapshot.json"), ["128000", "0"]],
  ["trace, 160,000 steps", join(work, "big.steps.json"), ["1000", "160000"]],
];
for (const [, path, args] of bigFiles) {
  writeFileSync(path, execFileSync("cargo", ["run", "-q", "--release", "-p", "pauselab-tests", "--bin", "big-trace", "--", ...args], { maxBuffer: 1 << 30 }));
}
const nativeOpen = (path) => {
  const out = String(execFileSync("cargo", ["run", "-q", "--release", "-p", "pauselab-core", "--example", "open", "--", path]));
  const [, value, unit] = out.match(/opened in ([0-9.]+)(ms|s|µs)/);
  return Number(value) * (unit === "s" ? 1000 : unit === "µs" ? 0.001 : 1);
};
writeFileSync(join("dist", "blank.html"), "<!doctype html><title>blank</title><select id=scenario></select>");

let server;
let url = process.argv[2];
if (!url) {
  execFileSync("cargo", ["build", "-q", "--release", "-p", "pauselab-native", "--bin", "pauselab"]);
  server = spawn("target/release/pauselab", ["serve", "--dir", "dist", "--addr", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise((resolve) => server.stdout.once("data", (d) => resolve(String(d).match(/http:\/\/\S+/)[0])));
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const wasm = readFileSync("dist/pauselab_web_bg.wasm");
  const js = readFileSync("dist/pauselab_web.js");
  const wasmGzip = readFileSync("dist/pauselab_web_bg.wasm.gz").length;
  const wasmZlib = gzipSync(wasm, { level: 9 }).length;
  // The file reader: a module of its own, fetched only when a reader opens a file.
  const reader = readFileSync("dist/loader/pauselab_web_loader_bg.wasm");
  const readerGzip = readFileSync("dist/loader/pauselab_web_loader_bg.wasm.gz").length;
  const terminalGzip = readFileSync("dist/terminal/pauselab_web_terminal_bg.wasm.gz").length;
  const jsGzip = gzipSync(js, { level: 9 }).length;

  async function interactive(path) {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext(); // a cold cache each time
      const page = await context.newPage();
      await page.goto(url + path, { waitUntil: "commit" });
      await page.waitForSelector("#scenario:not([disabled])");
      times.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
    return median(times);
  }
  // Bytes over the wire: every response's body as sent (encoded), for the page and all it loads.
  const wire = async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const sizes = [];
    page.on("requestfinished", async (request) => {
      const { responseBodySize, responseHeadersSize } = await request.sizes();
      sizes.push(responseBodySize + responseHeadersSize);
    });
    await page.goto(url, { waitUntil: "networkidle" });
    await page.waitForSelector("#scenario");
    await context.close();
    return sizes.reduce((a, b) => a + b, 0);
  };
  const overTheWire = await wire();
  const rawTotal = ["index.html", "pauselab_web.js", "pauselab_web_bg.wasm", "style.css"]
    .map((f) => readFileSync(join("dist", f)).length).reduce((a, b) => a + b, 0);
  const wasmBrotli = readFileSync("dist/pauselab_web_bg.wasm.br").length;
  const tti = await interactive("");
  const blank = await interactive("blank.html");

  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector("#scenario");
  await page.setInputFiles("#file-input", bigTrace);
  await page.waitForSelector(".narrative h2 code");
  const rows = await page.locator(".ps tbody tr:not(.spacer)").count();
  const processes = Number(await page.getAttribute(".processes .table-wrap", "aria-rowcount"));
  const stepTimes = await timeSteps(page, "forward");

  // Counted after the steps: at the start nothing is touched and the whole tree folds.
  const cards = await page.locator(".tree-picture g.proc").count();

  // A typed line on the node of 1,000 processes: Enter → the terminal runs it on its node, the
  // page plays its record as a step, and the DOM is laid out.
  const typing = await context.newPage();
  await typing.goto(new URL("#" + bigNode, url).href);
  await typing.waitForFunction(() => Number(document.querySelector(".processes .table-wrap")?.getAttribute("aria-rowcount")) >= 1000);
  const nodeProcesses = Number(await typing.getAttribute(".processes .table-wrap", "aria-rowcount"));
  await typing.click(".terminal-panel summary");
  await typing.waitForSelector(".term-input");
  const typedTimes = await timeSteps(typing, "type");
  await typing.close();
  const opened = [];
  for (const [label, path] of bigFiles) {
    const fresh = await (await browser.newContext()).newPage();
    await fresh.goto(url);
    await fresh.waitForSelector("#scenario");
    const start = Date.now();
    await fresh.setInputFiles("#file-input", path);
    await fresh.waitForSelector(".narrative h2 code", { timeout: 120_000 });
    opened.push([label, Date.now() - start, nativeOpen(path), (readFileSync(path).length / 1e6).toFixed(1)]);
    await fresh.context().close();
  }

  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  const rowsOut = [
    ["wasm, .gz as shipped", `${(wasmGzip / 1024).toFixed(1)} KB`, "200 KB budget", (wasmGzip / (200 * 1024)).toFixed(4), `raw ${kb(wasm.length)}; zlib gzip -9 ${kb(wasmZlib)}; brotli ${kb(wasmBrotli)}; JS glue ${kb(jsGzip)} gzip -9`],
    ["file reader wasm, .gz as shipped (fetched when a file is opened)", kb(readerGzip), "the page's wasm", (readerGzip / wasmGzip).toFixed(2), `raw ${kb(reader.length)}`],
    ["page over the wire (pauselab serve)", kb(overTheWire), `raw files ${kb(rawTotal)}`, (overTheWire / rawTotal).toFixed(2), "html, js, wasm, css as sent (br), headers included; the font loads only for Korean"],
    ["interactive (median of " + RUNS + ")", `${tti.toFixed(0)} ms`, `blank page ${blank.toFixed(0)} ms`, (tti / blank).toFixed(1), `budget 1,500 ms: ${(tti / 1500).toFixed(2)}`],
    [`step, ${processes} processes, ${rows} ps rows and ${cards} tree cards drawn (median of ${STEPS})`, `${median(stepTimes).toFixed(1)} ms`, "frame 16.7 ms", (median(stepTimes) / 16.7).toFixed(2), `p95 ${p95(stepTimes).toFixed(1)} ms; budgets 16 ms median, 33 ms p95`],
    [`typed line → picture, ${nodeProcesses} processes (median of ${STEPS})`, `${median(typedTimes).toFixed(1)} ms`, "frame 16.7 ms", (median(typedTimes) / 16.7).toFixed(2), `p95 ${p95(typedTimes).toFixed(1)} ms; budget 16 ms median; the terminal's module ${kb(terminalGzip)} gzip, fetched when opened`],
    ...opened.map(([label, ms, native, mb]) => [`open a ${mb} MB file: ${label}`, `${ms} ms`, `native open ${native.toFixed(0)} ms`, (ms / native).toFixed(1), "chosen → shown, in the page"]),
  ];
  console.log("| figure | measured | anchor | ratio | notes |\n|---|---|---|---|---|");
  for (const row of rowsOut) console.log(`| ${row.join(" | ")} |`);
} finally {
  await browser.close();
  server?.kill();
  rmSync(work, { recursive: true, force: true });
  rmSync(join("dist", "blank.html"), { force: true });
}
