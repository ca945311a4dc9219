// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph html: draws the timeline from the embedded bootgraph-html-1
 * data (the compact form of the json document).  Zoom (buttons,
 * ctrl+wheel), pan (drag, scroll), search by device, driver or bus,
 * details of a bar on click.  No network access.
 *
 * Only the rows on screen, and a screen above and below, are in the DOM,
 * and in them only the bars within the visible time range; a scroll or a
 * zoom draws them again.  In rows of many bars (calls, fast devices
 * folded) bars narrower than a pixel that would fall on a pixel already
 * drawn are skipped.  So 50,000 devices cost what 100 do
 * once the page is parsed.  Past view.overview_at devices the page opens
 * on the overview: the slowest devices by self time, then one row per
 * group with its span, which a click expands into its devices; the fast
 * ones (self time under view.fast_us) stay folded on one row that a
 * click expands in turn.
 */
'use strict';
(function () {
	const RAW = JSON.parse(document.getElementById('bgdata').textContent);
	/* PADL: room left of time 0 for the first axis label. */
	const ROW = 16, BAR = 11, TOP = 34, MINTICK = 90, PADL = 24;
	const $ = (id) => document.getElementById(id);

	const esc = (s) => String(s).replace(/[&<>"']/g,
		(c) => '&#' + c.charCodeAt(0) + ';');
	const fmtT = (us) => us == null ? '?' : (us / 1e6).toFixed(6) + 's';
	function fmtD(us) {
		if (us == null)
			return '?';
		if (Math.abs(us) >= 1e6)
			return (us / 1e6).toFixed(3) + 's';
		if (Math.abs(us) >= 1e3)
			return (us / 1e3).toFixed(3) + 'ms';
		return us + 'us';
	}

	/* bootgraph-html-1 arrays back into bootgraph-1 objects. */
	function expand(r) {
		const str = (i) => i == null ? null : r.strings[i];
		const dur = (a, b) => a != null && b != null ? b - a : null;
		const devices = r.devices.map((v) => {
			const atts = v[9].map((a) => ({
				park_us: a[0], queue_us: a[1], start_us: a[2], end_us: a[3],
				ret: a[4], pid: a[5], cookie: a[6], critical: !!a[7],
				dur_us: dur(a[2], a[3]),
			}));
			return {
				name: v[0], bus: str(v[1]), driver: str(v[2]), state: str(v[3]),
				self_us: v[4], critical: !!v[5], deps: v[6], defer_reason: v[7],
				defer_us: v[8], attempts: atts,
				total_us: atts.reduce((s, a) => s + (a.dur_us || 0), 0),
			};
		});
		const calls = (list) => list.map((c) => ({
			func: c[0], queue_us: c[1], start_us: c[2], end_us: c[3],
			ret: c[4], pid: c[5], cookie: c[6], dur_us: dur(c[2], c[3]),
		}));
		return {
			schema: r.schema, view: r.view, input: r.input, summary: r.summary,
			markers: r.markers, devices: devices, initcalls: calls(r.initcalls),
			async: calls(r.async), critical_chain: r.critical_chain,
		};
	}

	const D = expand(RAW), S = D.summary, V = D.view;
	/* Running bars go to the end of the log, the axis to the last thing
	 * drawn and 2% more: the log may go on for seconds with nothing. */
	const logEnd = Math.max(S.log_end_us || 0, S.probe_end_us || 0);
	const lastUs = Math.max((S.view_end_us != null ? S.view_end_us : logEnd) *
		1.02, 1000);
	const st = {
		zoom: 1, group: 'bus', query: '', sel: null, rows: [],
		overview: V.overview_at >= 0 && D.devices.length > V.overview_at,
		open: new Set(), queued: false, drawn: 0,
	};

	function first(a) {
		for (const k of ['park_us', 'queue_us', 'start_us', 'end_us'])
			if (a[k] != null)
				return a[k];
		return null;
	}

	const attEnd = (a) => a.end_us != null ? a.end_us : Math.max(logEnd, first(a));

	function cls(a) {
		if (a.end_us == null)
			return a.start_us == null ? 'pending' : 'running';
		return a.ret === 0 ? 'bound' : Math.abs(a.ret) === 517 ? 'deferred' : 'failed';
	}

	/* Once: where each device is drawn from and to, and its search text. */
	const byName = new Map();
	D.devices.forEach((d, i) => {
		byName.set(d.name, i);
		d.hay = [d.name, d.driver, d.bus].filter((s) => s).join('\n').toLowerCase();
		d.from = d.defer_us;
		d.to = d.defer_us;
		for (const a of d.attempts) {
			const f = first(a), e = attEnd(a);
			if (d.from == null || f < d.from)
				d.from = f;
			if (d.to == null || e > d.to)
				d.to = e;
		}
	});

	function groupOf(d) {
		return st.group === 'bus' ? (d.bus || '(unknown bus)') :
			st.group === 'driver' ? (d.driver || '(unknown driver)') :
			'devices';
	}

	/* Rows: initcall and async bands by pid, then devices by group. */
	function callRows(list, name, kind) {
		if (!list.length)
			return [];
		const rows = [{ head: name }], by = new Map();
		list.forEach((c, i) => {
			const k = c.pid == null ? '?' : c.pid;
			if (!by.has(k)) {
				by.set(k, { label: 'pid ' + k, calls: [], kind: kind });
				rows.push(by.get(k));
			}
			by.get(k).calls.push(i);
		});
		return rows;
	}

	function groups() {
		const m = new Map();
		D.devices.forEach((d, i) => {
			const g = groupOf(d);
			if (!m.has(g))
				m.set(g, { name: g, devs: [], self: 0, nfast: 0,
					from: null, to: null });
			const o = m.get(g);
			o.devs.push(i);
			o.self += d.self_us || 0;
			o.nfast += (d.self_us || 0) < V.fast_us;
			if (d.from != null && (o.from == null || d.from < o.from))
				o.from = d.from;
			if (d.to != null && (o.to == null || d.to > o.to))
				o.to = d.to;
		});
		return m;
	}

	/* The overview: slowest devices, then a row per group, expandable. */
	function overviewRows(rows) {
		const top = D.devices.map((d, i) => i)
			.filter((i) => (D.devices[i].self_us || 0) >= V.fast_us)
			.sort((a, b) => D.devices[b].self_us - D.devices[a].self_us || a - b)
			.slice(0, V.top);
		rows.push({ head: 'slowest ' + top.length + ' by self time' });
		for (const i of top)
			rows.push({ label: D.devices[i].name, dev: i });
		rows.push({ head: 'groups by ' + st.group + ' (click to expand)' });
		const gs = [...groups().values()].sort((a, b) => b.self - a.self);
		for (const g of gs) {
			rows.push({ label: (st.open.has(g.name) ? '- ' : '+ ') + g.name +
				' (' + g.devs.length + ')', group: g, key: g.name });
			if (!st.open.has(g.name))
				continue;
			const fast = [];
			for (const i of g.devs) {
				if ((D.devices[i].self_us || 0) < V.fast_us)
					fast.push(i);
				else
					rows.push({ label: D.devices[i].name, dev: i });
			}
			if (!fast.length)
				continue;
			const k = g.name + '\n';
			rows.push({ label: (st.open.has(k) ? '- ' : '+ ') + fast.length +
				' fast, self < ' + fmtD(V.fast_us), fold: fast, key: k });
			if (st.open.has(k))
				for (const i of fast)
					rows.push({ label: D.devices[i].name, dev: i });
		}
	}

	function layout() {
		const rows = callRows(D.initcalls, 'initcalls', 'initcall')
			.concat(callRows(D.async, 'async', 'async'));
		if (st.overview) {
			overviewRows(rows);
		} else {
			for (const g of groups().values()) {
				rows.push({ head: g.name });
				for (const i of g.devs)
					rows.push({ label: D.devices[i].name, dev: i });
			}
		}
		st.ys = new Map();
		rows.forEach((r, i) => {
			r.y = TOP + i * ROW;
			if (r.dev != null)
				st.ys.set(r.dev, r.y + ROW / 2);
		});
		st.rows = rows;
	}

	function toggle(key) {
		if (st.open.has(key))
			st.open.delete(key);
		else
			st.open.add(key);
		layout();
		labelWidth();
		render();
	}

	const matches = (d) => st.query && d.hay.includes(st.query);

	function scale() {
		return ($('view').clientWidth - 20 - PADL) * st.zoom / lastUs;
	}

	/* The part drawn now: rows and time (px inside the translate). */
	function win() {
		const sc = $('scroll'), v = $('view');
		return {
			y0: sc.scrollTop - sc.clientHeight,
			y1: sc.scrollTop + 2 * sc.clientHeight,
			x0: v.scrollLeft - v.clientWidth - PADL,
			x1: v.scrollLeft + 2 * v.clientWidth - PADL,
			px: -1,
		};
	}

	/*
	 * A bar, unless it is off screen or, in a row of many (w.dense: calls,
	 * fast devices folded), a sliver on a pixel drawn.  A device's own
	 * row draws all its bars: its probe is not hidden by its wait.
	 */
	function rect(w, x0, x1, y, c, data, title) {
		if (x1 < w.x0 || x0 > w.x1)
			return '';
		if (w.dense && x1 - x0 < 1 && Math.floor(x0) <= w.px)
			return '';
		w.px = Math.floor(Math.max(x1, x0 + 1));
		return '<rect class="bar ' + c + '" x="' + x0.toFixed(1) +
			'" y="' + (y + (ROW - BAR) / 2) + '" width="' +
			Math.max(x1 - x0, 1).toFixed(1) + '" height="' + BAR + '" ' +
			data + '><title>' + esc(title) + '</title></rect>';
	}

	function axis(w, k, h) {
		let step = 1;
		outer:
		for (let b = 1; b < 1e12; b *= 10)
			for (const m of [1, 2, 5])
				if (b * m * k >= MINTICK) {
					step = b * m;
					break outer;
				}
		let s = '';
		const t0 = Math.max(0, Math.floor(w.x0 / k / step) * step);
		for (let t = t0; t <= lastUs && t * k <= w.x1; t += step) {
			const x = t * k;
			const l = step >= 1e6 ? t / 1e6 + 's' :
				step >= 1e3 ? t / 1e3 + 'ms' : t + 'us';
			s += '<line class="tick" x1="' + x + '" x2="' + x + '" y1="' +
				(TOP - 6) + '" y2="' + h + '"/><text class="axis" x="' + x +
				'" y="' + (TOP - 10) + '" text-anchor="middle">' + l + '</text>';
		}
		return s;
	}

	function devBars(w, i, y, k, hit, fold) {
		const d = D.devices[i];
		let s = '';
		d.attempts.forEach((a, j) => {
			const f = first(a), end = attEnd(a);
			const data = 'data-d="' + i + '" data-a="' + j + '"';
			const dim = st.query && !hit ? ' dim' : '';
			if (!fold && a.start_us != null && f < a.start_us)
				s += rect(w, f * k, a.start_us * k, y, 'wait' + dim, data,
					d.name + ' waiting ' + fmtD(a.start_us - f));
			const b = a.start_us != null ? a.start_us : f;
			s += rect(w, b * k, end * k, y, cls(a) + (a.critical ? ' crit' : '') +
				dim + (st.sel === i + '/' + j ? ' sel' : ''), data,
				d.name + ' (' + (d.driver || '?') + ') @' + fmtT(b) +
				' +' + fmtD(end - b));
		});
		if (!d.attempts.length && d.defer_us != null)
			s += rect(w, d.defer_us * k, d.defer_us * k + 3, y, 'deferred',
				'data-d="' + i + '" data-a="-1"', d.name + ' deferred');
		return s;
	}

	function callBars(w, r, k) {
		const list = r.kind === 'initcall' ? D.initcalls : D.async;
		let s = '';
		for (const i of r.calls) {
			const c = list[i];
			if (c.start_us == null)
				continue;
			const end = c.end_us != null ? c.end_us :
				Math.max(logEnd, c.start_us);
			s += rect(w, c.start_us * k, end * k, r.y, c.end_us == null ?
				'running' : c.ret ? 'failed' : r.kind, 'data-k="' + r.kind +
				'" data-c="' + i + '"', c.func + ' +' + fmtD(end - c.start_us));
		}
		return s;
	}

	function groupBar(w, r, k) {
		const g = r.group;
		if (g.from == null)
			return '';
		return rect(w, g.from * k, g.to * k, r.y, 'span', 'data-g="' +
			esc(r.key) + '"', g.name + ': ' + g.devs.length + ' devices, ' +
			g.nfast + ' fast (self < ' + fmtD(V.fast_us) + ') folded, @' +
			fmtT(g.from) + ' .. ' + fmtT(g.to) + ', self ' + fmtD(g.self));
	}

	/* Arrows into the devices on screen from suppliers that have a row. */
	function deps(w, k, drawn) {
		let s = '';
		for (const i of drawn) {
			const d = D.devices[i], a = d.attempts[d.attempts.length - 1];
			if (!a || a.start_us == null)
				continue;
			for (const n of d.deps) {
				const j = byName.get(n), sd = D.devices[j];
				const sa = sd && sd.attempts[sd.attempts.length - 1];
				if (!sa || sa.end_us == null || !st.ys.has(j))
					continue;
				const x1 = sa.end_us * k, x2 = a.start_us * k;
				if (Math.max(x1, x2) < w.x0 || Math.min(x1, x2) > w.x1)
					continue;
				const y1 = st.ys.get(j), y2 = st.ys.get(i);
				s += '<path class="dep' + (sa.critical && a.critical ? ' crit' : '') +
					'" d="M' + x1 + ',' + y1 + 'C' +
					(x1 + 24) + ',' + y1 + ' ' + (x2 - 24) + ',' + y2 + ' ' +
					x2 + ',' + y2 + '"/>';
			}
		}
		return s;
	}

	function markers(k, h) {
		let s = '';
		D.markers.forEach((m, i) => {
			const x = m.ts_us * k;
			s += '<line class="marker" x1="' + x + '" x2="' + x + '" y1="' +
				(TOP - 4) + '" y2="' + h + '"><title>' + esc(m.label || m.name) +
				'</title></line><text class="mlabel" x="' + (x + 3) + '" y="' +
				(TOP + 8 + 12 * i) + '">' + esc(m.name) + '</text>';
		});
		return s;
	}

	function rowBars(w, r, k, hit) {
		w.px = -1;
		w.dense = r.dev == null;
		if (r.dev != null)
			return devBars(w, r.dev, r.y, k, hit, false);
		if (r.group)
			return groupBar(w, r, k);
		if (r.fold) {
			let s = '';
			for (const i of r.fold)
				s += devBars(w, i, r.y, k, false, true);
			return s;
		}
		return callBars(w, r, k);
	}

	function render() {
		const k = scale(), h = TOP + st.rows.length * ROW + 10;
		const wd = Math.ceil(lastUs * k) + 140, w = win();
		const i0 = Math.max(0, Math.floor((w.y0 - TOP) / ROW));
		const i1 = Math.min(st.rows.length, Math.ceil((w.y1 - TOP) / ROW));
		const drawn = [];
		let bands = '', bars = '', labels = '';
		for (let n = i0; n < i1; n++) {
			const r = st.rows[n];
			if (r.head !== undefined) {
				bands += '<rect class="band" x="0" y="' + r.y + '" width="' + wd +
					'" height="' + ROW + '"/>';
				labels += '<rect class="band" x="0" y="' + r.y +
					'" width="100%" height="' + ROW + '"/><text class="grp" x="6" y="' +
					(r.y + ROW - 4) + '">' + esc(r.head) + '</text>';
				continue;
			}
			const hit = r.dev != null && matches(D.devices[r.dev]);
			if (r.dev != null)
				drawn.push(r.dev);
			if (hit)
				bands += '<rect class="hit" x="0" y="' + r.y + '" width="' +
					wd + '" height="' + ROW + '"/>';
			bars += rowBars(w, r, k, hit);
			const key = r.key !== undefined ? ' class="tog" data-g="' +
				esc(r.key) + '"' : '';
			labels += (hit ? '<rect class="hit" x="0" y="' + r.y +
				'" width="100%" height="' + ROW + '"/>' : '') +
				'<text x="' + (r.key !== undefined ? 6 : 16) + '" y="' +
				(r.y + ROW - 4) + '"' + key + '>' + esc(r.label) + '</text>';
		}
		st.drawn = i1 - i0;
		const tl = $('tl');
		tl.setAttribute('width', wd);
		tl.setAttribute('height', h);
		tl.innerHTML = '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" ' +
			'refY="5" markerWidth="6" markerHeight="6" orient="auto"><path ' +
			'd="M0,0L10,5L0,10z" fill="#8a8a8a"/></marker></defs>' + bands +
			'<g transform="translate(' + PADL + ',0)">' + axis(w, k, h) + bars +
			deps(w, k, drawn) + markers(k, h) + '</g>';
		const lab = $('lab');
		lab.setAttribute('height', h);
		lab.innerHTML = labels;
		$('hits').textContent = st.query ? st.hits + ' match' +
			(st.hits === 1 ? '' : 'es') : '';
		$('zoomlevel').textContent = st.zoom.toFixed(st.zoom < 10 ? 2 : 0) + 'x';
	}

	/* Scrolling draws again, once a frame. */
	function later() {
		if (st.queued)
			return;
		st.queued = true;
		requestAnimationFrame(() => {
			st.queued = false;
			render();
		});
	}

	function labelWidth() {
		let n = 12;
		for (const r of st.rows)
			n = Math.max(n, Math.min(48, String(r.label || r.head).length + 2));
		$('lab').setAttribute('width', 16 + 7 * n);
	}

	/* Zoom by f, keeping the time under client x (or the centre) still. */
	function zoom(f, cx) {
		const v = $('view'), r = v.getBoundingClientRect();
		const px = cx === undefined ? v.clientWidth / 2 : cx - r.left;
		const t = (v.scrollLeft + px - PADL) / scale();
		st.zoom = Math.min(Math.max(st.zoom * f, 1), 1e5);
		$('tl').setAttribute('width', Math.ceil(lastUs * scale()) + 140);
		v.scrollLeft = t * scale() + PADL - px;
		render();
	}

	function attemptText(a, j) {
		return '  #' + j + ' ' + cls(a) + '  start ' + fmtT(a.start_us) +
			'  end ' + fmtT(a.end_us) + '  took ' + fmtD(a.dur_us) +
			(a.queue_us != null ? '  queued ' + fmtT(a.queue_us) : '') +
			(a.park_us != null ? '  parked ' + fmtT(a.park_us) : '') +
			'  ret ' + (a.ret == null ? '-' : a.ret) +
			'  pid ' + (a.pid == null ? '-' : a.pid) +
			'  cookie ' + (a.cookie == null ? '-' : a.cookie) +
			(a.critical ? '  [critical chain]' : '') + '\n';
	}

	function showDevice(i, j) {
		const d = D.devices[i];
		let s = d.name + '  (' + d.state + ')\ndriver ' + (d.driver || '?') +
			'   bus ' + (d.bus || '?') + '   total ' + fmtD(d.total_us) +
			'   self ' + fmtD(d.self_us) +
			'\ndeps: ' + (d.deps.length ? d.deps.join(', ') : '-') + '\n';
		if (d.defer_reason)
			s += 'deferred: ' + d.defer_reason + '\n';
		s += 'attempts:\n';
		d.attempts.forEach((a, k) => { s += attemptText(a, k); });
		st.sel = i + '/' + j;
		$('details').textContent = s;
		render();
	}

	function showCall(kind, i) {
		const c = (kind === 'initcall' ? D.initcalls : D.async)[i];
		$('details').textContent = c.func + '  (' + kind + ')\nstart ' +
			fmtT(c.start_us) + '  end ' + fmtT(c.end_us) + '  took ' +
			fmtD(c.dur_us) + '  ret ' + c.ret + '  pid ' +
			(c.pid == null ? '-' : c.pid) + '\n';
	}

	function onClick(e) {
		const t = e.target.closest('rect.bar');
		if (!t || st.dragged)
			return;
		if (t.dataset.g !== undefined)
			toggle(t.dataset.g);
		else if (t.dataset.d !== undefined)
			showDevice(+t.dataset.d, +t.dataset.a);
		else
			showCall(t.dataset.k, +t.dataset.c);
	}

	/* A match in a folded group: open it, so that the row can be shown. */
	function reveal(i) {
		const d = D.devices[i], g = groupOf(d);
		if (!st.overview || st.rows.some((r) => r.dev === i))
			return;
		st.open.add(g);
		if ((d.self_us || 0) < V.fast_us)
			st.open.add(g + '\n');
		layout();
		labelWidth();
	}

	function onSearch() {
		st.query = $('search').value.trim().toLowerCase();
		st.hits = 0;
		let firstHit = -1;
		if (st.query)
			D.devices.forEach((d, i) => {
				if (matches(d)) {
					st.hits++;
					if (firstHit < 0)
						firstHit = i;
				}
			});
		if (firstHit >= 0)
			reveal(firstHit);
		/* first at the new height, so that the scroll can go that far */
		render();
		const r = st.rows.find((x) => x.dev === firstHit);
		if (r) {
			$('scroll').scrollTop = r.y - TOP;
			render();
		}
	}

	function drag() {
		const v = $('view');
		let x0 = null, s0 = 0;
		v.addEventListener('mousedown', (e) => {
			x0 = e.clientX;
			s0 = v.scrollLeft;
			st.dragged = false;
		});
		window.addEventListener('mousemove', (e) => {
			if (x0 === null)
				return;
			if (Math.abs(e.clientX - x0) > 3) {
				st.dragged = true;
				v.classList.add('drag');
			}
			v.scrollLeft = s0 - (e.clientX - x0);
		});
		window.addEventListener('mouseup', () => {
			x0 = null;
			v.classList.remove('drag');
			setTimeout(() => { st.dragged = false; }, 0);
		});
		v.addEventListener('wheel', (e) => {
			if (!e.ctrlKey)
				return;
			e.preventDefault();
			zoom(e.deltaY < 0 ? 1.25 : 0.8, e.clientX);
		}, { passive: false });
	}

	function regroup() {
		layout();
		labelWidth();
		render();
	}

	function init() {
		$('sum').textContent = D.devices.length + ' devices, probing ' +
			fmtT(S.probe_start_us) + ' .. ' + fmtT(S.probe_end_us) +
			', serial ' + fmtD(S.serial_us) + ', critical path ' +
			fmtD(S.critical_path_us) + (S.parallelism != null ?
				', parallelism ' + S.parallelism + 'x' : '');
		$('zin').onclick = () => zoom(2);
		$('zout').onclick = () => zoom(0.5);
		$('zreset').onclick = () => { st.zoom = 1; render(); };
		$('search').addEventListener('input', onSearch);
		$('group').onchange = (e) => {
			st.group = e.target.value;
			st.open.clear();
			regroup();
		};
		$('overview').checked = st.overview;
		$('overview').onchange = (e) => {
			st.overview = e.target.checked;
			regroup();
		};
		$('tl').addEventListener('click', onClick);
		$('lab').addEventListener('click', (e) => {
			const t = e.target.closest('[data-g]');
			if (t)
				toggle(t.dataset.g);
		});
		$('scroll').addEventListener('scroll', later);
		$('view').addEventListener('scroll', later);
		drag();
		window.addEventListener('resize', render);
		regroup();
		window.bootgraph = { state: st, zoom: zoom, render: render, data: D,
			toggle: toggle, regroup: regroup };
	}

	init();
}());
