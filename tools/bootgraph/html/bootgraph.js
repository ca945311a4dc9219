// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph html: draws the timeline from the embedded bootgraph-1 JSON
 * document.  Zoom (buttons, ctrl+wheel), pan (drag, scroll), search by
 * device, driver or bus, details of a bar on click.  No network access.
 */
'use strict';
(function () {
	const D = JSON.parse(document.getElementById('bgdata').textContent);
	/* PADL: room left of time 0 for the first axis label. */
	const ROW = 16, BAR = 11, TOP = 34, MINTICK = 90, PADL = 24;
	const $ = (id) => document.getElementById(id);
	const st = { zoom: 1, group: 'bus', query: '', sel: null, rows: [] };

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

	const S = D.summary;
	/* Running bars go to the end of the log, the axis to the last thing
	 * drawn and 2% more: the log may go on for seconds with nothing. */
	const logEnd = Math.max(S.log_end_us || 0, S.probe_end_us || 0);
	const lastUs = Math.max((S.view_end_us != null ? S.view_end_us : logEnd) *
		1.02, 1000);

	function first(a) {
		for (const k of ['park_us', 'queue_us', 'start_us', 'end_us'])
			if (a[k] != null)
				return a[k];
		return null;
	}

	function cls(a) {
		if (a.end_us == null)
			return a.start_us == null ? 'pending' : 'running';
		return a.ret === 0 ? 'bound' : Math.abs(a.ret) === 517 ? 'deferred' : 'failed';
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

	function layout() {
		const rows = callRows(D.initcalls, 'initcalls', 'initcall')
			.concat(callRows(D.async, 'async', 'async'));
		const groups = new Map();
		D.devices.forEach((d, i) => {
			const g = st.group === 'bus' ? (d.bus || '(unknown bus)') :
				st.group === 'driver' ? (d.driver || '(unknown driver)') :
				'devices';
			if (!groups.has(g))
				groups.set(g, []);
			groups.get(g).push(i);
		});
		for (const [g, devs] of groups) {
			rows.push({ head: g });
			for (const i of devs)
				rows.push({ label: D.devices[i].name, dev: i });
		}
		rows.forEach((r, i) => { r.y = TOP + i * ROW; });
		st.rows = rows;
	}

	function matches(d) {
		const q = st.query;
		return q && [d.name, d.driver, d.bus].some(
			(s) => s && s.toLowerCase().includes(q));
	}

	function scale() {
		return ($('view').clientWidth - 20 - PADL) * st.zoom / lastUs;
	}

	function rect(x0, x1, y, c, data, title) {
		const w = Math.max(x1 - x0, 1);
		return '<rect class="bar ' + c + '" x="' + x0.toFixed(1) +
			'" y="' + (y + (ROW - BAR) / 2) + '" width="' + w.toFixed(1) +
			'" height="' + BAR + '" ' + data + '><title>' + esc(title) +
			'</title></rect>';
	}

	function axis(k, h) {
		let step = 1;
		outer:
		for (let b = 1; b < 1e12; b *= 10)
			for (const m of [1, 2, 5])
				if (b * m * k >= MINTICK) {
					step = b * m;
					break outer;
				}
		let s = '';
		for (let t = 0; t <= lastUs; t += step) {
			const x = t * k;
			const l = step >= 1e6 ? t / 1e6 + 's' :
				step >= 1e3 ? t / 1e3 + 'ms' : t + 'us';
			s += '<line class="tick" x1="' + x + '" x2="' + x + '" y1="' +
				(TOP - 6) + '" y2="' + h + '"/><text class="axis" x="' + x +
				'" y="' + (TOP - 10) + '" text-anchor="middle">' + l + '</text>';
		}
		return s;
	}

	function devBars(r, k, hit) {
		const d = D.devices[r.dev];
		let s = '';
		d.attempts.forEach((a, j) => {
			const f = first(a), end = a.end_us != null ? a.end_us :
				Math.max(logEnd, f);
			const data = 'data-d="' + r.dev + '" data-a="' + j + '"';
			const dim = st.query && !hit ? ' dim' : '';
			if (a.start_us != null && f < a.start_us)
				s += rect(f * k, a.start_us * k, r.y, 'wait' + dim, data,
					d.name + ' waiting ' + fmtD(a.start_us - f));
			const b = a.start_us != null ? a.start_us : f;
			s += rect(b * k, end * k, r.y, cls(a) + (a.critical ? ' crit' : '') +
				dim + (st.sel === r.dev + '/' + j ? ' sel' : ''), data,
				d.name + ' (' + (d.driver || '?') + ') @' + fmtT(b) +
				' +' + fmtD(end - b));
		});
		if (!d.attempts.length && d.defer_us != null)
			s += rect(d.defer_us * k, d.defer_us * k + 3, r.y, 'deferred',
				'data-d="' + r.dev + '" data-a="-1"', d.name + ' deferred');
		return s;
	}

	function callBars(r, k) {
		const list = r.kind === 'initcall' ? D.initcalls : D.async;
		let s = '';
		for (const i of r.calls) {
			const c = list[i];
			if (c.start_us == null)
				continue;
			const end = c.end_us != null ? c.end_us :
				Math.max(logEnd, c.start_us);
			s += rect(c.start_us * k, end * k, r.y, c.end_us == null ? 'running' :
				c.ret ? 'failed' : r.kind, 'data-k="' + r.kind + '" data-c="' +
				i + '"', c.func + ' +' + fmtD(end - c.start_us));
		}
		return s;
	}

	function deps(k) {
		const byName = new Map(), ys = new Map();
		D.devices.forEach((d, i) => byName.set(d.name, i));
		st.rows.forEach((r) => { if (r.dev != null) ys.set(r.dev, r.y + ROW / 2); });
		let s = '';
		D.devices.forEach((d, i) => {
			const a = d.attempts[d.attempts.length - 1];
			if (!a || a.start_us == null)
				return;
			for (const n of d.deps) {
				const j = byName.get(n), sd = D.devices[j];
				const sa = sd && sd.attempts[sd.attempts.length - 1];
				if (!sa || sa.end_us == null)
					continue;
				const x1 = sa.end_us * k, x2 = a.start_us * k;
				const y1 = ys.get(j), y2 = ys.get(i);
				s += '<path class="dep' + (sa.critical && a.critical ? ' crit' : '') +
					'" d="M' + x1 + ',' + y1 + 'C' +
					(x1 + 24) + ',' + y1 + ' ' + (x2 - 24) + ',' + y2 + ' ' +
					x2 + ',' + y2 + '"/>';
			}
		});
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

	function render() {
		const k = scale(), h = TOP + st.rows.length * ROW + 10;
		const w = Math.ceil(lastUs * k) + 140;
		let bands = '', bars = '', labels = '', hits = 0;
		for (const r of st.rows) {
			if (r.head !== undefined) {
				bands += '<rect class="band" x="0" y="' + r.y + '" width="' + w +
					'" height="' + ROW + '"/>';
				labels += '<rect class="band" x="0" y="' + r.y +
					'" width="100%" height="' + ROW + '"/><text class="grp" x="6" y="' +
					(r.y + ROW - 4) + '">' + esc(r.head) + '</text>';
				continue;
			}
			let hit = false;
			if (r.dev != null) {
				hit = matches(D.devices[r.dev]);
				hits += hit;
				if (hit)
					bands += '<rect class="hit" x="0" y="' + r.y + '" width="' +
						w + '" height="' + ROW + '"/>';
				bars += devBars(r, k, hit);
			} else {
				bars += callBars(r, k);
			}
			labels += (hit ? '<rect class="hit" x="0" y="' + r.y +
				'" width="100%" height="' + ROW + '"/>' : '') +
				'<text x="16" y="' + (r.y + ROW - 4) + '">' + esc(r.label) + '</text>';
		}
		const tl = $('tl');
		tl.setAttribute('width', w);
		tl.setAttribute('height', h);
		tl.innerHTML = '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" ' +
			'refY="5" markerWidth="6" markerHeight="6" orient="auto"><path ' +
			'd="M0,0L10,5L0,10z" fill="#8a8a8a"/></marker></defs>' + bands +
			'<g transform="translate(' + PADL + ',0)">' + axis(k, h) + bars +
			deps(k) + markers(k, h) + '</g>';
		const lab = $('lab');
		lab.setAttribute('height', h);
		lab.innerHTML = labels;
		$('hits').textContent = st.query ? hits + ' match' + (hits === 1 ? '' : 'es') : '';
		$('zoomlevel').textContent = st.zoom.toFixed(st.zoom < 10 ? 2 : 0) + 'x';
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
		render();
		v.scrollLeft = t * scale() + PADL - px;
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
		if (t.dataset.d !== undefined)
			showDevice(+t.dataset.d, +t.dataset.a);
		else
			showCall(t.dataset.k, +t.dataset.c);
	}

	function onSearch() {
		st.query = $('search').value.trim().toLowerCase();
		render();
		const r = st.rows.find((x) => x.dev != null && matches(D.devices[x.dev]));
		if (r)
			$('scroll').scrollTop = r.y - TOP;
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
			layout();
			labelWidth();
			render();
		};
		$('tl').addEventListener('click', onClick);
		drag();
		window.addEventListener('resize', render);
		layout();
		labelWidth();
		render();
		window.bootgraph = { state: st, zoom: zoom, render: render, data: D };
	}

	init();
}());
