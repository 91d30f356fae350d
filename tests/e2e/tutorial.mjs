// The tutorial end to end in Debian's headless Chromium, driven by Playwright:
//   node tests/e2e/tutorial.mjs URL ARTIFACT_DIR BIG_TRACE POD_SNAPSHOT
// BIG_TRACE is a trace over a world of a few hundred processes (the tests crate's big-trace);
// POD_SNAPSHOT is `pauselab ps --json` of a real containerd pod `web` with two containers,
// `app` and `sidecar`, taken by the test.
// URL serves the built tutorial (dist/); screenshots go to ARTIFACT_DIR. Exits non-zero on the
// first failed expectation or on any error the page throws.
import { mkdirSync, readFileSync } from "node:fs";
import { get } from "node:http";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { hangulFonts } from "./fonts.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../web/package.json"));
const { chromium } = require("playwright-core");

const [url, artifacts, bigTrace, podSnapshot] = process.argv.slice(2);
if (!url || !artifacts || !bigTrace || !podSnapshot) {
  console.error("usage: node tests/e2e/tutorial.mjs URL ARTIFACT_DIR BIG_TRACE POD_SNAPSHOT");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
const fixtures = join(here, "fixtures");
const TIMEOUT = 10_000;

function check(condition, message) {
  if (!condition) throw new Error(`expectation failed: ${message}`);
  console.log(`ok - ${message}`);
}

// Whether the page's link comes to hold `part` (within the test's wait).
const linkHas = (page, part) =>
  page.waitForFunction((part) => location.hash.includes(part), part, { timeout: TIMEOUT }).then(() => true, () => false);

async function hangulDrawnFromKoreanFonts(page, label) {
  const { marked, drawn, nodes, wrong } = await hangulFonts(page);
  check(drawn > 0 && nodes === marked && wrong.length === 0,
    `${label}: all ${drawn} drawn elements with Hangul (of ${marked}) draw it from a font that has Hangul${wrong.length ? "\n  " + wrong.join("\n  ") : ""}`);
}

// What the server sends a browser that takes only gzip, or brotli, is each file exactly (the
// build writes the .gz with zopfli and the .br with brotli beside every text and wasm file).
const fetchRaw = (path, encoding) => new Promise((resolve, reject) => {
  get(new URL(path, url), { headers: { "accept-encoding": encoding } }, (response) => {
    const chunks = [];
    response.on("data", (chunk) => chunks.push(chunk));
    response.on("end", () => resolve({ coding: response.headers["content-encoding"], body: Buffer.concat(chunks) }));
  }).on("error", reject);
});
for (const path of ["", "pauselab_web.js", "pauselab_web_bg.wasm", "style.css",
  "loader/pauselab_web_loader.js", "loader/pauselab_web_loader_bg.wasm", "scenarios/zombies.wire"]) {
  const plain = await fetchRaw(path, "identity");
  const sent = {};
  for (const [encoding, decode] of [["gzip", gunzipSync], ["br", brotliDecompressSync]]) {
    const { coding, body } = await fetchRaw(path, encoding);
    sent[encoding] = coding === encoding && decode(body).equals(plain.body);
  }
  check(plain.coding === undefined && plain.body.length > 0 && sent.gzip && sent.br,
    `/${path} sent as gzip and as brotli is the file (${plain.body.length} bytes)`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  // Each launch runs in a fresh temporary user-data-dir of Playwright's, removed on close.
  timeout: 30_000,
});
const pageErrors = [];
let failed = false;
try {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    // The one fetch the test aborts on purpose (a scenario file that does not come) is the
    // browser's to report; any other failed load is an error.
    const aborted = (message.location().url ?? "").endsWith("/scenarios/nspid.wire");
    if (message.type() === "error" && !aborted) pageErrors.push(`console: ${message.text()}`);
  });
  // The file reader is a module of its own, fetched only when a file is opened.
  const readerFetches = [];
  page.on("request", (request) => {
    if (request.url().includes("/loader/")) readerFetches.push(request.url());
  });
  // Every scenario but the first is a file fetched when it is opened.
  const scenarioFetches = [];
  page.on("request", (request) => {
    if (request.url().includes("/scenarios/")) scenarioFetches.push(new URL(request.url()).pathname);
  });
  // Until a fetched scenario is open, the picker says it is loading.
  const settled = (p) => p.waitForFunction(() => !document.querySelector(".picker [role=status]"));
  const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  const position = async () => (await page.textContent("#position")).trim();
  const zombies = async () => Number((await page.textContent("#zombie-count")).match(/\d+/)[0]);

  await page.goto(url);
  await page.waitForSelector("#scenario");
  check((await page.getAttribute("html", "lang")) === "en", "an English browser gets English");

  // The zombie scenario, stepped until a zombie shows.
  check(scenarioFetches.length === 0, "the first scenario comes with the page: no scenario file fetched");
  // A scenario whose file does not come: the page stays as it was and says so.
  const firstTitle = await page.textContent(".narrative h2");
  await page.route("**/scenarios/nspid.wire", (route) => route.abort());
  await page.selectOption("#scenario", "nspid");
  await page.waitForSelector(".notice");
  await settled(page);
  check((await page.textContent(".notice")).includes("nspid") && (await page.textContent(".narrative h2")) === firstTitle
      && (await page.inputValue("#scenario")) !== "nspid",
    "a scenario whose file does not come leaves the page as it was, with a notice");
  await page.unroute("**/scenarios/nspid.wire");
  await page.selectOption("#scenario", "zombies");
  await settled(page);
  check(scenarioFetches.includes("/scenarios/zombies.wire") && (await page.inputValue("#scenario")) === "zombies"
      && (await page.textContent(".narrative h2")) !== firstTitle && !(await page.$(".notice")),
    `the zombie scenario is fetched when chosen, and opens (${scenarioFetches.join(", ")})`);
  for (let i = 0; i < 10 && (await zombies()) === 0; i++) await page.click("#forward");
  check((await zombies()) > 0, "stepping the zombie scenario shows a zombie");
  await page.waitForSelector(".ps tr.zombie");
  // The drawn tree: the zombie is drawn as one, and the orphan's move to the container's init
  // is an arrow (K12).
  await page.waitForSelector(".tree-picture .proc.zombie");
  check((await page.locator(".tree-picture .proc.zombie").count()) === (await zombies()),
    "the tree picture draws each zombie as a zombie");
  await page.waitForSelector(".tree-picture .orphan-arrow");
  const arrowTitle = await page.locator(".tree-picture .orphan-arrow title").first().textContent();
  check(/init/.test(arrowTitle), `an arrow shows where the orphan went: ${arrowTitle}`);
  // The pod picture: pause and the app each in a pid namespace of their own, and one band
  // across both for net (K1).
  const pidBands = async () => (await page.locator(".pod-picture [data-kind=pid] .band").evaluateAll(
    (bands) => bands.map((b) => `${b.dataset.first}+${b.dataset.span}`))).join(" ");
  check((await pidBands()) === "0+1 1+1 2+1", `pid: node, pause and app apart (${await pidBands()})`);
  const netBands = await page.locator(".pod-picture [data-kind=net] .band").evaluateAll(
    (bands) => bands.map((b) => `${b.dataset.first}+${b.dataset.span}`));
  check(netBands.join(" ") === "0+1 1+2", `net: pause and app in one band (${netBands.join(" ")})`);
  const before = await zombies();
  await page.click("#end");
  const atEnd = await zombies();
  check(atEnd >= before && (await page.locator(".challenge:not(.done)").count()) === 1,
    "at the end the challenge is open");
  await shot("01-zombies");

  // shareProcessNamespace: pause is the pod's init and reaps the orphan.
  await page.check("#toggle-spn");
  await page.waitForSelector(".challenge.done");
  await page.waitForFunction(() => [...document.querySelectorAll(".pod-picture [data-kind=pid] .band")]
    .some((b) => b.dataset.first === "1" && b.dataset.span === "2"));
  check(true, "with shareProcessNamespace the pod picture draws one pid band across pause and the app");
  check((await zombies()) < atEnd, "with shareProcessNamespace a zombie is gone");
  const reaping = await page.locator(".line.reaping").allTextContents();
  check(reaping.some((line) => /reaped/.test(line)), "the log shows the reaping");
  check((await page.textContent(".ps")).includes("pause"), "pause is in the pod's process tree");
  // The link is written once the page has drawn: waited for, as a reader's next look would.
  check(await linkHas(page, "pod=spn"), "the URL holds the pod change");
  await shot("02-pause-reaps");

  // A K25 error instead of silently doing something.
  await page.check("#toggle-hostpid");
  await page.waitForSelector(".refused-pod");
  check((await page.textContent(".refused-pod")).includes("cannot both be enabled"), "K25's validation error shows");
  await page.click("#toggle-reset");
  await page.waitForSelector(".refused-pod", { state: "detached" });

  // The English page's one Hangul, the language switch, drawn from the shipped font.
  await hangulDrawnFromKoreanFonts(page, "the English page");
  // Korean.
  await page.click("#language");
  await page.waitForFunction(() => document.documentElement.lang === "ko");
  check((await page.textContent(".narrative h2")).includes("좀비"), "the scenario switches to Korean");
  // Hangul is drawn with real glyphs on this machine, which has no Korean font: the page's
  // subset web font is loaded, and two different syllables draw differently (not as the same
  // empty box).
  await page.evaluate(() => document.fonts.ready);
  const hangul = await page.evaluate(async () => {
    await document.fonts.load("16px 'Pauselab Hangul'", "파드");
    const face = [...document.fonts].find((f) => f.family.replace(/"/g, "") === "Pauselab Hangul");
    const draw = (text) => {
      const canvas = document.createElement("canvas");
      canvas.width = 40; canvas.height = 40;
      const context = canvas.getContext("2d");
      context.font = getComputedStyle(document.querySelector(".narrative h2")).font;
      context.fillText(text, 2, 30);
      return Array.from(context.getImageData(0, 0, 40, 40).data).join(",");
    };
    return { status: face && face.status, differ: draw("파") !== draw("드"), inked: draw("파") !== draw(" ") };
  });
  check(hangul.status === "loaded", `the Korean web font is loaded (status ${hangul.status})`);
  check(hangul.differ && hangul.inked, "Hangul syllables draw as different glyphs, not empty boxes");
  check(await linkHas(page, "lang=ko"), "the URL holds the language");
  await hangulDrawnFromKoreanFonts(page, "the Korean page");
  await shot("03-korean");

  // A link reopens the same moment.
  const link = page.url();
  const reopened = await context.newPage();
  reopened.on("pageerror", (error) => pageErrors.push(error.message));
  await reopened.goto(link.replace(/step=\d+/, "step=2"));
  await reopened.waitForSelector("#position");
  await settled(reopened);
  check((await reopened.textContent("#position")).includes("2"), "a link opens its step");
  check((await reopened.getAttribute("html", "lang")) === "ko", "a link keeps its language");
  await reopened.close();

  // Keyboard: arrows step.
  await page.click(".narrative h2");
  const was = await position();
  await page.keyboard.press("ArrowLeft");
  check((await position()) !== was, "← steps back");

  // Acting on a process: kill -9 1 from inside is dropped (K17).
  await page.selectOption("#scenario", "play");
  await page.click("#forward");
  await page.locator(".ps tr", { hasText: "app" }).locator("button.select").click();
  await page.click(".containers button:has-text('kubectl exec')");
  await page.locator(".ps tr", { hasText: "app" }).first().locator("button.select").click();
  const programNote = (await page.textContent(".act-panel .program-note")) ?? "";
  check(/generic program|일반 프로그램/.test(programNote) && programNote.includes("K17"), `the page says what a made-up program does (${programNote.slice(0, 80)}…)`);
  await page.selectOption("#act-signal", "SIGKILL");
  const insider = await page.locator("#act-from option").nth(1).getAttribute("value");
  await page.selectOption("#act-from", insider);
  await page.click("#act-kill");
  await page.waitForSelector(".line.reaping");
  check((await page.textContent(".event-log")).includes("K17"), "kill -9 1 from inside names K17");
  await shot("04-kill-9-1");

  // The reader's acts are in the link (core::wire bytes in base64url): it reopens the same world.
  await page.waitForFunction(() => /[#&]acts=[A-Za-z0-9_-]+/.test(location.hash));
  const actsLink = page.url();
  const rows = await page.locator(".ps tbody tr").count();
  const replayed = await context.newPage();
  replayed.on("pageerror", (error) => pageErrors.push(error.message));
  await replayed.goto(actsLink);
  await replayed.waitForSelector(".event-log");
  const replayedRows = await replayed
    .waitForFunction((n) => document.querySelectorAll(".ps tbody tr").length === n, rows, { timeout: 10000 })
    .then(() => rows, async () => replayed.locator(".ps tbody tr").count());
  check(replayedRows === rows, `a link with acts reopens the same processes (${replayedRows} rows of ${rows})`);
  check((await replayed.textContent(".event-log")).includes("K17"), "…and its last act, the dropped kill -9 1 (K17)");
  await replayed.close();

  // From the node, the kill is typed in the reader's login shell there: bash sends it, not containerd.
  await page.selectOption("#act-from", "");
  await page.click("#act-kill");
  await page.waitForFunction(() => /\bbash\b/.test(document.querySelector(".event-log")?.textContent ?? ""), null, { timeout: 10000 })
    .then(() => check(true, "a kill from the node is sent by the reader's bash"),
          () => check(false, "a kill from the node is sent by the reader's bash"));

  // A trace from a real machine, through the file picker.
  check(readerFetches.length === 0, "the file reader is not fetched before a file is opened");
  await page.setInputFiles("#file-input", join(fixtures, "orphan.trace.json"));
  await page.waitForSelector(".narrative h2 code");
  check((await page.textContent(".narrative h2")).includes("orphan.trace.json"), "a trace file opens");
  check(readerFetches.some((u) => u.endsWith("pauselab_web_loader_bg.wasm")), `opening it fetched the file reader (${readerFetches.length} requests)`);
  await page.click("#end");
  check((await page.locator(".ps tbody tr").count()) >= 1, "the trace's processes show");
  await shot("05-trace");

  // A broken file: a clear error, and the trace stays on screen.
  await page.setInputFiles("#file-input", { name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"format": "pauselab-trace", "version": 1') });
  await page.waitForSelector("[role=alert]");
  const brokenSaid = await page.textContent("[role=alert]");
  check(brokenSaid.includes("broken.json") && /not JSON|JSON이 아닙니다/.test(brokenSaid), `a broken file shows the reader's error naming it (${brokenSaid.trim()})`);
  check((await page.textContent(".narrative h2")).includes("orphan.trace.json"), "the current view stays");
  await shot("06-broken-file");

  // Drag and drop: a `pauselab ps --json` snapshot.
  const snapshot = readFileSync(join(fixtures, "host.ps.json"), "utf8");
  const dataTransfer = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], "host.ps.json", { type: "application/json" }));
    return data;
  }, snapshot);
  await page.dispatchEvent(".app", "drop", { dataTransfer });
  await page.waitForFunction(() => document.querySelector(".narrative h2")?.textContent.includes("host.ps.json"));
  check(true, "a dropped snapshot opens");

  // A real containerd pod, recorded with `pauselab ps --json`: drawn as a pod box, pause and
  // both containers, sharing net, ipc and uts, each container its own pid namespace.
  await page.setInputFiles("#file-input", podSnapshot);
  await page.waitForSelector("article.pod.recorded[data-pod=web]");
  const recorded = page.locator("article.pod.recorded[data-pod=web]");
  const headers = await recorded.locator("thead th").allTextContents();
  check(headers.some((h) => h.startsWith("pause (")) && headers.some((h) => h.startsWith("app ("))
    && headers.some((h) => h.startsWith("sidecar (")), `the real pod's columns: ${headers.join(" | ")}`);
  const row = async (kind) => (await recorded.locator("tbody tr", { has: page.locator(`th:text-is("${kind}")`) })
    .locator("td").allTextContents()).map((t) => t.trim());
  const [netNode, netPause, netApp, netSidecar] = await row("net");
  check(netPause === netApp && netApp === netSidecar && netNode !== netPause,
    "the real pod's containers share pause's net namespace, not the node's");
  const [, pidPause, pidApp, pidSidecar] = await row("pid");
  check(pidPause !== pidApp && pidApp !== pidSidecar, "each real container has its own pid namespace");
  await shot("07-real-pod");

  // docker inspect, the post's evidence, in scenario 02.
  const post = await context.newPage();
  post.on("pageerror", (error) => pageErrors.push(error.message));
  await post.goto(`${url}#s=docker-by-hand&step=2&lang=en`);
  await post.waitForSelector(".docker-inspect");
  const inspect = async (name) => (await post.locator(`.docker-inspect tr[data-container="${name}"] td`).allTextContents()).map((t) => t.trim());
  const sandbox = await inspect("sandbox");
  check(sandbox[3] === "none" && sandbox[4] === "shareable", `the sandbox: NetworkMode none, IpcMode shareable (${sandbox.join(" | ")})`);
  const nginx = await inspect("nginx");
  check(nginx[3].startsWith("container:") && nginx[3].includes("= sandbox") && nginx[4].includes("= sandbox"),
    `nginx: NetworkMode and IpcMode container:<the sandbox's id> (${nginx.join(" | ")})`);
  const app = await inspect("app");
  check(/created/.test(app[2]), `the refused app stays created (${app.join(" | ")})`);
  await post.evaluate(() => document.fonts.ready);
  await post.screenshot({ path: join(artifacts, "08-docker-inspect.png"), fullPage: true });
  await post.close();

  // A big world: the table scrolls in its box and draws only the rows in view.
  await page.setInputFiles("#file-input", bigTrace);
  await page.waitForSelector(".processes .table-wrap.virtual");
  const total = Number(await page.getAttribute(".processes .table-wrap", "aria-rowcount"));
  const drawn = await page.locator(".ps tbody tr:not(.spacer)").count();
  check(total >= 300 && drawn < 100, `${total} processes, ${drawn} rows drawn`);
  await page.evaluate(() => {
    const box = document.querySelector(".processes .table-wrap");
    box.scrollTop = box.scrollHeight;
  });
  await page.waitForFunction((n) => [...document.querySelectorAll(".ps tbody tr:not(.spacer) td.pid")]
    .some((cell) => Number(cell.textContent) >= n - 5), total);
  check(true, "scrolling to the bottom draws the last processes");
  await page.keyboard.press("End");
  await shot("09-big-world");

  // A Korean browser gets Korean; a phone-sized screen still works.
  const korean = await browser.newContext({ locale: "ko-KR", viewport: { width: 390, height: 844 }, isMobile: true });
  const phone = await korean.newPage();
  phone.on("pageerror", (error) => pageErrors.push(error.message));
  await phone.goto(url);
  await phone.waitForSelector("#scenario");
  check((await phone.getAttribute("html", "lang")) === "ko", "a Korean browser gets Korean");
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `no sideways scrolling on a phone (${overflow}px)`);
  await phone.screenshot({ path: join(artifacts, "10-phone-ko.png"), fullPage: true });

  // docker inspect shows every column on a laptop's 1280 px (PidMode used to be cut off).
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const wide = await laptop.newPage();
  wide.on("pageerror", (error) => pageErrors.push(error.message));
  await wide.goto(new URL("#s=docker-by-hand&step=3", url).href);
  await wide.waitForSelector(".docker-inspect .table-wrap");
  const cut = await wide.evaluate(() => {
    const wrap = document.querySelector(".docker-inspect .table-wrap");
    return wrap.scrollWidth - wrap.clientWidth;
  });
  check(cut <= 1 && (await wide.textContent(".docker-inspect")).includes("PidMode"),
    `docker inspect fits 1280 px with PidMode in view (${cut}px cut)`);
  await wide.screenshot({ path: join(artifacts, "11-docker-inspect-1280.png"), fullPage: true });
  await laptop.close();

  // #19: the terminal, a module fetched when it is first opened. The post's two commands and
  // docker inspect, typed; the pictures follow; then kubectl exec into a pod that shares its
  // pid namespace, ps -ef, and kill -9 1 (nothing happens, K17). In English and in Korean.
  for (const [locale, lang] of [["en-US", "en"], ["ko-KR", "ko"]]) {
    const typing = await browser.newContext({ locale, viewport: { width: 1400, height: 1000 } });
    const term = await typing.newPage();
    term.setDefaultTimeout(TIMEOUT);
    term.on("pageerror", (error) => pageErrors.push(error.message));
    const terminalFetches = [];
    term.on("request", (request) => {
      if (request.url().includes("/terminal/")) terminalFetches.push(request.url());
    });
    await term.goto(new URL("#s=play&step=1", url).href);
    await term.waitForSelector(".terminal-panel summary");
    check(terminalFetches.length === 0, `${lang}: the terminal's module is not fetched before it is opened`);
    await term.click(".terminal-panel summary");
    await term.waitForSelector(".term-input");
    check(terminalFetches.length > 0, `${lang}: opening the terminal fetches its module`);
    const screen = () => term.textContent(".term-screen");
    const type = async (line, expect) => {
      const before = (await screen()).length;
      await term.fill(".term-input", line);
      await term.press(".term-input", "Enter");
      await term.waitForFunction(([n, line]) => {
        const text = document.querySelector(".term-screen").textContent;
        return text.length > n + line.length;
      }, [before, line]);
      if (expect) {
        await term.waitForFunction((e) => document.querySelector(".term-screen").textContent.includes(e), expect);
      }
      return (await screen()).slice(before);
    };
    const stepsBefore = await term.textContent("#position");
    await type("docker run -d --name pause --ipc=shareable registry.k8s.io/pause:3.9");
    await type("docker run -d --name nginx --net=container:pause --ipc=container:pause nginx");
    const ipc = await type("docker inspect -f '{{.HostConfig.IpcMode}}' pause", "shareable\n");
    check(ipc.includes("shareable"), `${lang}: docker inspect -f '{{.HostConfig.IpcMode}}' pause prints shareable`);
    // The pictures follow: docker's containers are drawn, and each line is a step.
    await term.waitForFunction(() => (document.querySelector(".docker-inspect")?.textContent ?? "").includes("container:"));
    const inspectText = await term.textContent(".docker-inspect");
    check(/nginx/.test(inspectText) && /shareable/.test(inspectText),
      `${lang}: the page's docker inspect shows nginx joining pause (${inspectText.slice(0, 80)}…)`);
    check((await term.textContent("#position")) !== stepsBefore, `${lang}: typed lines are steps of the timeline`);
    check(/[#&]acts=/.test(await term.evaluate(() => location.hash)), `${lang}: the link carries the typed lines`);
    // Tab completes a container's name.
    await term.fill(".term-input", "docker inspect ngi");
    await term.press(".term-input", "Tab");
    check((await term.inputValue(".term-input")) === "docker inspect nginx ", `${lang}: Tab completes a container's name`);
    await term.fill(".term-input", "");
    await type("kubectl run shared --image=nginx --overrides='{\"spec\":{\"shareProcessNamespace\":true}}'");
    await term.waitForFunction(() => document.body.textContent.includes("shared"));
    await type("kubectl exec -it shared -- sh");
    const ps = await type("ps -ef", "pause\n");
    check(/^root +1 +0 .* \/pause$/m.test(ps), `${lang}: ps -ef in a shared pid namespace shows pause as pid 1, as /pause (its image's entrypoint)`);
    await type("kill -9 1");
    const status = await type("echo $?", "\n0\n");
    check(status.includes("0"), `${lang}: kill -9 1 inside does nothing (K17)`);
    const after = await type("ps -ef", "ps -ef\n");
    check(/^root +1 +0 .* \/pause$/m.test(after), `${lang}: pause is still pid 1`);
    const refused = await type("ps | wc -l");
    check(refused.includes(lang === "ko" ? "실행하지 않음" : "not run"), `${lang}: a refused line says why in the reader's language`);
    await term.evaluate(() => document.fonts.ready);
    await term.screenshot({ path: join(artifacts, `12-terminal-${lang}.png`), fullPage: true });
    if (lang === "ko") await hangulDrawnFromKoreanFonts(term, "the Korean page with its terminal");

    // A guided scenario: the terminal offers the next step's lines; a click puts one on the
    // command line, and Next moves the offer on. Typing the last step's line does it, as the
    // reader's own step (nothing is offered after it).
    const guided = await typing.newPage();
    guided.setDefaultTimeout(TIMEOUT);
    guided.on("pageerror", (error) => pageErrors.push(error.message));
    await guided.goto(new URL("#s=kill-9-1&step=0", url).href);
    await guided.waitForFunction(() => document.querySelector("#scenario")?.value === "kill-9-1");
    await guided.click(".terminal-panel summary");
    await guided.waitForSelector(".term-next .term-hint");
    const offered = async () => guided.$$eval(".term-next .term-hint", (b) => b.map((e) => e.textContent.replace(/^\$ /, "")));
    const first = await offered();
    check(JSON.stringify(first) === JSON.stringify(["kubectl exec -it web -c app -- sh", "kill -9 1"]),
      `${lang}: the first step is offered as its lines (${first.join(" | ")})`);
    const title = await guided.textContent(".term-next-title");
    check(lang === "ko" ? /다음 단계/.test(title) : /next step/.test(title), `${lang}: the offer is titled in the reader's language`);
    check(/\S/.test(await guided.textContent(".term-next .term-itself")), `${lang}: what happens by itself is said, not offered as a line`);
    await guided.evaluate(() => document.fonts.ready);
    await guided.screenshot({ path: join(artifacts, `13-terminal-next-step-${lang}.png`), fullPage: true });
    if (lang === "ko") await hangulDrawnFromKoreanFonts(guided, "the terminal's offer of the next step in Korean");
    // After the pod that the scenario makes: shown, but not put on the line until it is there.
    await guided.click(".term-next .term-hint >> nth=1", { force: true });
    check((await guided.inputValue(".term-input")) === "" && (await guided.$$(".term-next .term-hint.later")).length === 2,
      `${lang}: a line that waits for what the scenario does first is not put on the command line`);
    await guided.click("#forward");
    await guided.waitForFunction(() => [...document.querySelectorAll(".term-next .term-hint")]
      .some((b) => /^kill -9 \d+$/.test(b.dataset.line) && b.dataset.line !== "kill -9 1"));
    const [kill] = await offered();
    await guided.click(".term-next .term-hint");
    check((await guided.inputValue(".term-input")) === kill, `${lang}: a click puts the line on the command line`);
    const positionBefore = await guided.textContent("#position");
    await guided.press(".term-input", "Enter");
    await guided.waitForFunction((p) => document.querySelector("#position").textContent !== p, positionBefore);
    await guided.waitForFunction(() => !document.querySelector(".term-next .term-hint"));
    check((await guided.textContent(".term-screen")).includes(kill), `${lang}: the offered line ran (${kill})`);
    // Typed in its turn, the step's line is the lesson's step, not the reader's own.
    check((await guided.$$(".say.mine")).length === 0 && (await guided.$$(".say")).length > 0,
      `${lang}: the typed step is the scenario's own, and the lesson goes on`);
    await typing.close();
  }

  check(pageErrors.length === 0, `no page errors${pageErrors.length ? ": " + pageErrors.join("; ") : ""}`);
} catch (error) {
  failed = true;
  console.error(error.stack ?? String(error));
  if (pageErrors.length) console.error("page errors:", pageErrors);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
