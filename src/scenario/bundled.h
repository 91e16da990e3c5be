/*
 * bundled.h - the scenarios that come with mpsim, found by name.
 *
 * `mpsim run ext2-boundary` names a bundled scenario: a file NAME or
 * NAME.ini in the first of these folders that has one:
 *   1. $MPSIM_DATADIR/scenarios, when the variable is set;
 *   2. the source tree's scenarios/, when the running program is the one
 *      built in this build tree (so a built, not installed, mpsim finds
 *      them);
 *   3. the installed data folder, $(pkgdatadir)/scenarios.
 * Names may include a subfolder of those (`lab/hole-mid-page`).  An
 * argument that is an existing file, or that contains a '/' and is not a
 * bundled name, is a path and is used as it is.
 */
#ifndef MPSIM_SCENARIO_BUNDLED_H
#define MPSIM_SCENARIO_BUNDLED_H

#include <glib.h>

/* One bundled scenario. */
struct bundled_scenario {
	char *name;		/* as `mpsim run` takes it: no folder, no .ini */
	char *path;
	char *description;	/* [scenario] description, or "" */
};

/*
 * The folders searched, in order (a new array of new strings; only those
 * that apply on this machine, whether or not they exist).
 */
GPtrArray *bundled_dirs(void);

/*
 * The file a scenario argument names: the argument itself when it is an
 * existing file, else the bundled scenario of that name.  NULL, with a
 * message listing where it looked, when neither exists.
 */
char *bundled_find(const char *arg, GError **err);

/* Every bundled scenario of the first folder that has any, by name. */
GPtrArray *bundled_list(void);	/* struct bundled_scenario*, owned */

#endif /* MPSIM_SCENARIO_BUNDLED_H */
