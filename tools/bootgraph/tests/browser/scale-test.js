// SPDX-License-Identifier: GPL-2.0
/*
 * Headless Chromium test of bootgraph at scale: node scale-test.js OUTDIR
 * N4K N50K.  OUTDIR holds d4k.html, d50k.html, d4k.svg and d50k.svg,
 * the html pages and svg overviews of genlog.py boots of 4,000 and 50,000
 * devices.  Checks that the 50,000-device page is small, draws within a
 * time bound with a bounded DOM, opens on the overview, that a click
 * expands a group into its devices and its fast ones, and that scrolling
 * and zooming change the rows and bars drawn.  Screenshots of both boots,
 * page and svg, go to OUTDIR/bootgraph-*.png.  Prints TAP.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const { run } = require('./common');

const dir = path.resolve(process.argv[2]);
const MAX_PAGE = 12 << 20;	/* bytes of the 50,000-device page */
const MAX_LOAD_MS = 20000;	/* goto to the first bar, on a busy machine */
const MAX_DRAW_MS = 500;	/* one redraw after a scroll or a zoom */
const MAX_NODES = 6000;		/* elements in the timeline: not per device */
const checks = [];
const check = (name, fn) => checks.push({ name, fn });
const figures = [];

/* What is drawn: labels of the rows in the DOM, and the bars. */
function drawn() {
	const lab = [...document.querySelectorAll('#lab text')].map((t) => t.textContent);
	return {
		labels: lab,
		bars: document.querySelectorAll('#tl rect.bar').length,
		nodes: document.getElementById('tl').getElementsByTagName('*').length,
		rows: window.bootgraph.state.rows.length,
	};
}

check('the 50,000-device page is smaller than 12 MB', async () => {
	const n = fs.statSync(path.join(dir, 'd50k.html')).size;
	figures.push('d50k.html ' + n + ' bytes');
	if (n > MAX_PAGE)
		throw new Error(n + ' bytes');
});

check('50,000 devices: first bars within ' + MAX_LOAD_MS + ' ms, DOM bounded',
	async (p) => {
		const t0 = Date.now();
		await p.goto('file://' + path.join(dir, 'd50k.html'));
		await p.waitForSelector('#tl rect.bar', { timeout: MAX_LOAD_MS });
		const ms = Date.now() - t0;
		figures.push('d50k.html load to first bar ' + ms + ' ms');
		const d = await p.evaluate(drawn);
		if (ms > MAX_LOAD_MS || d.nodes > MAX_NODES)
			throw new Error(ms + ' ms, ' + d.nodes + ' nodes');
		if ((await p.evaluate(() => window.bootgraph.data.devices.length)) !== 50000)
			throw new Error('not 50000 devices');
	});

check('it opens on the overview: top devices and one row per group', async (p) => {
	const r = await p.evaluate(() => {
		const st = window.bootgraph.state, D = window.bootgraph.data;
		const top = st.rows.filter((x) => x.dev != null).map((x) => x.dev);
		const best = D.devices.map((d, i) => i).sort((a, b) =>
			D.devices[b].self_us - D.devices[a].self_us || a - b).slice(0, 20);
		const groups = st.rows.filter((x) => x.group).map((x) =>
			x.group.name + ':' + x.group.devs.length);
		const want = new Map();
		for (const d of D.devices)
			want.set(d.bus, (want.get(d.bus) || 0) + 1);
		return { overview: st.overview, top: top.join(), best: best.join(),
			groups: groups.sort().join(), want: [...want].map((x) =>
				x[0] + ':' + x[1]).sort().join(), text: document.
				getElementById('overview').checked };
	});
	if (!r.overview || !r.text || r.top !== r.best || r.groups !== r.want)
		throw new Error(JSON.stringify(r).slice(0, 400));
});

check('screenshot of the 50,000-device overview', async (p) => {
	await p.screenshot({ path: path.join(dir, 'bootgraph-50000.png'),
		timeout: 120000 });
});

