/*
 * lines.c - what the text trace readers share: a file read line by line
 * with its line count (for messages that name the line), field
 * splitting, and exact number parsing (no floating point: a recorded time
 * of 0.000123456 s is 123456 ns, not a rounding of it).
 */
#include "replay/reader.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#define MAX_LINE (1 << 20)

bool lines_open(struct lines *l, const char *path, GError **err)
{
	memset(l, 0, sizeof(*l));
	l->path = path;
	l->f = fopen(path, "r");
	if (!l->f) {
		g_set_error(err, REPLAY_ERROR, 0, "%s: %s", path,
			    g_strerror(errno));
		return false;
	}
	setvbuf(l->f, NULL, _IOFBF, 1 << 16);
	return true;
}

char *lines_next(struct lines *l, GError **err)
{
	ssize_t n = getline(&l->buf, &l->cap, l->f);

	if (n < 0) {
		if (ferror(l->f))
			g_set_error(err, REPLAY_ERROR, 0, "%s: line %"
				    G_GUINT64_FORMAT ": %s", l->path,
				    l->lineno + 1, g_strerror(errno));
		return NULL;
	}
	l->lineno++;
	if (n > MAX_LINE) {
		lines_fail(l, err, "longer than %d bytes", MAX_LINE);
		return NULL;
	}
	if ((size_t)n != strlen(l->buf)) {
		lines_fail(l, err, "not text (a NUL byte)");
		return NULL;
	}
	while (n && (l->buf[n - 1] == '\n' || l->buf[n - 1] == '\r'))
		l->buf[--n] = '\0';
	return l->buf;
}

void lines_close(struct lines *l)
{
	if (l->f)
		fclose(l->f);
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

bool lines_fail(const struct lines *l, GError **err, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, REPLAY_ERROR, 0, "%s: line %" G_GUINT64_FORMAT ": %s",
		    l->path, l->lineno, msg);
	g_free(msg);
	return false;
}

int lines_split(char *line, bool commas, char **fields, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n == max)
			return max + 1;
		fields[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && !(commas && *p == ','))
			p++;
		if (commas) {
			char *end = p;
			char c;

			while (*p == ' ' || *p == '\t')
				p++;
			c = *p;
			*end = '\0';
			if (c == ',')
				p++;
			else if (c)
				return -1;	/* two words in one field */
			continue;
		}
		if (*p)
			*p++ = '\0';
	}
	return n;
}

bool rd_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

bool rd_i64(const char *s, int64_t *out)
{
	uint64_t v;

	if (!rd_u64(s, &v) || v > INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

bool rd_fixed(const char *s, int scale, int64_t *out)
{
	const char *dot = strchr(s, '.');
	char whole[24], frac[24];
	uint64_t w, f = 0, mult = 1;
	size_t wl = dot ? (size_t)(dot - s) : strlen(s);
	size_t fl = dot ? strlen(dot + 1) : 0;

	if (wl == 0 || wl >= sizeof(whole) || fl > (size_t)scale)
		return false;
	memcpy(whole, s, wl);
	whole[wl] = '\0';
	if (!rd_u64(whole, &w))
		return false;
	if (dot) {
		if (!fl)
			return false;
		memcpy(frac, dot + 1, fl);
		frac[fl] = '\0';
		if (!rd_u64(frac, &f))
			return false;
	}
	for (size_t i = fl; i < (size_t)scale; i++)
		f *= 10;
	for (int i = 0; i < scale; i++)
		mult *= 10;
	if (w > (uint64_t)INT64_MAX / mult - 1)
		return false;
	*out = (int64_t)(w * mult + f);
	return true;
}

void replay_rec_init(struct replay_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->time_ns = rec->think_ns = -1;
	rec->complete_ns = rec->service_ns = -1;
}

struct reader *line_reader_open(const char *path, const struct reader_ops
				*ops, line_parse_fn parse, size_t state_size,
				GError **err)
{
	struct line_reader *lr = g_new0(struct line_reader, 1);

	lr->base.ops = ops;
	lr->base.path = path;
	lr->parse = parse;
	lr->state = g_malloc0(state_size ? state_size : 1);
	if (!lines_open(&lr->l, path, err)) {
		line_reader_free(&lr->base);
		return NULL;
	}
	return &lr->base;
}

bool line_reader_next(struct reader *r, struct replay_rec *rec,
		      GError **err)
{
	struct line_reader *lr = (struct line_reader *)r;
	GError *e = NULL;

	while (!lr->ended) {
		struct replay_rec x;
		char *line = lines_next(&lr->l, &e);
		int k;

		if (!line) {
			if (e) {
				g_propagate_error(err, e);
				return false;
			}
			lr->ended = true;
			break;
		}
		replay_rec_init(&x);
		x.where = lr->l.lineno;
		k = lr->parse(lr, line, &x, err);
		if (k < 0)
			return false;
		if (k == 2 && lr->have_held) {
			if (lr->held.think_ns < 0)
				lr->held.think_ns = 0;
			lr->held.think_ns += x.think_ns;
		}
		if (k != 1)
			continue;
		x.n = ++lr->n;
		if (lr->have_held) {
			*rec = lr->held;
			lr->held = x;
			return true;
		}
		lr->held = x;
		lr->have_held = true;
	}
	if (!lr->have_held)
		return false;
	*rec = lr->held;
	lr->have_held = false;
	return true;
}

void line_reader_free(struct reader *r)
{
	struct line_reader *lr = (struct line_reader *)r;

	lines_close(&lr->l);
	g_free(lr->state);
	g_free(lr);
}
