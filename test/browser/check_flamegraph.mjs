// Opens a hotframe HTML flame graph in headless Chromium and checks that it works as a page, not only that it
// was written: no script errors, no injected dialog, a drawn canvas, search, zoom and the Ctrl+F shortcut.
//
//   node check_flamegraph.mjs <page.html> <expected frame name> [screenshot.png]
//
// The browser and its plumbing come from browser_page.mjs: exits 0 on success, 1 with a one-line reason on
// failure, and 77 (the ctest skip code) when a prerequisite is missing.
import path from 'node:path';

import { fail, runCheck, watchedPage, withBrowser } from './browser_page.mjs';

async function main() {
    // With "expected-frame" last, the tooltip regex applies to the expected frame's tooltip (found by zooming into
    // it) instead of that of the first frame of the second row.
    const [pagePath, expectedFrame, screenshotPath, expectedTooltip, tooltipOf] = process.argv.slice(2);
    if (!pagePath || !expectedFrame) {
        fail('usage: check_flamegraph.mjs <page.html> <expected frame> [screenshot] [regex the tooltip must match] ' +
             '[expected-frame]');
    }
    const hoverExpected = tooltipOf === 'expected-frame';
    await withBrowser(pagePath, (browser) => checkPage(browser, path.resolve(pagePath), expectedFrame, screenshotPath,
                                                       expectedTooltip, hoverExpected));
}