check('a search hit in a folded group opens the group and shows the row',
	async (p) => {
		const name = await p.evaluate(() => window.bootgraph.data.devices
			.find((d) => d.bus === 'spi' && d.self_us < 1000 && d.self_us > 0 &&
				/^a?dev\d{5}$/.test(d.name)).name);	/* in no other name */
		await p.fill('#search', name);
		const r = await p.evaluate(drawn);
		const hits = await p.textContent('#hits');
		const lit = await p.locator('#lab rect.hit').count();
		await p.fill('#search', '');
		await p.evaluate(() => {	/* as it was: groups folded, at the top */
			window.bootgraph.state.open.clear();
			document.getElementById('scroll').scrollTop = 0;
			window.bootgraph.regroup();
		});
		if (hits !== '1 match' || !r.labels.includes(name) || lit !== 1)
			throw new Error(name + ': ' + hits + ', drawn ' +
				r.labels.includes(name) + ', ' + lit + ' rows lit');
	});

check('a click on a group expands it, then its fast devices', async (p) => {
	const g = 'usb';
	const want = await p.evaluate((g) => {
		const D = window.bootgraph.data, f = D.view.fast_us;
		const ds = D.devices.filter((d) => d.bus === g);
		return { slow: ds.filter((d) => d.self_us >= f).length,
			fast: ds.filter((d) => d.self_us < f).length,
			first: ds.find((d) => d.self_us >= f).name };
	}, g);
	const before = await p.evaluate(drawn);
	await p.click('#lab text.tog[data-g="' + g + '"]');
	const after = await p.evaluate(drawn);
	if (after.rows - before.rows !== want.slow + 1)
		throw new Error('rows ' + before.rows + ' -> ' + after.rows +
			', want +' + (want.slow + 1));
	if (!after.labels.includes(want.first))
		throw new Error(want.first + ' not drawn after expanding ' + g);
	const fold = await p.evaluate((g) => {
		const r = window.bootgraph.state.rows.find((x) => x.key === g + '\n');
		document.getElementById('scroll').scrollTop = r.y - 100;
		return r.fold.length;
	}, g);
	if (fold !== want.fast)
		throw new Error('fold row of ' + fold + ', want ' + want.fast);
	await p.waitForFunction(() => [...document.querySelectorAll('#lab text.tog')]
		.some((t) => t.dataset.g.endsWith('\n')));
	await p.evaluate((g) => {
		for (const t of document.querySelectorAll('#lab text.tog'))
			if (t.dataset.g === g + '\n')
				t.dispatchEvent(new MouseEvent('click', { bubbles: true }));
	}, g);
	const all = await p.evaluate(drawn);
	if (all.rows - after.rows !== want.fast)
		throw new Error('fast rows ' + (all.rows - after.rows) + ', want ' + want.fast);
	await p.screenshot({ path: path.join(dir, 'bootgraph-50000-expanded.png'),
		timeout: 120000 });
});

/* Redraw time of f: until the next frame after it. */
async function timed(p, f, arg) {
	return p.evaluate(async ([f, arg]) => {
		const t0 = performance.now();
		new Function('arg', f)(arg);
		window.bootgraph.render();
		await new Promise((r) => requestAnimationFrame(() => r()));
		return performance.now() - t0;
	}, [f, arg]);
}

check('full view of 50,000 rows: scrolling draws the rows scrolled to', async (p) => {
	await p.click('#overview');
	const d0 = await p.evaluate(drawn);
	if (d0.rows < 50000)
		throw new Error(d0.rows + ' rows');
	const ms = await timed(p, `const st = window.bootgraph.state;
		const r = st.rows.find((x) => x.dev === arg);
		document.getElementById('scroll').scrollTop = r.y;`, 31000);
	const d1 = await p.evaluate(drawn);
	const name = await p.evaluate(() => window.bootgraph.data.devices[31000].name);
	figures.push('scroll to row 31000: redraw ' + ms.toFixed(0) + ' ms, ' +
		d1.nodes + ' nodes');
	if (!d1.labels.includes(name) || d0.labels.includes(name))
		throw new Error(name + ' drawn: before ' + d0.labels.includes(name) +
			', after ' + d1.labels.includes(name));
	if (d1.labels.join() === d0.labels.join() || d1.nodes > MAX_NODES)
		throw new Error('same rows, or ' + d1.nodes + ' nodes');
	if (ms > MAX_DRAW_MS)
		throw new Error('redraw ' + ms + ' ms');
});

