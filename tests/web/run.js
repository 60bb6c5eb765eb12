// Browser tests of `gongwen serve`, driven by tests/all/web.rs:
//   node run.js SCENARIO BASE_URL WORK_DIR
// Headless Chromium from Debian through playwright-core. Prints one JSON object on stdout with
// what the page showed; the Rust test asserts on it and on the files saved in WORK_DIR.
"use strict";
const path = require("path");
const { chromium } = require("playwright-core");

const [scenario, base, work] = process.argv.slice(2);

async function main() {
  // An empty profile of its own (a fresh folder in WORK_DIR), nothing from the network.
  const context = await chromium.launchPersistentContext(path.join(work, "chromium-profile"), {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
    viewport: { width: 1600, height: 1000 },
    acceptDownloads: true,
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(30000);
    await page.goto(base);
    await page.waitForFunction(() => document.getElementById("layout").options.length > 0);
    const out = await scenarios[scenario](page);
    process.stdout.write(JSON.stringify(out) + "\n");
  } finally {
    await context.close();
  }
}

async function pagesShown(page) {
  await page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll("#pages img")];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  });
  return page.$$eval("#pages img", (imgs) => imgs.map((i) => [i.naturalWidth, i.naturalHeight]));
}

async function download(page, id, name) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.click("#" + id)]);
  const file = path.join(work, name);
  await d.saveAs(file);
  return { file, suggested: d.suggestedFilename() };
}

const explainRows = (page) =>
  page.$$eval("#explain tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));

const scenarios = {
  // Paste the seed, see the pages and the explain view, edit, download both files.
  async paste(page) {
    const fs = require("fs");
    const seed = fs.readFileSync(process.env.SEED, "utf8");
    const t0 = Date.now();
    await page.fill("#draft", seed);
    const pages = await pagesShown(page);
    const firstMs = Date.now() - t0;
    const explain = await explainRows(page);
    const warnings = await page.$$eval("#warnings li", (li) => li.map((l) => l.textContent));
    await page.screenshot({ path: path.join(work, "screenshot.png") });
    const pdf = await download(page, "dl-pdf", "out.pdf");
    const docx = await download(page, "dl-docx", "out.docx");
    // An edit: the title changes, and the pages come back.
    const before = await page.$eval("#pages img", (i) => i.src);
    const t1 = Date.now();
    await page.fill("#draft", seed.replace(/^[^\n]*/, "关于改过标题的报告"));
    await page.waitForFunction((b) => {
      const i = document.querySelector("#pages img");
      return i && i.src !== b && i.complete && i.naturalWidth > 0;
    }, before);
    const editMs = Date.now() - t1;
    const edited = await explainRows(page);
    return { pages, explain, warnings, pdf, docx, firstMs, editMs, editedTitle: edited[0] };
  },
  // Drop a Word draft, then a sheet with a template from the working folder.
  async drops(page) {
    await page.setInputFiles("#file", process.env.DOCX);
    const pages = await pagesShown(page);
    const explain = await explainRows(page);
    const docx = await download(page, "dl-docx", "dropped.docx");
    const findings = await page.$$eval("#findings li", (li) => li.map((l) => l.textContent));
    await page.selectOption("#template", "./notice.hbs");
    await page.setInputFiles("#file", process.env.SHEET);
    await page.waitForSelector("#dl-zip:not([hidden])");
    const message = await page.textContent("#message");
    const zip = await download(page, "dl-zip", "batch.zip");
    return { pages, explain, docx, findings, message, zip };
  },
  // A PNG renamed .docx, and a 200 MB file: a message on the page each.
  async bad(page) {
    await page.setInputFiles("#file", process.env.FAKE_DOCX);
    await page.waitForSelector("#message.error");
    const fake = await page.textContent("#message");
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(200 * 1024 * 1024)], "大文件.docx"));
      document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true }));
    });
    await page.waitForFunction(() => document.getElementById("message").textContent.includes("太大"));
    const big = await page.textContent("#message");
    return { fake, big };
  },
};

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
