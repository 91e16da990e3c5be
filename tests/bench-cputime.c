/*
 * bench-cputime.c - the CPU time of one command, for bench/run.
 *
 *   bench-cputime OUT COMMAND [ARG...]
 *
 * Runs COMMAND (standard output and error as ours), waits for it with
 * wait4() and writes one line to OUT:
 *
 *   wall_s user_s sys_s maxrss_kib
 *
 * user and system time come from the child's rusage, to the microsecond,
 * so that a run's cost can be told apart from what other processes on a
 * shared host do to its wall time (GNU time prints them to 10 ms only).
 * Exits with COMMAND's status (2 when it cannot be run, 128 + signal when
 * it is killed); OUT is written only when COMMAND exits 0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	double t0, t1;
	int status;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-cputime OUT COMMAND [ARG...]\n");
		return 2;
	}
	t0 = now_s();
	pid = fork();
	if (pid < 0) {
		perror("bench-cputime: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "bench-cputime: %s: %s\n", argv[2],
			strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("bench-cputime: wait4");
			return 2;
		}
	t1 = now_s();
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	if (WEXITSTATUS(status))
		return WEXITSTATUS(status);
	out = fopen(argv[1], "w");
	if (!out) {
		fprintf(stderr, "bench-cputime: %s: %s\n", argv[1],
			strerror(errno));
		return 2;
	}
	fprintf(out, "%.6f %.6f %.6f %ld\n", t1 - t0, tv_s(ru.ru_utime),
		tv_s(ru.ru_stime), ru.ru_maxrss);
	return fclose(out) ? 2 : 0;
}
