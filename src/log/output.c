/*
 * output.c - the files mpsim writes (see output.h).
 *
 * Files are told apart by device and inode, after following links, so
 * that "runs.db", "./runs.db", a link to it and /dev/stdout redirected to
 * it are all the same file.  A name that does not exist yet is told apart
 * by its folder's device and inode and its own name.
 *
 * Every stream is a stdio FILE over our own write function (fopencookie),
 * which keeps the errno of the first failed write: ferror() says that a
 * write failed, and the message can still say why.  The signals that can
 * end a command mid-write (SIGPIPE, SIGXFSZ, SIGINT, SIGTERM) are handled
 * here too, so that every command treats them alike.
 */
#define _GNU_SOURCE
#include "config.h"

#include "log/output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void out_init(void)
{
	/* a closed 0, 1 or 2 would be the next file opened, and stdout's
	 * lines would land in it */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			break;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
}

static volatile sig_atomic_t caught_signal;

static void on_signal(int sig)
{
	caught_signal = sig;
}

int out_signal(void)
{
	return caught_signal;
}

const volatile sig_atomic_t *out_signal_flag(void)
{
	return &caught_signal;
}

void out_catch_signals(void (*fn)(int), struct sigaction *old_int,
		       struct sigaction *old_term)
{
	struct sigaction sa = { 0 };

	if (!fn) {
		fn = on_signal;
		caught_signal = 0;
	}
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, old_int);
	sigaction(SIGTERM, &sa, old_term);
}

void out_restore_signals(const struct sigaction *old_int,
			 const struct sigaction *old_term)
{
	sigaction(SIGINT, old_int, NULL);
	sigaction(SIGTERM, old_term, NULL);
}

struct ident {
	dev_t dev;
	ino_t ino;
	char *name;		/* NULL: this file; else a name in it */
	char *path;		/* as given, for messages */
	const char *role;
	bool output;
};

struct out_inputs {
	GArray *ids;		/* struct ident */
};

static void ident_clear(gpointer p)
{
	struct ident *id = p;

	g_free(id->name);
	g_free(id->path);
}

struct out_inputs *out_inputs_new(void)
{
	struct out_inputs *in = g_new0(struct out_inputs, 1);

	in->ids = g_array_new(FALSE, TRUE, sizeof(struct ident));
	g_array_set_clear_func(in->ids, ident_clear);
	return in;
}

void out_inputs_free(struct out_inputs *in)
{
	if (!in)
		return;
	g_array_unref(in->ids);
	g_free(in);
}

void out_inputs_add(struct out_inputs *in, const char *path,
		    const char *role)
{
	struct ident id = { 0 };
	struct stat st;

	if (!path || stat(path, &st))
		return;
	id.dev = st.st_dev;
	id.ino = st.st_ino;
	id.path = g_strdup(path);
	id.role = role;
	g_array_append_val(in->ids, id);
}

/* A name in an existing folder, whether or not the file exists yet. */
static void add_name(struct out_inputs *in, const char *path,
		     const char *role)
{
	struct ident id = { 0 };
	struct stat st;
	char *dir = g_path_get_dirname(path);
	bool found = !stat(path, &st);

	if (!found && !stat(dir, &st)) {
		found = true;
		id.name = g_path_get_basename(path);
	}
	g_free(dir);
	if (!found)
		return;
	id.dev = st.st_dev;
	id.ino = st.st_ino;
	id.path = g_strdup(path);
	id.role = role;
	g_array_append_val(in->ids, id);
}

void out_inputs_add_db(struct out_inputs *in, const char *path,
		       const char *role)
{
	static const char *const sidecars[] = { "-journal", "-wal", "-shm" };

	out_inputs_add(in, path, role);
	for (size_t i = 0; i < G_N_ELEMENTS(sidecars); i++) {
		char *p = g_strconcat(path, sidecars[i], NULL);

		add_name(in, p, "a file SQLite keeps beside the database");
		g_free(p);
	}
}

static bool same(const struct ident *a, const struct ident *b)
{
	return a->dev == b->dev && a->ino == b->ino &&
	       !g_strcmp0(a->name, b->name);
}

static bool refuse(GError **err, const char *path, const char *what,
		   const char *why)
{
	g_set_error(err, OUT_ERROR, OUT_ERROR_REFUSED, "%s: %s %s; refused, "
		    "nothing was written", path, what, why);
	return false;
}

/* The identity `path` would have: the file, or its name in its folder. */
static bool output_ident(const char *path, const char *what,
			 struct ident *id, GError **err)
{
	struct stat st;
	char *dir;

