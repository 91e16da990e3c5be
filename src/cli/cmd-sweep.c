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
#include <signal.h>
#include <stdio.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <unistd.h>
#include "analysis/grid.h"
#include "analysis/merge.h"
#include "analysis/runner.h"
#include "cli/cli.h"
#include "log/db.h"
#include "log/output.h"
#include "scenario/bundled.h"
#include "scenario/scenario.h"

/*
 * SIGINT and SIGTERM in the parent: remembered, and forwarded to the
 * workers (each rolls its run back and exits); the parent waits for them,
 * removes the temporary folder and exits 128 + the signal, having merged
 * nothing.  A worker gets SIGTERM too if the parent dies (PDEATHSIG).
 */
static volatile sig_atomic_t sweep_signal;
static pid_t *volatile worker_pids;	/* nr_worker_pids of them */
static volatile sig_atomic_t nr_worker_pids;

static void on_sweep_signal(int sig)
{
	int saved = errno;

	sweep_signal = sig;
	for (sig_atomic_t i = 0; i < nr_worker_pids; i++)
		if (worker_pids[i] > 0)
			kill(worker_pids[i], sig);
	errno = saved;
}

/* Block (or unblock) the two signals around a fork. */
static void block_signals(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(how, &set, NULL);
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

	for (guint u = w; !status && !sweep_signal && u < units(g);
	     u += n) {
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
	return status ? status : sweep_signal ? 128 + sweep_signal : 0;
}

/* In a new worker: no forwarding, and end with the parent. */
static void worker_start(pid_t parent)
{
	nr_worker_pids = 0;
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	if (getppid() != parent)
		raise(SIGTERM);
	block_signals(SIG_UNBLOCK);
}

static int run_workers(const char *scenario, const struct grid *g,
		       const char *const *sets, const char *dir, guint n)
{
	int status = 0;

	if (n == 1)
		return worker(scenario, g, sets, dir, 0, 1, true);
	fflush(NULL);
	worker_pids = g_new0(pid_t, n);
	for (guint w = 0; w < n && !sweep_signal; w++) {
		pid_t parent = getpid(), pid;

		block_signals(SIG_BLOCK);	/* the pid is known at once */
		pid = fork();
		if (pid == 0) {
			worker_start(parent);
			_exit(worker(scenario, g, sets, dir, w, n, false));
		}
		if (pid < 0) {
			fprintf(stderr, "mpsim sweep: fork: %s\n",
				g_strerror(errno));
			status = 1;
			/* stop the others: nothing will be merged */
			for (sig_atomic_t i = 0; i < nr_worker_pids; i++)
				kill(worker_pids[i], SIGTERM);
		} else {
			worker_pids[nr_worker_pids] = pid;
			nr_worker_pids = nr_worker_pids + 1;
		}
		block_signals(SIG_UNBLOCK);
		if (pid < 0)
			break;
	}
	for (sig_atomic_t w = 0; w < nr_worker_pids; w++) {
		int ws;

		while (waitpid(worker_pids[w], &ws, 0) < 0)
			if (errno != EINTR) {
				ws = 1 << 8;
				break;
			}
		if (!status)
			status = WIFEXITED(ws) ? WEXITSTATUS(ws) :
				 128 + WTERMSIG(ws);
	}
	nr_worker_pids = 0;
	g_free(worker_pids);
	worker_pids = NULL;
	return sweep_signal ? 128 + sweep_signal : status;
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

/* A line of jobs.txt holds one command: no name may break it. */
static bool one_line(const char *what, const char *text)
{
	if (!strpbrk(text, "\n\r"))
		return true;
	fprintf(stderr, "mpsim sweep: --emit-jobs: %s has a line break; "
		"refused, nothing was written\n", what);
	return false;
}

/*
 * slurm.sh: runs line $SLURM_ARRAY_TASK_ID of jobs.txt.  Every name is
 * single-quoted by g_shell_quote() (and none has a line break), so that
 * no folder name can end a quote or a comment.
 */
static char *slurm_script(guint n, const char *absdir)
{
	char *jobs = g_build_filename(absdir, "jobs.txt", NULL);
	char *self = g_build_filename(absdir, "slurm.sh", NULL);
	char *qjobs = g_shell_quote(jobs), *qself = g_shell_quote(self);
	char *qdir = g_shell_quote(absdir);
	char *text = g_strdup_printf(
		"#!/bin/sh\n"
		"# slurm.sh - one variant of the sweep per array task:\n"
		"#   sbatch --array=1-%u %s\n"
		"# then combine in grid order:\n"
		"#   mpsim merge sweep.db %s/run-*.db\n"
		"#SBATCH --job-name=mpsim-sweep\n"
		"jobs=%s\n"
		"case \"${SLURM_ARRAY_TASK_ID-}\" in\n"
		"''|*[!0-9]*)\n"
		"\techo \"slurm.sh: SLURM_ARRAY_TASK_ID is not a task "
		"number (sbatch --array=1-%u)\" >&2\n"
		"\texit 2 ;;\n"
		"esac\n"
		"cmd=$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" \"$jobs\") || "
		"exit 2\n"
		"if [ -z \"$cmd\" ]; then\n"
		"\techo \"slurm.sh: no job $SLURM_ARRAY_TASK_ID in $jobs\" "
		">&2\n"
		"\texit 2\n"
		"fi\n"
		"exec sh -c \"$cmd\"\n", n, qself, qdir, qjobs, n);

	g_free(jobs);
	g_free(self);
	g_free(qjobs);
	g_free(qself);
	g_free(qdir);
	return text;
}

static int emit_jobs(const char *dir, const char *scenario,
		     const struct grid *g, const char *const *sets,
		     struct out_inputs *in)
{
	char *path = bundled_find(scenario, NULL);
	char *abs = g_canonicalize_filename(path, NULL);
	char *self = self_path();
	GString *jobs = g_string_new(NULL);
	guint n = grid_count(g), width = 4;
	char *qself = g_shell_quote(self), *qscen = g_shell_quote(abs);
	char *absdir = g_canonicalize_filename(dir, NULL);
	char *slurm = slurm_script(n, absdir), *qdir = g_shell_quote(dir);
	char *jobs_file = g_build_filename(dir, "jobs.txt", NULL);
	char *slurm_file = g_build_filename(dir, "slurm.sh", NULL);
	GError *err = NULL;
	int status = 0;

	for (guint m = 10000; m <= n; m *= 10)
		width++;
	if (!one_line("the program's path", self) ||
	    !one_line("the scenario's path", abs) ||
	    !one_line("the folder", absdir)) {
		status = EXIT_BAD_INPUT;
		goto out;
	}
	for (guint i = 0; i < n && !status; i++) {
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
		for (char **s = v; *s && !status; s++) {
			char *q = g_shell_quote(*s);

			if (!one_line("a --set or --vary value", *s))
				status = EXIT_BAD_INPUT;
			g_string_append_printf(jobs, " --set %s", q);
			g_free(q);
		}
		g_string_append_c(jobs, '\n');
		g_free(qdb);
		g_free(db);
		g_free(name);
		g_strfreev(v);
	}
	if (status)
		goto out;
	/* neither file may replace an input; then each written whole */
	if ((g_file_test(dir, G_FILE_TEST_EXISTS) &&
	     !g_file_test(dir, G_FILE_TEST_IS_DIR) &&
	     !out_check(in, dir, "--emit-jobs", &err)) ||
	    !out_check(in, jobs_file, "--emit-jobs", &err) ||
	    !out_check(in, slurm_file, "--emit-jobs", &err)) {
		fprintf(stderr, "mpsim sweep: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (g_mkdir_with_parents(dir, 0777)) {
		fprintf(stderr, "mpsim sweep: %s: %s\n", dir,
			g_strerror(errno));
		status = 1;
		goto out;
	}
	if (!out_write_contents(jobs_file, jobs->str, jobs->len, &err) ||
	    !out_write_contents(slurm_file, slurm, strlen(slurm), &err)) {
		fprintf(stderr, "mpsim sweep: %s\n", err->message);
		status = 1;
		goto out;
	}
	g_chmod(slurm_file, 0755);
	printf("%u jobs in %s/jobs.txt; run them, e.g.\n"
	       "  parallel < %s/jobs.txt\n"
	       "then: mpsim merge OUT.db %s/run-*.db\n", n, qdir, qdir, qdir);
out:
	g_clear_error(&err);
	g_string_free(jobs, TRUE);
	g_free(jobs_file);
	g_free(slurm_file);
	g_free(slurm);
	g_free(qdir);
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
	struct out_inputs *in = NULL;
	struct sigaction old_int, old_term;
	bool caught = false;
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
	/* every variant, and the output against what they read, first */
	in = out_inputs_new();
	if (!runner_check_variants(argv[1], grid, (const char *const *)sets,
				   in, &err) ||
	    (!emit && (!db_check_name(db_path ? db_path : "mpsim.db", &err) ||
		       !out_check(in, db_path ? db_path : "mpsim.db", "--db",
				  &err)))) {
		fprintf(stderr, "mpsim sweep: %s\n", err->message);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (emit) {
		status = emit_jobs(emit, argv[1], grid,
				   (const char *const *)sets, in);
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
	sweep_signal = 0;
	out_catch_signals(on_sweep_signal, &old_int, &old_term);
	caught = true;
	status = run_workers(argv[1], grid, (const char *const *)sets, tmpdir,
			     workers);
	if (status) {
		if (sweep_signal)
			fprintf(stderr, "mpsim sweep: interrupted; nothing was "
				"saved\n");
		goto out;
	}
	/* unit order: unit i is run i / workers + 1 of worker i % workers */
	src = g_new0(struct merge_src, n);
	for (guint i = 0; i < n; i++) {
		src[i].path = worker_db(tmpdir, i % workers);
		src[i].run_id = i / workers + 1;
	}
	out = db_path ? db_path : "mpsim.db";
	if (!merge_runs_until(out, src, n, &sweep_signal, &first, &count,
			      &err)) {
		fprintf(stderr, "mpsim sweep: %s\n", err->message);
		status = sweep_signal ? 128 + sweep_signal : 1;
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
	if (caught)
		out_restore_signals(&old_int, &old_term);
	out_inputs_free(in);
	grid_free(grid);
	g_clear_error(&err);
	g_option_context_free(ctx);
	g_strfreev(sets);
	g_strfreev(vary);
	g_free(db_path);
	g_free(emit);
	return status;
}
