/*
 * cmd-sweep.c - `mpsim sweep SCENARIO --vary ... -j N [--db PATH]`: run a
 * grid of variants in N processes, or write one command per variant for a
 * batch system (--emit-jobs DIR).
 *
 * Worker w runs the variants w, w + N, w + 2N, ... into its own temporary
 * database; the parent then appends the runs to the output in grid order
 * (src/analysis/merge.c), so that the output's rows are the same whatever
 * N is.  --emit-jobs writes DIR/jobs.txt (one `mpsim run` per line, each
 * to DIR/run-NNNN.db) and DIR/slurm.sh; `mpsim merge OUT DIR/run-*.db`
 * then gives the rows a local sweep would.
 */
#include "config.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "analysis/grid.h"
#include "analysis/merge.h"
#include "analysis/runner.h"
#include "cli/cli.h"
#include "log/db.h"
#include "scenario/bundled.h"
#include "scenario/scenario.h"

/* Check every variant's scenario before anything runs (exit status 2). */
static bool check_variants(const char *scenario, const struct grid *g,
			   const char *const *sets)
{
	GError *lookup_err = NULL;
	char *path = bundled_find(scenario, &lookup_err);
	bool ok = true;

	if (!path) {
		fprintf(stderr, "mpsim: %s\n", lookup_err->message);
		g_error_free(lookup_err);
		return false;
	}

	for (guint i = 0; ok && i < grid_count(g); i++) {
		char **v = grid_sets(g, i, sets);
		GError *err = NULL;
		struct scenario *s = scenario_load(path,
						   (const char *const *)v,
						   &err);

		if (!s) {
			fprintf(stderr, "mpsim: %s\n", err->message);
			g_error_free(err);
			ok = false;
		}
		scenario_free(s);
		g_strfreev(v);
	}
	g_free(path);
	return ok;
}

static char *worker_db(const char *dir, guint w)
{
	char *name = g_strdup_printf("worker-%u.db", w);
	char *path = g_build_filename(dir, name, NULL);

	g_free(name);
	return path;
}

/*
 * The seed options of the sweep (--seed, --replications); a unit of work
 * is one replication of one variant, unit u = variant u / N, replication
 * u % N, so that the runs come out variant by variant.
 */
static struct runner_job rep;

static guint units(const struct grid *g)
{
	return grid_count(g) * rep.replications;
}

/* Worker w: its share of the units into its own database. */
static int worker(const char *scenario, const struct grid *g,
		  const char *const *sets, const char *dir, guint w, guint n,
		  bool progress)
{
	char *path = worker_db(dir, w);
	struct db *db = NULL;
	int status = 0;

	for (guint u = w; !status && u < units(g); u += n) {
		char **v = grid_sets(g, u / rep.replications, sets);
		char *label = grid_label(g, u / rep.replications);
		struct runner_job job = rep;
		struct runner_result res;

		job.scenario = scenario;
		job.sets = (const char *const *)v;
		job.db = &db;
		job.db_path = path;
		job.progress = progress;
		job.variant = label;
		job.batch = true;
		job.replications = 1;
		job.first_replication = u % rep.replications;
		status = runner_run(&job, &res);
		runner_result_clear(&res);
		g_strfreev(v);
		g_free(label);
	}
	status = runner_end_batch(db, status);
	db_close(db);
	g_free(path);
	return status;
}

static int run_workers(const char *scenario, const struct grid *g,
		       const char *const *sets, const char *dir, guint n)
{
	pid_t *pids;
	int status = 0;

	if (n == 1)
		return worker(scenario, g, sets, dir, 0, 1, true);
	fflush(NULL);
	pids = g_new0(pid_t, n);
	for (guint w = 0; w < n; w++) {
		pids[w] = fork();
		if (pids[w] == 0)
			_exit(worker(scenario, g, sets, dir, w, n, false));
		if (pids[w] < 0) {
			fprintf(stderr, "mpsim sweep: fork: %s\n",
				g_strerror(errno));
			status = 1;
			n = w;
			break;
		}
	}
	for (guint w = 0; w < n; w++) {
		int ws;

		if (waitpid(pids[w], &ws, 0) < 0)
			ws = 1 << 8;
		if (!status)
			status = WIFEXITED(ws) ? WEXITSTATUS(ws) :
				 128 + WTERMSIG(ws);
	}
	g_free(pids);
	return status;
}