	if (!*path)
		return refuse(err, "''", what, "is an empty file name");
	if (!stat(path, &st)) {
		if (S_ISDIR(st.st_mode))
			return refuse(err, path, what, "is a folder");
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		return true;
	}
	if (!lstat(path, &st))
		return refuse(err, path, what, "is a symbolic link to a "
			      "missing file");
	dir = g_path_get_dirname(path);
	if (!stat(dir, &st)) {
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		id->name = g_path_get_basename(path);
	} else {	/* a folder still to be made: the path names it */
		id->name = g_canonicalize_filename(path, NULL);
	}
	g_free(dir);
	return true;
}

bool out_check(struct out_inputs *in, const char *path, const char *what,
	       GError **err)
{
	struct ident id = { 0 };

	if (!output_ident(path, what, &id, err))
		return false;
	for (guint i = 0; i < in->ids->len; i++) {
		const struct ident *o = &g_array_index(in->ids, struct ident,
						       i);

		if (same(o, &id)) {
			char *why = g_strdup_printf("is the same file as %s "
						    "(%s)", o->role, o->path);

			refuse(err, path, what, why);
			g_free(why);
			g_free(id.name);
			return false;
		}
	}
	id.path = g_strdup(path);
	id.role = what;		/* "the same file as --trace (x)" */
	id.output = true;
	g_array_append_val(in->ids, id);
	return true;
}

bool out_check_stdout(const struct out_inputs *in, const char *what,
		      GError **err)
{
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) || !S_ISREG(st.st_mode))
		return true;
	for (guint i = 0; i < in->ids->len; i++) {
		const struct ident *o = &g_array_index(in->ids, struct ident,
						       i);
		char *why;

		if (o->name || o->dev != st.st_dev || o->ino != st.st_ino)
			continue;
		why = g_strdup_printf("(standard output) is the same file as "
				      "%s (%s)", o->role, o->path);
		refuse(err, "-", what, why);
		g_free(why);
		return false;
	}
	return true;
}

struct out_file {
	char *path;		/* as given */
	char *target;		/* the file renamed onto, NULL: in place */
	char *tmp;		/* the temporary file, or NULL */
	int fd;
	bool own_fd;		/* closed by us (not standard output) */
	FILE *f;
	int error;		/* errno of the first failed write, or 0 */
	bool finished;
};

