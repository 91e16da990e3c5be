/*
 * source.c - opening a trace: the format forced by --format, or told from
 * the content (blktrace's magic; fio's version line; a CSV header naming
 * op and sector; a blkparse event line "MAJ,MIN CPU SEQ TIME ..."; five
 * numbers, DiskSim's ASCII), then handed to that format's reader.
 */
#include "replay/reader.h"

#include <errno.h>
#include <string.h>

struct replay_source {
	struct reader *r;
	const char *format;
	bool binary;		/* positions are byte offsets, not lines */
};

static const char *const format_names[] = {
	[REPLAY_FORMAT_BLKTRACE] = "blktrace",
	[REPLAY_FORMAT_BLKPARSE] = "blkparse",
	[REPLAY_FORMAT_FIO] = "fio",
	[REPLAY_FORMAT_DISKSIM] = "disksim",
	[REPLAY_FORMAT_CSV] = "csv",
};

bool replay_format_parse(const char *name, enum replay_format *out)
{
	for (int f = REPLAY_FORMAT_BLKTRACE; f <= REPLAY_FORMAT_CSV; f++)
		if (!strcmp(name, format_names[f])) {
			*out = (enum replay_format)f;
			return true;
		}
	return false;
}

/* The first non-blank line of a text start, split at blanks or commas. */
static enum replay_format detect_text(char *buf)
{
	char *line = buf, *f[8];
	int n;

	while (*line == '\n' || *line == '\r' || *line == ' ' ||
	       *line == '\t')
		line++;
	line[strcspn(line, "\r\n")] = '\0';
	if (g_str_has_prefix(line, "fio version"))
		return REPLAY_FORMAT_FIO;
	if (strchr(line, ',') && strstr(line, "op") && strstr(line, "sector") &&
	    !strchr(line, ' '))
		return REPLAY_FORMAT_CSV;
	n = lines_split(line, false, f, 7);
	if (n >= 6 && strchr(f[0], ',') && strchr(f[3], '.'))
		return REPLAY_FORMAT_BLKPARSE;
	if (n == 5 && strspn(f[0], "0123456789.") == strlen(f[0]) &&
	    strspn(f[4], "0123456789") == strlen(f[4]))
		return REPLAY_FORMAT_DISKSIM;
	return REPLAY_FORMAT_AUTO;
}

static enum replay_format detect(const char *path, GError **err)
{
	unsigned char buf[4097];
	size_t n;
	FILE *f;
	char *cpu0;
	enum replay_format fmt;

	cpu0 = g_strdup_printf("%s.blktrace.0", path);
	if (!g_file_test(path, G_FILE_TEST_EXISTS) &&
	    g_file_test(cpu0, G_FILE_TEST_IS_REGULAR)) {
		g_free(cpu0);
		return REPLAY_FORMAT_BLKTRACE;
	}
	g_free(cpu0);
	f = fopen(path, "rb");
	if (!f) {
		g_set_error(err, REPLAY_ERROR, 0, "%s: %s", path,
			    g_strerror(errno));
		return REPLAY_FORMAT_AUTO;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	if (blktrace_magic_ok(buf, n))
		return REPLAY_FORMAT_BLKTRACE;
	buf[n] = '\0';
	fmt = strlen((char *)buf) == n ? detect_text((char *)buf) :
	      REPLAY_FORMAT_AUTO;
	if (fmt == REPLAY_FORMAT_AUTO)
		g_set_error(err, REPLAY_ERROR, 0, "%s: %s: not a trace mpsim "
			    "can tell (blktrace, blkparse, fio, disksim, csv); "
			    "name one with --format", path,
			    n ? "byte offset 0" : "empty");
	return fmt;
}

struct replay_source *replay_source_open(const char *path,
					 enum replay_format format,
					 bool at_dispatch, GError **err)
{
	struct replay_source *src;
	struct reader *r = NULL;

	if (format == REPLAY_FORMAT_AUTO &&
	    (format = detect(path, err)) == REPLAY_FORMAT_AUTO)
		return NULL;
	switch (format) {
	case REPLAY_FORMAT_BLKTRACE:
		r = blktrace_reader_open(path, at_dispatch, err);
		break;
	case REPLAY_FORMAT_BLKPARSE:
		r = blkparse_reader_open(path, at_dispatch, err);
		break;
	case REPLAY_FORMAT_FIO:
		r = fio_reader_open(path, err);
		break;
	case REPLAY_FORMAT_DISKSIM:
		r = disksim_reader_open(path, err);
		break;
	case REPLAY_FORMAT_CSV:
		r = csv_reader_open(path, err);
		break;
	case REPLAY_FORMAT_AUTO:
		break;
	}
	if (!r)
		return NULL;
	src = g_new0(struct replay_source, 1);
	src->r = r;
	src->format = format_names[format];
	src->binary = format == REPLAY_FORMAT_BLKTRACE;
	return src;
}

bool replay_source_next(struct replay_source *src, struct replay_rec *rec,
			GError **err)
{
	return src->r->ops->next(src->r, rec, err);
}

bool replay_source_set_latencies(struct replay_source *src,
				 const char *path, GError **err)
{
	if (!src->r->ops->set_latencies) {
		g_set_error(err, REPLAY_ERROR, 0, "%s: --latencies goes with a "
			    "fio iolog, not a %s trace", path, src->format);
		return false;
	}
	return src->r->ops->set_latencies(src->r, path, err);
}

const char *replay_source_format(const struct replay_source *src)
{
	return src->format;
}

const char *replay_source_where(const struct replay_source *src)
{
	return src->binary ? "byte offset" : "line";
}

void replay_source_free(struct replay_source *src)
{
	if (!src)
		return;
	src->r->ops->free(src->r);
	g_free(src);
}
