/*
 * cmd-validate.c - `mpsim validate TRACE [SCENARIO]`: replay a trace that
 * recorded completions closed-loop (at its dispatches, one request
 * outstanding unless --depth says otherwise) and compare, request by
 * request, the recorded service time with the simulated one
 * (src/replay/validate.c has the figures).  Nothing is logged unless --db
 * is given.
 */
#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include "analysis/plot.h"
#include "analysis/runner.h"
#include "cli/cli.h"
#include "log/db.h"
#include "replay/replay.h"
#include "replay/validate.h"
#include "trace/trace.h"

struct validate_run {
	struct replay *r;
	struct validation *v;
};

static void on_done(void *arg, const struct replay_rec *rec,
		    int64_t dispatch_ns, int64_t complete_ns)
{
	struct validate_run *vr = arg;

	if (rec->service_ns >= 0 && dispatch_ns >= 0)
		validation_add(vr->v, rec->n, rec->service_ns,
			       complete_ns - dispatch_ns, rec->sector,
			       rec->sectors);
}

/* replay_setup(), then: a trace without completions cannot be validated */
static bool setup(void *ctx, struct world *w, struct scenario *s,
		  GError **err)
{
	struct validate_run *vr = ctx;

	if (!replay_setup(vr->r, w, s, err))
		return false;
	if (!replay_recorded_services(vr->r)) {
		g_set_error(err, REPLAY_ERROR, 0, "%s: no request with a "
			    "recorded service time (validate needs dispatch "
			    "and completion events, e.g. blktrace's D and C, "
			    "or a CSV service_ns column)", s->path);
		return false;
	}
	return true;
}

static bool finish(void *ctx, GError **err)
{
	return replay_finish(((struct validate_run *)ctx)->r, err);
}

static void print_validation(const char *trace, const char *scenario,
			  const struct validate_figures *f)
{
	printf("validation of %s on %s\n", trace, scenario);
	printf("requests matched       %" G_GUINT64_FORMAT "\n", f->matched);
	printf("recorded service       mean %.6f ms  median %.6f ms\n",
	       f->rec_mean_ns / 1e6, f->rec_median_ns / 1e6);
	printf("simulated service      mean %.6f ms  median %.6f ms\n",
	       f->sim_mean_ns / 1e6, f->sim_median_ns / 1e6);
	printf("mean |relative error|  %.2f%%\n", 100 * f->mean_abs_rel_err);
	printf("within 10%%             %.2f%%\n", 100 * f->within_10);
	printf("demerit                %.6f ms (%.2f%% of the recorded "
	       "mean)\n", f->demerit_ns / 1e6, 100 * f->demerit_rel);
}

int cmd_validate(int argc, char **argv)
{
	struct replay_cli c = { 0 };
	char *db_path = NULL, *plot_dir = NULL;
	GOptionEntry entries[REPLAY_CLI_ENTRIES + 3] = {
		{ "plot", 0, 0, G_OPTION_ARG_FILENAME, &plot_dir,
		  "draw both CDFs and the error against seek distance into "
		  "DIR", "DIR" },
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
		  "also log the replay to this SQLite database", "PATH" },
	};
	GOptionContext *ctx = g_option_context_new("TRACE [SCENARIO] - "
		"compare recorded and simulated service times");
	GError *err = NULL;
	struct db *db = NULL;
	struct runner_result res = { 0 };
	struct runner_job job = { 0 };
	struct replay_options o;
	struct validate_run vr = { 0 };
	struct validate_figures f;
	struct trace_listener l;
	char **inputs = NULL;
	int status = 0;

	replay_cli_entries(&c, entries + 2);
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!replay_cli_parse("validate", ctx, &argc, &argv)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!c.at)
		c.at = g_strdup("dispatch");
	if (!replay_cli_options("validate", &c, argv[1], &o) ||
	    !replay_cli_outputs_ok("validate", argv[1], db_path,
				   c.trace_path)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	o.mode = REPLAY_MODE_CLOSED;
	o.precheck = true;	/* counts the recorded service times */
	vr.r = replay_new(&o);
	vr.v = validation_new();
	replay_set_done(vr.r, on_done, &vr);
	replay_listener(vr.r, &l);
	inputs = replay_cli_inputs(argv[1], &c);
	job.inputs = (const char *const *)inputs;
	job.scenario = argc == 3 ? argv[2] : NULL;
	job.sets = (const char *const *)c.sets;
	job.db = db_path ? &db : NULL;
	job.db_path = db_path;
	job.trace_path = c.trace_path;
	job.extra = &l;
	job.device_only = true;
	job.setup = setup;
	job.finish = finish;
	job.hook_ctx = &vr;
	status = runner_run(&job, &res);
	if (status)
		goto out;
	if (!validation_figures(vr.v, &f)) {
		fprintf(stderr, "mpsim validate: %s: no request matched\n",
			argv[1]);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	print_validation(argv[1], res.scenario_name, &f);
	if (plot_dir) {
		/* staged: the plots land whole or not at all */
		struct plot_stage *st = plot_stage_begin(plot_dir, &err);

		if (!st || !plot_stage_end(st, validation_plot(vr.v,
				plot_stage_dir(st), &err), &err)) {
			fprintf(stderr, "mpsim validate: %s\n", err->message);
			status = 1;
		}
	}
out:
	g_strfreev(inputs);
	replay_free(vr.r);
	validation_free(vr.v);
	g_free(res.scenario_name);
	db_close(db);
	g_clear_error(&err);
	g_option_context_free(ctx);
	replay_cli_free(&c);
	g_free(db_path);
	g_free(plot_dir);
	return status;
}