static void remove_workers(const char *dir, guint n)
{
	for (guint w = 0; w < n; w++) {
		char *p = worker_db(dir, w);
		char *j = g_strconcat(p, "-journal", NULL);

		g_unlink(p);
		g_unlink(j);
		g_free(p);
		g_free(j);
	}
	g_rmdir(dir);
}

static char *self_path(void)
{
	char *p = g_file_read_link("/proc/self/exe", NULL);

	return p ? p : g_strdup("mpsim");
}

static int emit_jobs(const char *dir, const char *scenario,
		     const struct grid *g, const char *const *sets)
{
	char *path = bundled_find(scenario, NULL);
	char *abs = g_canonicalize_filename(path, NULL);
	char *self = self_path();
	GString *jobs = g_string_new(NULL), *slurm = g_string_new(NULL);
	guint n = grid_count(g), width = 4;
	char *file, *qself = g_shell_quote(self), *qscen = g_shell_quote(abs);
	char *absdir = g_canonicalize_filename(dir, NULL);
	GError *err = NULL;
	int status = 0;

	for (guint m = 10000; m <= n; m *= 10)
		width++;
	for (guint i = 0; i < n; i++) {
		char **v = grid_sets(g, i, sets);
		char *name = g_strdup_printf("run-%0*u.db", (int)width, i + 1);
		char *db = g_build_filename(absdir, name, NULL);
		char *qdb = g_shell_quote(db);

		char *label = grid_label(g, i), *ql = g_shell_quote(label);

		g_string_append_printf(jobs, "%s run %s --db %s --quiet", qself,
				       qscen, qdb);
		if (*label)
			g_string_append_printf(jobs, " --variant %s", ql);
		if (rep.replications > 1)
			g_string_append_printf(jobs, " --replications %u",
					       rep.replications);
		if (rep.has_seed)
			g_string_append_printf(jobs, " --seed %" G_GUINT64_FORMAT,
					       rep.seed);
		g_free(label);
		g_free(ql);
		for (char **s = v; *s; s++) {
			char *q = g_shell_quote(*s);

			g_string_append_printf(jobs, " --set %s", q);
			g_free(q);
		}
		g_string_append_c(jobs, '\n');
		g_free(qdb);
		g_free(db);
		g_free(name);
		g_strfreev(v);
	}
	g_string_append_printf(slurm,
		"#!/bin/sh\n"
		"# slurm.sh - one variant of the sweep per array task:\n"
		"#   sbatch --array=1-%u %s/slurm.sh\n"
		"# then combine in grid order:\n"
		"#   mpsim merge sweep.db %s/run-*.db\n"
		"#SBATCH --job-name=mpsim-sweep\n"
		"exec sh -c \"$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" "
		"%s/jobs.txt)\"\n", n, absdir, absdir, absdir);
	if (g_mkdir_with_parents(dir, 0777)) {
		fprintf(stderr, "mpsim sweep: %s: %s\n", dir,
			g_strerror(errno));
		status = 1;
		goto out;
	}
	file = g_build_filename(dir, "jobs.txt", NULL);
	if (!g_file_set_contents(file, jobs->str, (gssize)jobs->len, &err)) {
		g_free(file);
		goto fail;
	}
	g_free(file);
	file = g_build_filename(dir, "slurm.sh", NULL);
	if (!g_file_set_contents(file, slurm->str, (gssize)slurm->len, &err)) {
		g_free(file);
		goto fail;
	}
	g_chmod(file, 0755);
	g_free(file);
	printf("%u jobs in %s/jobs.txt; run them, e.g.\n"
	       "  parallel < %s/jobs.txt\n"
	       "then: mpsim merge OUT.db %s/run-*.db\n", n, dir, dir, dir);
	goto out;
fail:
	fprintf(stderr, "mpsim sweep: %s\n", err->message);
	g_error_free(err);
	status = 1;
out:
	g_string_free(jobs, TRUE);
	g_string_free(slurm, TRUE);
	g_free(qself);
	g_free(qscen);
	g_free(self);
	g_free(abs);
	g_free(absdir);
	g_free(path);
	return status;
}

