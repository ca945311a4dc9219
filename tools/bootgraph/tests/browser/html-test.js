// SPDX-License-Identifier: GPL-2.0
/*
 * Headless Chromium test of bootgraph's html page: node html-test.js
 * PAGE.html SCREENSHOT.png TAIL.html.  Loads the page from file://, then
 * checks that it draws bars without console errors and that zoom, pan,
 * search and click-for-details work; TAIL.html, the page of a log that
 * goes on after its last event, that its axis ends at that event.
 * Prints TAP.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const { run } = require('./common');

const page_file = path.resolve(process.argv[2]);
const shot = path.resolve(process.argv[3]);
const tail_file = path.resolve(process.argv[4]);
const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check('loads with no console errors', async (p, errors) => {
	await p.waitForSelector('rect.bar');
	if (errors.length)
		throw new Error(errors.join('\n'));
});

check('bars are drawn', async (p) => {
	const n = await p.locator('#tl rect.bar').count();
	const boxes = await p.locator('#tl rect.bar.bound').first().boundingBox();
	if (n < 10 || !boxes || boxes.width <= 0)
		throw new Error(n + ' bars');
});

check('the first axis label is not clipped', async (p) => {
	const l = await p.locator('#tl text.axis').first().boundingBox();
	const v = await p.locator('#view').boundingBox();
	if (!l || l.x < v.x)
		throw new Error('label at ' + (l && l.x) + ', view at ' + v.x);
});

/* Right of the last bar or marker, and the axis end (svg units of #tl). */
function axisEnd() {
	const tl = document.getElementById('tl'), x0 = tl.getBoundingClientRect().x;
	let last = 0;
	for (const e of tl.querySelectorAll('rect.bar, line.marker'))
		last = Math.max(last, e.getBoundingClientRect().right - x0);
	return { last: last, end: +tl.getAttribute('width') - 140 };
}

check('the axis ends at the last thing drawn, not the log', async (p) => {
	const t = await p.context().newPage();
	try {
		await t.goto('file://' + tail_file);
		await t.waitForSelector('rect.bar');
		const r = await t.evaluate(axisEnd);
		if (r.end - r.last > 0.05 * r.end)
			throw new Error('last thing at ' + r.last + ' of ' + r.end);
	} finally {
		await t.close();
	}
});

check('zoom in doubles the timeline width', async (p) => {
	const w0 = +(await p.locator('#tl').getAttribute('width'));
	await p.click('#zin');
	const w1 = +(await p.locator('#tl').getAttribute('width'));
	if (Math.abs(w1 - 140 - 2 * (w0 - 140)) > 2)
		throw new Error('width ' + w0 + ' -> ' + w1);
	await p.click('#zin');
});

check('drag pans the timeline', async (p) => {
	const v = p.locator('#view');
	const b = await v.boundingBox();
	await v.evaluate((e) => { e.scrollLeft = 300; });
	await p.mouse.move(b.x + 400, b.y + 60);
	await p.mouse.down();
	await p.mouse.move(b.x + 250, b.y + 60, { steps: 5 });
	await p.mouse.up();
	const s = await v.evaluate((e) => e.scrollLeft);
	if (Math.abs(s - 450) > 3)
		throw new Error('scrollLeft ' + s);
	await p.click('#zreset');
});

check('search finds devices by name and driver', async (p) => {
	await p.fill('#search', 'usbhid');
	let hits = await p.textContent('#hits');
	if (hits !== '1 match')
		throw new Error('usbhid: ' + hits);
	await p.fill('#search', 'usb');
	hits = await p.textContent('#hits');
	const rows = await p.locator('#lab rect.hit').count();
	if (!/^\d+ matches$/.test(hits) || rows !== parseInt(hits))
		throw new Error('usb: ' + hits + ', ' + rows + ' rows');
	await p.fill('#search', '');
});

check('click on a bar shows its details', async (p) => {
	const i = await p.evaluate(() =>
		window.bootgraph.data.devices.findIndex((d) => d.name === '1-1'));
	await p.locator('#tl rect.bar[data-d="' + i + '"]:not(.wait)').click();
	const d = await p.textContent('#details');
	if (!d.startsWith('1-1  (bound)') || !d.includes('deps: usb1'))
		throw new Error(d);
	if (!(await p.locator('#tl rect.sel').count()))
		throw new Error('bar not selected');
});

check('group by driver', async (p) => {
	await p.selectOption('#group', 'driver');
	const t = await p.locator('#lab text.grp').allTextContents();
	if (!t.includes('usbhid'))
		throw new Error(t.join(','));
	await p.selectOption('#group', 'bus');
});

check('screenshot', async (p) => {
	fs.mkdirSync(path.dirname(shot), { recursive: true });
	/* The first run on a machine may still be building font caches. */
	await p.screenshot({ path: shot, fullPage: true, animations: 'disabled',
		timeout: 120000 });
});

run('html', checks, {
	setup: async (p, errors) => {
		p.on('request', (r) => {
			if (!r.url().startsWith('file:') && !r.url().startsWith('data:'))
				errors.push('network request: ' + r.url());
		});
		await p.goto('file://' + page_file);
	},
	each: (c, p, errors) => c.fn(p, errors),
	done: (errors) => {
		if (errors.length)
			console.log(errors.map((l) => '# console: ' + l).join('\n'));
	},
});
