/*
 * sched.c - coroutine tasks on ucontext, with sleeping and waking.
 *
 * Only one task runs at a time and only the event loop switches into one,
 * so there are never two live switches: main -> task -> main.  Stack
 * switches are announced to AddressSanitizer (fiber annotations) and to
 * valgrind (stack registration) so that both keep working on the task
 * stacks.
 */
#include "config.h"
#include "sim/sched.h"

#include <glib.h>
#include <ucontext.h>

#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define MPSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MPSIM_ASAN 1
#endif
#endif

#ifdef MPSIM_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

#define TASK_STACK_SIZE (256 * 1024)

struct task_ctx {
	ucontext_t uc;
	void *stack;
	unsigned valgrind_id;
};

struct task *current;
void (*sched_flush_plug_hook)(struct task *t);
void (*sched_exit_io_hook)(struct task *t);

static struct {
	GPtrArray *tasks;
	ucontext_t main_uc;
#ifdef MPSIM_ASAN
	const void *main_stack_bottom;
	size_t main_stack_size;
	void *fake_stack;
#endif
} sched;

void sched_init(void)
{
	sched_destroy();
	sched.tasks = g_ptr_array_new();
}

static void task_free(struct task *t)
{
#ifdef HAVE_VALGRIND_VALGRIND_H
	VALGRIND_STACK_DEREGISTER(t->ctx->valgrind_id);
#endif
	g_free(t->ctx->stack);
	g_free(t->ctx);
	g_free(t->name);
	g_free(t);
}

void sched_destroy(void)
{
	if (!sched.tasks)
		return;
	for (guint i = 0; i < sched.tasks->len; i++)
		task_free(sched.tasks->pdata[i]);
	g_ptr_array_free(sched.tasks, TRUE);
	sched.tasks = NULL;
	current = NULL;
}

/* Switch from the event loop into task t, until it sleeps or ends. */
static void switch_to_task(struct task *t)
{
	g_assert(current == NULL);
	current = t;
	t->running = true;
#ifdef MPSIM_ASAN
	__sanitizer_start_switch_fiber(&sched.fake_stack, t->ctx->stack,
				       TASK_STACK_SIZE);
#endif
	swapcontext(&sched.main_uc, &t->ctx->uc);
#ifdef MPSIM_ASAN
	__sanitizer_finish_switch_fiber(sched.fake_stack, NULL, NULL);
#endif
	t->running = false;
	current = NULL;
}

/* Switch from the running task back to the event loop. */
static void switch_to_loop(bool exiting)
{
	struct task *t = current;
#ifdef MPSIM_ASAN
	void *fake = NULL;

	__sanitizer_start_switch_fiber(exiting ? NULL : &fake,
				       sched.main_stack_bottom,
				       sched.main_stack_size);
#else
	(void)exiting;
#endif
	swapcontext(&t->ctx->uc, &sched.main_uc);
#ifdef MPSIM_ASAN
	__sanitizer_finish_switch_fiber(fake, &sched.main_stack_bottom,
					&sched.main_stack_size);
#endif
}

static void task_trampoline(void)
{
	struct task *t = current;

#ifdef MPSIM_ASAN
	__sanitizer_finish_switch_fiber(NULL, &sched.main_stack_bottom,
					&sched.main_stack_size);
#endif
	t->start_ns = ev_now();
	t->fn(t->arg);
	/* A task ends like do_exit(): whatever is plugged is flushed. */
	if (sched_flush_plug_hook)
		sched_flush_plug_hook(t);
	if (sched_exit_io_hook)
		sched_exit_io_hook(t);
	t->finished = true;
	t->end_ns = ev_now();
	switch_to_loop(true);
	g_assert_not_reached();
}

static void run_task_event(void *arg)
{
	struct task *t = arg;

	t->queued_to_run = false;
	if (!t->finished)
		switch_to_task(t);
}

struct task *task_create(const char *name, simtime_t start, task_fn fn,
			 void *arg)
{
	struct task *t = g_new0(struct task, 1);

	t->id = (int)sched.tasks->len + 1;
	t->name = g_strdup(name);
	t->fn = fn;
	t->arg = arg;
	/* copy_process() - kernel/fork.c: 128 KiB of 4 KiB pages */
	t->nr_dirtied_pause = 128 >> (12 - 10);
	t->ctx = g_new0(struct task_ctx, 1);
	t->ctx->stack = g_malloc(TASK_STACK_SIZE);
#ifdef HAVE_VALGRIND_VALGRIND_H
	t->ctx->valgrind_id = VALGRIND_STACK_REGISTER(
		t->ctx->stack, (char *)t->ctx->stack + TASK_STACK_SIZE);
#endif
	getcontext(&t->ctx->uc);
	t->ctx->uc.uc_stack.ss_sp = t->ctx->stack;
	t->ctx->uc.uc_stack.ss_size = TASK_STACK_SIZE;
	t->ctx->uc.uc_link = NULL;
	makecontext(&t->ctx->uc, task_trampoline, 0);
	g_ptr_array_add(sched.tasks, t);
	t->queued_to_run = true;
	ev_at(start, run_task_event, t);
	return t;
}

struct task *const *sched_tasks(int *n)
{
	*n = (int)sched.tasks->len;
	return (struct task *const *)sched.tasks->pdata;
}

int sched_unfinished(void)
{
	int n = 0;

	for (guint i = 0; i < sched.tasks->len; i++)
		n += !((struct task *)sched.tasks->pdata[i])->finished;
	return n;
}

void sched_wait(struct wait_queue_head *wq)
{
	struct task *t = current;

	g_assert(t != NULL);
	if (sched_flush_plug_hook)
		sched_flush_plug_hook(t);
	t->wait_next = NULL;
	if (wq->last)
		wq->last->wait_next = t;
	else
		wq->first = t;
	wq->last = t;
	switch_to_loop(false);
}

/* Make a task taken off a wait queue run at the current time. */
static void wake_task(struct task *t)
{
	t->wait_next = NULL;
	if (!t->queued_to_run) {
		t->queued_to_run = true;
		ev_at(ev_now(), run_task_event, t);
	}
}

void wake_up_all(struct wait_queue_head *wq)
{
	struct task *t = wq->first;

	wq->first = wq->last = NULL;
	while (t) {
		struct task *next = t->wait_next;

		wake_task(t);
		t = next;
	}
}

void wake_up(struct wait_queue_head *wq)
{
	struct task *t = wq->first;

	if (!t)
		return;
	wq->first = t->wait_next;
	if (!wq->first)
		wq->last = NULL;
	wake_task(t);
}

void cond_resched(void)
{
	if (current && ev_stop_requested())
		switch_to_loop(false);	/* never woken: the run is over */
}

void sched_sleep(simtime_t ns)
{
	struct task *t = current;

	g_assert(t != NULL);
	if (sched_flush_plug_hook)
		sched_flush_plug_hook(t);
	t->queued_to_run = true;
	ev_after(ns, run_task_event, t);
	switch_to_loop(false);
}

void sched_busy(simtime_t ns)
{
	struct task *t = current;

	g_assert(t != NULL);
	if (ns <= 0)
		return;
	t->queued_to_run = true;
	ev_after(ns, run_task_event, t);
	switch_to_loop(false);
}