int cmd_sweep(int argc, char **argv)
{
	char *db_path = NULL, *emit = NULL;
	char **sets = NULL, **vary = NULL;
	int jobs = 1, replications = 1;
	gint64 seed = -1;
	GOptionEntry entries[] = {
		{ "replications", 0, 0, G_OPTION_ARG_INT, &replications,
		  "run each variant N times, with seeds S, S+1, ... (the "
		  "same in every variant)", "N" },
		{ "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
		  "the first seed S (default: the scenario's, else 1)", "N" },
		{ "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &vary,
		  "run once per value (repeatable: the cross product, the "
		  "first --vary varying slowest)", "GROUP.KEY=V1,V2,..." },
		{ "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
		  "override a scenario key in every variant (repeatable)",
		  "GROUP.KEY=VALUE" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
		  "run N variants at a time (default 1)", "N" },
		{ "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
		  "append the runs to this database (default: mpsim.db)",
		  "PATH" },
		{ "emit-jobs", 0, 0, G_OPTION_ARG_FILENAME, &emit,
		  "run nothing; write DIR/jobs.txt (one command per variant) "
		  "and DIR/slurm.sh", "DIR" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GOptionContext *ctx = g_option_context_new("SCENARIO - run a grid of "
						   "variants");
	GError *err = NULL;
	struct grid *grid = NULL;
	struct merge_src *src = NULL;
	char *tmpdir = NULL;
	const char *out;
	int64_t first = 0;
	guint n, count = 0, workers;
	int status = 0;

	g_option_context_set_description(ctx, "Runs are numbered in grid "
		"order, whatever -j is.  Example:\n  mpsim sweep ext2-boundary "
		"--vary fs.boundary=on,off --vary block.plug=on,off -j 2 "
		"--db sweep.db\n");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!cli_parse_options(ctx, "sweep", &argc, &argv, &err)) {
		fprintf(stderr, "mpsim sweep: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (argc != 2 || jobs < 1 || (emit && db_path)) {
		fprintf(stderr, "mpsim sweep: expected one SCENARIO, -j at "
			"least 1, and not both --db and --emit-jobs (see mpsim "
			"sweep --help)\n");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!cli_seed_replications("sweep", seed, replications, &rep)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	grid = grid_parse((const char *const *)vary, &err);
	if (!grid) {
		fprintf(stderr, "mpsim sweep: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (!check_variants(argv[1], grid, (const char *const *)sets)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (emit) {
		status = emit_jobs(emit, argv[1], grid,
				   (const char *const *)sets);
		goto out;
	}
	n = units(grid);
	workers = MIN((guint)jobs, n);
	tmpdir = g_dir_make_tmp("mpsim-sweep-XXXXXX", &err);
	if (!tmpdir) {
		fprintf(stderr, "mpsim sweep: %s\n", err->message);
		status = 1;
		goto out;
	}
	status = run_workers(argv[1], grid, (const char *const *)sets, tmpdir,
			     workers);
	if (status)
		goto out;
	/* unit order: unit i is run i / workers + 1 of worker i % workers */
	src = g_new0(struct merge_src, n);
	for (guint i = 0; i < n; i++) {
		src[i].path = worker_db(tmpdir, i % workers);
		src[i].run_id = i / workers + 1;
	}
	out = db_path ? db_path : "mpsim.db";
	if (!merge_runs(out, src, n, &first, &count, &err)) {
		fprintf(stderr, "mpsim sweep: %s\n", err->message);
		status = 1;
		goto out;
	}
	printf("%u runs in %s: runs %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
	       "\n", count, out, first, first + count - 1);
out:
	if (src)
		for (guint i = 0; i < units(grid); i++)
			g_free((char *)src[i].path);
	g_free(src);
	if (tmpdir)
		remove_workers(tmpdir, MIN((guint)jobs, units(grid)));
	g_free(tmpdir);
	grid_free(grid);
	g_clear_error(&err);
	g_option_context_free(ctx);
	g_strfreev(sets);
	g_strfreev(vary);
	g_free(db_path);
	g_free(emit);
	return status;
}
