// Opens a hotframe diagnosis page in headless Chromium and works every tab as a user would: the summary's
// verdicts, each flame graph mode (the graph must change), the memory charts, the threads table (a click must
// open that thread's graph) and the thread dump's search. Prints one JSON line of what it measured for the
// calling test to judge, or fails on a script error, a network request or a tab that does not render.
//
//   node check_diagnosis.mjs <page.html> [thread name to search and open] [screenshot prefix]
//
// The browser and its plumbing come from browser_page.mjs: exits 0 on success, 1 with a reason on failure,
// 77 (skip) when a prerequisite is missing.
import path from 'node:path';

import { fail, runCheck, watchedPage, withBrowser } from './browser_page.mjs';

async function main() {
    const [pagePath, threadName, screenshotPrefix] = process.argv.slice(2);
    if (!pagePath) fail('usage: check_diagnosis.mjs <page.html> [thread name] [screenshot prefix]');
    const result = await withBrowser(pagePath,
                                     (browser) => checkPage(browser, path.resolve(pagePath), threadName, screenshotPrefix));
    console.log(JSON.stringify(result));
}

async function checkPage(browser, pagePath, threadName, screenshotPrefix) {
    const { page, problems, pageUrl } = await watchedPage(browser, pagePath, { width: 1400, height: 900 });
    const check = (condition, reason) => {
        if (problems.length) fail(problems[0]);
        if (!condition) fail(reason);
    };
    const shoot = async (name) => {
        if (screenshotPrefix) await page.screenshot({ path: `${screenshotPrefix}-${name}.png` });
    };
    const result = {};

    // Loaded: the summary drawn and the flame graph of the first mode drawn in its frame. Wall time depends on what
    // else the machine runs; the renderer main thread's busy time (Chrome's own accounting of the tasks it ran for
    // this page and its frame: parsing, script, style, layout, paint) is the page's own cost, and what the test
    // bounds. Measured in the thread's CPU time (threadTicks): in wall time a task that the kernel preempts for
    // another process grows with the machine's load. The metrics are cumulative from Performance.enable, so the
    // blank page's share is read first.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const busy = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        const value = (name) => (metrics.find((m) => m.name === name) || { value: 0 }).value * 1000;
        return { task: value('TaskDuration'), script: value('ScriptDuration') };
    };
    const blank = await busy();
    const started = Date.now();
    await page.goto(pageUrl, { waitUntil: 'load', timeout: 60000 });
    await page.waitForFunction(() => window.diagnosis !== undefined, null, { timeout: 20000 })
        .catch(() => fail(`window.diagnosis never appeared${problems.length ? ` (${problems[0]})` : ''}`));
    result.summaryMs = Date.now() - started;
    const summaryBusy = await busy();
    result.summaryBusyMs = Math.round(summaryBusy.task - blank.task);
    result.verdicts = await page.$$eval('.verdict h2', (nodes) => nodes.map((n) => n.textContent));
    check(result.verdicts.length > 0, 'no verdicts on the summary tab');
    await shoot('summary');

    const viewerReady = (mode) => page.waitForFunction((m) => {
        const viewer = window.diagnosis.viewer();
        return viewer && viewer.event === m && viewer.drawnFrames() > 0;
    }, mode, { timeout: 20000 });
    // The flame graph tab opened as a user's click does, timed inside the page from the click to the first frame
    // with the graph drawn: Playwright's own click (actionability checks, scrolling, a round trip per step) and
    // its polling would add their latency to the page's.
    const flameMs = await page.evaluate(() => new Promise((resolve) => {
        const clicked = performance.now();
        document.querySelector('#tabs button[data-tab="flame"]').click();
        const deadline = clicked + 20000;
        const poll = () => {
            const viewer = window.diagnosis.viewer();
            if (viewer && viewer.event === window.diagnosis.mode() && viewer.drawnFrames() > 0) {
                resolve(Math.round(performance.now() - clicked));
            } else if (performance.now() > deadline) {
                resolve(-1);
            } else {
                requestAnimationFrame(poll);
            }
        };
        poll();
    }));
    const firstMode = await page.evaluate(() => window.diagnosis.mode());
    check(flameMs >= 0, `the ${firstMode} flame graph was never drawn`);
    result.flameMs = flameMs;
    // Loaded and drawn as a user sees it: the summary up, then the flame graph drawn after the tab is clicked.
    result.loadMs = result.summaryMs + flameMs;
    result.wallMs = Date.now() - started;
    const loadBusy = await busy();
    result.loadBusyMs = Math.round(loadBusy.task - blank.task);
    result.loadScriptMs = Math.round(loadBusy.script - blank.script);
    check(true, '');
    await shoot('flame');

    // Every mode with data: the graph in the frame changes to that event's.
    const modes = await page.$$eval('#modes button', (nodes) => nodes.filter((n) => !n.disabled).map((n) => n.dataset.mode));
    result.modes = {};
    for (const mode of modes) {
        await page.click(`#modes button[data-mode="${mode}"]`);
        await viewerReady(mode).catch(() => fail(`switching to ${mode} did not draw the ${mode} graph`));
        result.modes[mode] = await page.evaluate(() => window.diagnosis.viewer().totalSamples);
    }
    check(true, '');

    await page.click('#tabs button[data-tab="memory"]');
    result.memory = await page.evaluate(() => {
        const charts = document.querySelectorAll('#charts .chart');
        const first = charts[0];
        return {
            charts: charts.length,
            points: first ? first.querySelectorAll('circle.point').length : 0,
            gcMarks: first ? first.querySelectorAll('line.gc').length : 0,
            gcSeconds: window.diagnosis.gcSeconds.length,
            tableRows: document.querySelectorAll('#memory-table tbody tr').length,
            seconds: window.diagnosis.data.seconds,
        };
    });
    check(result.memory.charts > 0, 'no memory charts');
    await shoot('memory');

    await page.click('#tabs button[data-tab="threads"]');
    result.threads = await page.evaluate(() => ({
        rows: document.querySelectorAll('#thread-table tbody tr').length,
        names: Array.from(document.querySelectorAll('#thread-table tbody tr td:first-child')).map((td) => td.textContent),
    }));
    // Sorting by name puts the rows in order.
    await page.click('#thread-table th[data-key="name"]');
    const sortedNames = await page.$$eval('#thread-table tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    const inOrder = sortedNames.every((name, i) => i === 0 || sortedNames[i - 1].localeCompare(name) <= 0);
    check(inOrder, 'sorting by thread name did not order the rows');
    if (threadName) {
        await page.fill('#thread-search', threadName);
        result.threadSearchRows = await page.$$eval('#thread-table tbody tr', (rows) => rows.filter((r) => !r.hidden).length);
        await shoot('threads');
        const row = page.locator('#thread-table tbody tr:not([hidden])').filter({
            has: page.locator('td:first-child', { hasText: new RegExp(`^${threadName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
        }).first();
        await row.click();
        await page.waitForFunction(() => {
            const viewer = window.diagnosis.viewer();
            return viewer && window.diagnosis.thread() !== '' && viewer.zoomedName() === window.diagnosis.thread();
        }, null, { timeout: 20000 }).catch(async (e) => fail(`clicking ${threadName} did not open its flame graph (${e.message.split("\n")[0]}; ${JSON.stringify(await page.evaluate(() => [window.diagnosis.thread(), window.diagnosis.mode()]))})`));
        result.openedThread = await page.evaluate(() => window.diagnosis.viewer().zoomedName());
        result.openedTab = await page.evaluate(() => !document.getElementById('tab-flame').hidden);
        await shoot('thread-graph');
    }

    await page.click('#tabs button[data-tab="dump"]');
    result.dump = await page.evaluate(() => ({
        blocks: document.querySelectorAll('#dump-threads .dump-thread').length,
        deadlocks: Array.from(document.querySelectorAll('#deadlocks p')).map((p) => p.textContent),
        firstBlock: (document.querySelector('#dump-threads .dump-thread') || { textContent: '' }).textContent.slice(0, 200),
    }));
    if (threadName) {
        await page.fill('#dump-search', threadName);
        result.dumpSearch = await page.evaluate(() => Array.from(document.querySelectorAll('#dump-threads .dump-thread'))
            .filter((b) => !b.hidden).map((b) => b.textContent.split('\n')[0]));
        await shoot('dump');
    }
    check(true, '');
    return result;
}

runCheck(main);
