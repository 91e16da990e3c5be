/*
 * replications.c - the options every command that runs scenarios shares
 * for experiments: --seed N (the first run's seed; the scenario's
 * [scenario] seed, else 1, when absent) and --replications N (each
 * variant runs N times, seeds S .. S + N - 1; docs/analysis.md), and
 * how the figures of such runs are printed.
 */
#include "config.h"

#include <stdio.h>
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

bool print_figures(FILE *out, struct adb *a, const GPtrArray *stats, int f,
		   GError **err)
{
	struct experiment *e = experiment_new(stats);
	bool ok = true;

	if (f == TABLE_JSON)
		ok = json_report(out, a, stats, e, err);
	else if (e)
		experiment_print(out, e, (enum table_format)f);
	else
		table_print(out, stats, (enum table_format)f);
	experiment_free(e);
	return ok;
}