async function checkPage(browser, pagePath, expectedFrame, screenshotPath, expectedTooltip, hoverExpected) {
    const { page, problems, pageUrl } = await watchedPage(browser, pagePath, { width: 1280, height: 800 });

    const started = Date.now();
    await page.goto(pageUrl, { waitUntil: 'load', timeout: 60000 });
    await page.waitForFunction(() => window.hotframe !== undefined, null, { timeout: 20000 }).catch(() => {
        fail(`window.hotframe never appeared${problems.length ? ` (${problems[0]})` : ''}`);
    });
    const loadMs = Date.now() - started;
    const check = (condition, reason) => {
        if (problems.length) fail(problems[0]);
        if (!condition) fail(reason);
    };

    const info = await page.evaluate(() => {
        const canvas = document.getElementById('flame');
        const box = canvas.getBoundingClientRect();
        return {
            width: box.width, height: box.height, backingWidth: canvas.width, backingHeight: canvas.height,
            totalSamples: window.hotframe.totalSamples,
            attribute: document.body.dataset.totalSamples,
            drawn: window.hotframe.drawnFrames(),
            scripts: document.scripts.length,
        };
    });
    check(info.width > 0 && info.height > 0 && info.backingWidth > 0,
          `canvas has no size (${info.width}x${info.height})`);
    check(info.totalSamples > 0, 'window.hotframe.totalSamples is 0');
    check(String(info.totalSamples) === info.attribute, `data-total-samples ${info.attribute} != ${info.totalSamples}`);
    check(info.drawn > 0, 'no frames drawn');
    check(info.scripts === 1, `page has ${info.scripts} script elements, expected 1 (was one injected?)`);

    const matched = await page.evaluate((name) => window.hotframe.search(name), expectedFrame);
    const label = await page.textContent('#matched');
    check(matched > 0, `search for "${expectedFrame}" matched ${matched}%`);
    check(label.includes('Matched:'), `matched label reads "${label}"`);
    console.log(`search "${expectedFrame}": ${label.trim()} (hook returned ${matched})`);

    const zoomed = await page.evaluate(
        (name) => window.hotframe.zoomTo(name) && window.hotframe.zoomedName(), expectedFrame);
    check(zoomed === expectedFrame, `zoomTo("${expectedFrame}") left the zoom at "${zoomed}"`);
    const resetEnabled = await page.isEnabled('#reset');
    check(resetEnabled, 'Reset button is disabled while zoomed');
    await page.click('#reset');
    check(await page.evaluate(() => window.hotframe.zoomedName()) === '', 'Reset did not zoom out');

    // A real click near the bottom-left of the canvas (above the root row) must zoom into some frame.
    const box = await page.locator('#flame').boundingBox();
    // The root row is at the bottom of the drawing, which is the bottom of the canvas unless the graph is shorter
    // than the canvas's minimum height: look for it from the bottom up. Then take the leftmost frame of the row
    // above it, or the first one wide enough to be drawn when the leftmost is not.
    let rootY = box.y + box.height - 9;
    while (rootY > box.y) {
        const under = await page.evaluate(({ x, y }) => window.hotframe.frameAt(x, y), { x: box.x + 5, y: rootY });
        if (under !== null && under.name === 'all') break;
        rootY -= 6;
    }
    check(rootY > box.y, 'no root row ("all") found on the canvas');
    const target = { x: box.x + 5, y: rootY - 18 };
    let frame = null;
    for (; target.x < box.x + box.width && frame === null; target.x += 10) {
        frame = await page.evaluate(({ x, y }) => window.hotframe.frameAt(x, y), target);
    }
    target.x -= 10;
    check(frame !== null, 'no frame under the second row of the canvas');
    await page.mouse.move(target.x, target.y);
    const tooltip = await page.evaluate(() => {
        const element = document.getElementById('tooltip');
        return element.hidden ? '' : element.textContent;
    });
    check(tooltip.includes(frame.name) && (tooltip.includes('Samples:') || tooltip.includes('Before:')),
          `hover tooltip reads "${tooltip}"`);
    console.log(`tooltip: ${tooltip}`);
    if (expectedTooltip && !hoverExpected) {
        check(new RegExp(expectedTooltip).test(tooltip), `hover tooltip "${tooltip}" does not match /${expectedTooltip}/`);
    }
    await page.mouse.click(target.x, target.y);
    const clicked = await page.evaluate(() => window.hotframe.zoomedName());
    check(clicked === frame.name, `clicking "${frame.name}" zoomed to "${clicked}"`);
    await page.keyboard.press('Escape');
    check(await page.evaluate(() => window.hotframe.zoomedName()) === '', 'Escape did not zoom out');

    if (hoverExpected) {
        // Zoomed into it, the expected frame spans the width: look for its row up from the root's.
        await page.evaluate((name) => window.hotframe.zoomTo(name), expectedFrame);
        const x = box.x + box.width / 2;
        let y = rootY;
        for (; y > box.y; y -= 6) {
            const under = await page.evaluate((point) => window.hotframe.frameAt(point.x, point.y), { x, y });
            if (under !== null && under.name === expectedFrame) break;
        }
        check(y > box.y, `no row of "${expectedFrame}" found while zoomed into it`);
        await page.mouse.move(x, y);
        const text = await page.evaluate(() => document.getElementById('tooltip').textContent);
        console.log(`tooltip of ${expectedFrame}: ${text}`);
        check(new RegExp(expectedTooltip).test(text), `tooltip "${text}" does not match /${expectedTooltip}/`);
        await page.keyboard.press('Escape');
    }

    await page.mouse.click(box.x + box.width / 2, box.y + 5);  // give the canvas, not the search box, the focus
    await page.keyboard.press('Control+f');
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    check(focused === 'search', `Ctrl+F focused "${focused}" instead of the search box`);

    if (screenshotPath) {
        await page.evaluate((name) => window.hotframe.search(name), expectedFrame);
        await page.mouse.move(target.x + 40, target.y);
        await page.screenshot({ path: screenshotPath, fullPage: true });
        console.log(`screenshot: ${screenshotPath}`);
    }
    check(true, '');
    console.log(`OK: ${info.totalSamples} samples, ${info.drawn} frames drawn, canvas ${info.width}x${info.height}, ` +
                `loaded in ${loadMs} ms`);
}

runCheck(main);