static ssize_t cookie_write(void *c, const char *buf, size_t size)
{
	struct out_file *o = c;
	size_t done = 0;

	if (o->error) {
		errno = o->error;
		return 0;
	}
	while (done < size) {
		ssize_t n = write(o->fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->error = n < 0 ? errno : ENOSPC;
			errno = o->error;
			return 0;	/* glibc: 0 is an error */
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int cookie_close(void *c)
{
	struct out_file *o = c;

	if (o->own_fd && close(o->fd) && !o->error)
		o->error = errno;
	o->fd = -1;
	return o->error ? -1 : 0;
}

/* A message naming the file and the cause, in plain words. */
static bool write_fail(struct out_file *o, int e, GError **err)
{
	const char *why = e == EFBIG ? "the file is too large (the file "
		"size limit, ulimit -f, or the filesystem's)" :
		e == ENOSPC ? "the disk is full" :
		e == EPIPE ? "the reader of the pipe went away" : NULL;

	const char *name = strcmp(o->path, "-") ? o->path :
			   "standard output";

	if (!o->error)
		o->error = e;
	if (why)
		g_set_error(err, OUT_ERROR, OUT_ERROR_WRITE, "%s: cannot "
			    "write: %s (%s)", name, why, g_strerror(e));
	else
		g_set_error(err, OUT_ERROR, OUT_ERROR_WRITE, "%s: cannot "
			    "write: %s", name, g_strerror(e));
	return false;
}

/* A temporary file beside `target`, with the target's mode if it has one. */
static int open_temp(struct out_file *o, GError **err)
{
	char *dir = g_path_get_dirname(o->target);
	char *base = g_path_get_basename(o->target);
	/* within NAME_MAX (255) whatever the target's name */
	char *name = g_strdup_printf(".%.200s.XXXXXX", base);
	struct stat st;
	int fd;

	o->tmp = g_build_filename(dir, name, NULL);
	fd = g_mkstemp_full(o->tmp, O_WRONLY | O_CLOEXEC, 0666);
	if (fd < 0) {
		g_set_error(err, OUT_ERROR, OUT_ERROR_WRITE, "%s: cannot "
			    "create a file in %s: %s", o->path, dir,
			    g_strerror(errno));
		g_clear_pointer(&o->tmp, g_free);
	} else if (!stat(o->target, &st)) {
		if (fchmod(fd, st.st_mode & 07777)) {
			/* the default mode is as good */
		}
	}
	g_free(dir);
	g_free(base);
	g_free(name);
	return fd;
}

struct out_file *out_file_open(const char *path, GError **err)
{
	static const cookie_io_functions_t io = {
		.write = cookie_write, .close = cookie_close,
	};
	struct out_file *o = g_new0(struct out_file, 1);
	struct stat st;

	o->path = g_strdup(path);
	o->fd = -1;
	if (!strcmp(path, "-")) {
		fflush(stdout);
		o->fd = STDOUT_FILENO;
	} else if (!stat(path, &st) && (!S_ISREG(st.st_mode) ||
					g_str_has_prefix(path, "/dev/") ||
					g_str_has_prefix(path, "/proc/"))) {
		/*
		 * A terminal, /dev/null, a FIFO, or /dev/stdout redirected
		 * to a file: written in place, appending to what the shell
		 * opened (never renamed over a device).
		 */
		o->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		o->own_fd = true;
		if (o->fd < 0)
			g_set_error(err, OUT_ERROR, OUT_ERROR_WRITE, "%s: %s",
				    path, g_strerror(errno));
	} else if (!access(path, F_OK) && access(path, W_OK)) {
		/* a file we may not write is not replaced either */
		g_set_error(err, OUT_ERROR, OUT_ERROR_WRITE, "%s: %s", path,
			    g_strerror(errno));
	} else {
		char *real = realpath(path, NULL);

		o->target = real ? g_strdup(real) : g_strdup(path);
		free(real);
		o->fd = open_temp(o, err);
		o->own_fd = true;
	}
	if (o->fd < 0) {
		out_file_abort(o);
		return NULL;
	}
	o->f = fopencookie(o, "w", io);
	if (!o->f) {
		g_set_error(err, OUT_ERROR, OUT_ERROR_WRITE, "%s: %s", path,
			    g_strerror(errno));
		out_file_abort(o);
		return NULL;
	}
	return o;
}

FILE *out_file_stream(struct out_file *o)
{
	return o->f;
}

const char *out_file_path(const struct out_file *o)
{
	return o->path;
}

bool out_file_failed(const struct out_file *o)
{
	return o->error || (o->f && ferror(o->f));
}

bool out_file_finish(struct out_file *o, GError **err)
{
	FILE *f = o->f;

	if (o->finished)
		return !o->error || write_fail(o, o->error, err);
	o->finished = true;
	o->f = NULL;
	if (fflush(f) && !o->error)
		o->error = errno ? errno : EIO;
	if (ferror(f) && !o->error)
		o->error = EIO;
	/* a file (not a pipe or terminal) reaches the disk before rename */
	if (!o->error && o->tmp && fsync(o->fd))
		o->error = errno;
	if (fclose(f) && !o->error)
		o->error = errno ? errno : EIO;
	if (o->error)
		return write_fail(o, o->error, err);
	return true;
}

/* Make a rename in `path`'s folder last: sync the folder (best effort). */
static void sync_dir_of(const char *path)
{
	char *dir = g_path_get_dirname(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		if (fsync(fd)) {
			/* some filesystems cannot; the rename stands */
		}
		close(fd);
	}
	g_free(dir);
}

bool out_file_commit(struct out_file *o, GError **err)
{
	bool ok = out_file_finish(o, err);

	if (ok && o->tmp) {
		if (rename(o->tmp, o->target)) {
			ok = write_fail(o, errno, err);
		} else {
			g_clear_pointer(&o->tmp, g_free);
			sync_dir_of(o->target);
		}
	}
	out_file_abort(o);	/* removes a temporary file left */
	return ok;
}

void out_file_abort(struct out_file *o)
{
	if (!o)
		return;
	if (o->f)
		fclose(o->f);	/* closes our descriptor, not stdout */
	else if (o->own_fd && o->fd >= 0)
		close(o->fd);
	if (o->tmp)
		g_unlink(o->tmp);
	g_free(o->tmp);
	g_free(o->target);
	g_free(o->path);
	g_free(o);
}

bool out_write_contents(const char *path, const void *data, size_t len,
			GError **err)
{
	struct out_file *o = out_file_open(path, err);

	if (!o)
		return false;
	if (len && fwrite(data, 1, len, o->f) != len && !o->error)
		o->error = EIO;
	return out_file_commit(o, err);
}
