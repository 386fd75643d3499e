// What the browser checks share: finding playwright-core, launching Debian's headless Chromium, opening a page
// that records every script error, console error, dialog and network request as a problem, and turning the
// outcome into an exit code (0 passed, 1 failed with a one-line reason, 77 the ctest skip code when a
// prerequisite is missing).
//
// playwright-core is taken from $HOTFRAME_NODE_MODULES or from a node_modules directory next to this module.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const kSkip = 77;
const kChromium = '/usr/bin/chromium';

// Thrown rather than exiting on the spot, so that the browser is always closed on the way out.
export class Outcome extends Error {
    constructor(reason, exitCode) {
        super(reason);
        this.exitCode = exitCode;
    }
}

export function fail(reason) {
    throw new Outcome(`FAIL: ${reason}`, 1);
}

export function skip(reason) {
    throw new Outcome(`SKIP: ${reason}`, kSkip);
}

function loadPlaywright() {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const candidates = [process.env.HOTFRAME_NODE_MODULES, path.join(here, 'node_modules')].filter(Boolean);
    for (const dir of candidates) {
        // createRequire resolves from the directory that holds the given file, so name a file inside node_modules'
        // parent and let it look into node_modules/playwright-core.
        const parent = path.basename(dir) === 'node_modules' ? path.dirname(dir) : dir;
        try {
            return createRequire(path.join(parent, 'noop.js'))('playwright-core');
        } catch {
            // try the next place
        }
    }
    skip(`playwright-core not found (looked in ${candidates.join(', ')}); set HOTFRAME_NODE_MODULES`);
}

// Checks that the page exists, launches the browser, runs `work(browser)` and closes the browser whatever
// happened; returns what `work` returned.
export async function withBrowser(pagePath, work) {
    if (!existsSync(pagePath)) fail(`no such page: ${pagePath}`);
    if (!existsSync(kChromium)) skip(`${kChromium} is not installed (apt-get install chromium)`);
    const { chromium } = loadPlaywright();
    const browser = await chromium.launch({
        executablePath: kChromium,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
        return await work(browser);
    } finally {
        await browser.close();
    }
}

// A new page of the given size whose problems are collected: script errors, console errors, any dialog (text
// of the profile that ran as code) and any request other than the file itself (the page must be
// self-contained). Returns { page, problems, pageUrl }; the page is not loaded yet.
export async function watchedPage(browser, pagePath, viewport) {
    const page = await browser.newPage({ viewport });
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('dialog', async (dialog) => {
        problems.push(`a ${dialog.type()} dialog fired ("${dialog.message()}"): text of the profile ran as code`);
        await dialog.dismiss();
    });
    const pageUrl = pathToFileURL(pagePath).href;
    page.on('request', (request) => {
        const url = request.url();
        if (url !== pageUrl && !url.startsWith('data:') && !url.startsWith('about:')) {
            problems.push(`network request to ${url}`);
        }
    });
    return { page, problems, pageUrl };
}

// Runs a check's main function and exits with its outcome.
export function runCheck(main) {
    main().catch((error) => {
        if (error instanceof Outcome) {
            console.error(error.message);
            process.exit(error.exitCode);
        }
        console.error(`FAIL: ${error && error.message ? error.message.split('\n')[0] : String(error)}`);
        process.exit(1);
    });
}
