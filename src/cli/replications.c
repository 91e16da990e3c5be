/*
 * replications.c - the options every command that runs scenarios shares
 * for experiments: --seed N (the first run's seed; the scenario's
 * [scenario] seed, else 1, when absent) and --replications N (each
 * variant runs N times, seeds S .. S + N - 1; docs/analysis.md), and
 * how the figures of such runs are printed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include "analysis/experiment.h"
#include "analysis/json.h"
#include "analysis/runner.h"
#include "analysis/table.h"
#include "cli/cli.h"

bool cli_seed_replications(const char *cmd, int64_t seed, int replications,
			   struct runner_job *job)
{
	if (seed < -1) {
		fprintf(stderr, "mpsim %s: --seed %" G_GINT64_FORMAT ": expected "
			"a number from 0 to 2^63 - 1\n", cmd, seed);
		return false;
	}
	if (replications < 1 || replications > CLI_MAX_REPLICATIONS) {
		fprintf(stderr, "mpsim %s: --replications %d: expected a number "
			"from 1 to %d\n", cmd, replications,
			CLI_MAX_REPLICATIONS);
		return false;
	}
	job->has_seed = seed >= 0;
	job->seed = seed >= 0 ? (uint64_t)seed : 0;
	job->replications = (unsigned)replications;
	return true;
}

/*
 * The text for a terminal: names from a scenario or a database (a
 * scenario's file name, a variant label) are data, so a control character
 * in one is shown as \xNN rather than sent to the terminal, where an
 * escape sequence would act.  Newlines are the table's own.
 */
static void put_text(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}

bool print_figures(FILE *out, struct adb *a, const GPtrArray *stats, int f,
		   GError **err)
{
	struct experiment *e = experiment_new(stats);
	bool ok = true;
	char *buf = NULL;
	size_t len = 0;
	FILE *text;

	if (f == TABLE_JSON) {
		ok = json_report(out, a, stats, e, err);
		experiment_free(e);
		return ok;
	}
	text = f == TABLE_TEXT ? open_memstream(&buf, &len) : out;
	if (!text)
		text = out;
	if (e)
		experiment_print(text, e, (enum table_format)f);
	else
		table_print(text, stats, (enum table_format)f);
	if (text != out) {
		fclose(text);
		put_text(out, buf, len);
		free(buf);
	}
	experiment_free(e);
	return ok;
}