check('zooming in draws other bars, in bounded time', async (p) => {
	const key = () => [...document.querySelectorAll('#tl rect.bar')]
		.map((r) => r.getAttribute('x') + r.getAttribute('width')).join();
	const k0 = await p.evaluate(key);
	const w0 = +(await p.locator('#tl').getAttribute('width'));
	/* about the bar of the row scrolled to, which stays on screen */
	const ms = await timed(p, `const r = document.querySelector(
		'#tl rect.bar[data-d="31000"]:not(.wait)').getBoundingClientRect();
		window.bootgraph.zoom(16, r.left + r.width / 2);`);
	const k1 = await p.evaluate(key);
	const d = await p.evaluate(drawn);
	const w1 = +(await p.locator('#tl').getAttribute('width'));
	figures.push('zoom x16: redraw ' + ms.toFixed(0) + ' ms, ' + d.bars + ' bars');
	if (k0 === k1 || Math.abs(w1 - 140 - 16 * (w0 - 140)) > 16 || !d.bars)
		throw new Error('bars unchanged, or width ' + w0 + ' -> ' + w1 +
			', ' + d.bars + ' bars');
	if (!(await p.locator('#tl rect.bar[data-d="31000"]').count()))
		throw new Error('the bar zoomed about is not drawn');
	/* a probe is drawn beside its wait, however thin both are */
	const hidden = await p.evaluate(() => {
		const v = document.getElementById('view');
		const right = v.getBoundingClientRect().left + v.clientWidth;
		const bars = [...document.querySelectorAll('#tl rect.bar')];
		const probes = new Set(bars.filter((b) => !b.classList.contains('wait'))
			.map((b) => b.dataset.d));
		return bars.filter((b) => b.classList.contains('wait') &&
			b.getBoundingClientRect().right < right && !probes.has(b.dataset.d))
			.map((b) => b.dataset.d);
	});
	if (hidden.length)
		throw new Error('probes hidden by their wait: ' + hidden.slice(0, 5));
	if (ms > MAX_DRAW_MS || d.nodes > MAX_NODES)
		throw new Error(ms + ' ms, ' + d.nodes + ' nodes');
	await p.screenshot({ path: path.join(dir, 'bootgraph-50000-zoomed.png'),
		timeout: 120000 });
});

check('4,000 devices: overview page and screenshot', async (p) => {
	await p.goto('file://' + path.join(dir, 'd4k.html'));
	await p.waitForSelector('#tl rect.bar.span');
	const d = await p.evaluate(drawn);
	if (!d.labels.some((l) => /^slowest 20/.test(l)))
		throw new Error(d.labels.slice(0, 5).join());
	await p.screenshot({ path: path.join(dir, 'bootgraph-4000.png'),
		timeout: 120000 });
});

check('screenshots of the svg overviews of 4,000 and 50,000 devices', async (p) => {
	for (const n of ['4000', '50000']) {
		const f = path.join(dir, n === '4000' ? 'd4k.svg' : 'd50k.svg');
		await p.goto('file://' + f);
		const h = await p.evaluate(() =>
			+document.documentElement.getAttribute('height'));
		if (h > 1000)
			throw new Error(f + ' ' + h + ' px tall');
		await p.setViewportSize({ width: 1450, height: h });
		await p.screenshot({ path: path.join(dir, 'bootgraph-' + n + '-svg.png'),
			timeout: 120000 });
	}
});

run('scale', checks, {
	each: async (c, p, errors) => {
		await c.fn(p);
		if (errors.length)
			throw new Error(errors.splice(0).join('\n'));
	},
	done: () => console.log(figures.map((l) => '# ' + l).join('\n')),
});
