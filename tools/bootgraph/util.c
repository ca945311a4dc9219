// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph utilities: allocation, string map, diagnostics, output.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

int bg_quiet;
const char *bg_prog = "bootgraph";

static void oom(void)
{
	fprintf(stderr, "%s: out of memory\n", bg_prog);
	exit(1);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	n *= size;
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

/* ------------------------------------------------------------------ */

#define ARENA_CHUNK	(64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	max_align_t data[];
};

void *arena_alloc(struct arena *a, size_t size)
{
	size_t al = alignof(max_align_t);
	struct arena_chunk *c;
	size_t csize;
	void *p;

	size = (size + al - 1) & ~(al - 1);
	if (size > a->left) {
		csize = size > ARENA_CHUNK ? size : ARENA_CHUNK;
		c = xmalloc(sizeof(*c) + csize);
		c->next = a->chunks;
		a->chunks = c;
		a->cur = (char *)c->data;
		a->left = csize;
	}
	p = a->cur;
	a->cur += size;
	a->left -= size;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c, *n;

	for (c = a->chunks; c; c = n) {
		n = c->next;
		free(c);
	}
	memset(a, 0, sizeof(*a));
}

/* ------------------------------------------------------------------ */

static uint32_t str_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static struct strmap_slot *strmap_slot(const struct strmap *m, const char *key,
				       size_t len, uint32_t h)
{
	size_t mask = m->cap - 1, i = h & mask;
	struct strmap_slot *s;

	for (;; i = (i + 1) & mask) {
		s = &m->slots[i];
		if (!s->key)
			return s;
		if (s->hash == h && s->len == len && !memcmp(s->key, key, len))
			return s;
	}
}

static void strmap_grow(struct strmap *m)
{
	struct strmap old = *m;
	struct strmap_slot *s;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < old.cap; i++) {
		if (!old.slots[i].key)
			continue;
		s = strmap_slot(m, old.slots[i].key, old.slots[i].len,
				old.slots[i].hash);
		*s = old.slots[i];
	}
	free(old.slots);
}

void **strmap_find(const struct strmap *m, const char *key, size_t len)
{
	struct strmap_slot *s;

	if (!m->cap)
		return NULL;
	s = strmap_slot(m, key, len, str_hash(key, len));
	return s->key ? &s->val : NULL;
}

void **strmap_get(struct strmap *m, const char *key, size_t len,
		  struct arena *a, const char **keyp)
{
	uint32_t h = str_hash(key, len);
	struct strmap_slot *s;

	if ((m->n + 1) * 4 > m->cap * 3)
		strmap_grow(m);
	s = strmap_slot(m, key, len, h);
	if (!s->key) {
		s->key = arena_strndup(a, key, len);
		s->hash = h;
		s->len = len;
		s->val = NULL;
		m->n++;
	}
	if (keyp)
		*keyp = s->key;
	return &s->val;
}

void strmap_free(struct strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* ------------------------------------------------------------------ */

#define WARN_BURST	5

static const char *const warn_kind_name[W_NR] = {
	[W_BINARY] = "binary data",
	[W_LONG] = "overlong line",
	[W_BACKWARDS] = "time going backwards",
	[W_MALFORMED] = "malformed event",
	[W_UNMATCHED] = "unmatched event",
	[W_CLOCK] = "trace clock",
};

void bg_warn(struct bg_loc *loc, enum bg_warn_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (loc->count[kind]++ >= WARN_BURST || bg_quiet)
		return;
	fprintf(stderr, "%s:%lu: ", loc->file, loc->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void bg_warn_flush(struct bg_loc *loc)
{
	int k;

	for (k = 0; k < W_NR; k++) {
		if (loc->count[k] <= WARN_BURST || bg_quiet)
			continue;
		fprintf(stderr, "%s: %u more %s warnings suppressed\n",
			loc->file, loc->count[k] - WARN_BURST,
			warn_kind_name[k]);
	}
}

void bg_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", bg_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
	int n, i;

	if (*s < 0x80)
		return 1;
	if (*s >= 0xc2 && *s <= 0xdf)
		n = 2;
	else if (*s >= 0xe0 && *s <= 0xef)
		n = 3;
	else if (*s >= 0xf0 && *s <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static bool put_special(FILE *f, unsigned char c, enum bg_esc how)
{
	const char *rep = NULL;

	switch (how) {
	case ESC_TEXT:
		break;
	case ESC_XML:
		rep = c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" :
		      c == '"' ? "&quot;" : c == '\'' ? "&apos;" : NULL;
		break;
	case ESC_JSON_HTML:
		if (c == '<' || c == '>' || c == '&') {
			fprintf(f, "\\u%04x", c);
			return true;
		}
		fallthrough;
	case ESC_JSON:
		rep = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : NULL;
		if (!rep && c < 0x20) {
			fprintf(f, "\\u%04x", c);
			return true;
		}
		break;
	case ESC_CSV:
		rep = c == '"' ? "\"\"" : NULL;
		break;
	}
	if (!rep && c < 0x20 && how != ESC_CSV)
		rep = "?";
	if (!rep)
		return false;
	fputs(rep, f);
	return true;
}

/* Write s escaped for the format; invalid UTF-8 bytes become '?'. */
void bg_put_escaped(FILE *f, const char *s, enum bg_esc how)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	while (*p) {
		if (*p < 0x80) {
			if (!put_special(f, *p, how))
				fputc(*p, f);
			p++;
			continue;
		}
		n = utf8_len(p);
		if (!n) {
			fputc('?', f);
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
}

void bg_put_time(FILE *f, bg_time t)
{
	if (t < 0) {
		fputc('-', f);
		t = -t;
	}
	fprintf(f, "%lld.%06lld", (long long)(t / 1000000),
		(long long)(t % 1000000));
}

const char *bg_fmt_dur(char *buf, size_t sz, bg_time d)
{
	const char *sign = d < 0 ? "-" : "";
	long long a = d < 0 ? -(long long)d : (long long)d;

	if (a >= 1000000) {
		a = (a + 500) / 1000;	/* rounded to the millisecond */
		snprintf(buf, sz, "%s%lld.%03llds", sign, a / 1000, a % 1000);
	} else if (a >= 1000) {
		snprintf(buf, sz, "%s%lld.%03lldms", sign, a / 1000, a % 1000);
	} else {
		snprintf(buf, sz, "%s%lldus", sign, a);
	}
	return buf;
}

void bg_put_dur(FILE *f, bg_time d)
{
	char buf[48];

	fputs(bg_fmt_dur(buf, sizeof(buf), d), f);
}

FILE *bg_open_output(const char *path)
{
	FILE *f;

	if (!path || !strcmp(path, "-"))
		return stdout;
	f = fopen(path, "w");
	if (!f)
		bg_err("cannot write %s: %s", path, strerror(errno));
	return f;
}

int bg_close_output(FILE *f, const char *path)
{
	int bad = ferror(f);

	if (f == stdout)
		bad |= fflush(f);
	else
		bad |= fclose(f);
	if (bad) {
		bg_err("error writing %s", path && strcmp(path, "-") ?
		       path : "standard output");
		return 1;
	}
	return 0;
}
