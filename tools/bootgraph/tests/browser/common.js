// SPDX-License-Identifier: GPL-2.0
/*
 * What the browser tests share: headless Chromium on a fresh profile, the
 * console errors and uncaught exceptions of its page, and the TAP run of
 * a list of checks.  run(what, checks, hooks) prints the plan, starts the
 * browser, calls hooks.setup(page, errors), then for each check
 * hooks.each(check, page, errors), which throws when it fails, then
 * hooks.done(errors); it exits 1 when a check failed or the browser
 * could not start.  $CHROMIUM names the browser (default
 * /usr/bin/chromium).
 */
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require('playwright-core');

function tapError(e) {
	return String(e.stack || e).split('\n').map((l) => '# ' + l).join('\n');
}

async function runChecks(what, checks, hooks) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bootgraph-chromium-'));
	/* a fresh --user-data-dir: playwright passes it for a persistent context */
	const browser = await chromium.launchPersistentContext(dir, {
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
			'--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
		viewport: { width: 1400, height: 800 },
	});
	const p = browser.pages()[0] || await browser.newPage();
	const errors = [];
	p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	p.on('pageerror', (e) => errors.push(String(e)));
	if (hooks.setup)
		await hooks.setup(p, errors);
	let failed = 0;
	for (const [i, c] of checks.entries()) {
		try {
			await hooks.each(c, p, errors);
			console.log('ok ' + (i + 1) + ' - ' + what + ': ' + c.name);
		} catch (e) {
			failed++;
			console.log('not ok ' + (i + 1) + ' - ' + what + ': ' + c.name);
			console.log(tapError(e));
		}
	}
	if (hooks.done)
		hooks.done(errors);
	await browser.close();
	fs.rmSync(dir, { recursive: true, force: true });
	return failed;
}

function run(what, checks, hooks) {
	console.log('TAP version 13');
	console.log('1..' + checks.length);
	runChecks(what, checks, hooks).then((failed) => {
		process.exit(failed ? 1 : 0);
	}, (e) => {
		console.log('not ok - ' + what + ': browser failed to start');
		console.log('# ' + String(e).split('\n').join('\n# '));
		process.exit(1);
	});
}

module.exports = { run };
