/*
 * keys.h - the catalogue of every scenario key (see keys.c): what the
 * loader checks keys against and what `mpsim keys` prints.
 */
#ifndef MPSIM_SCENARIO_KEYS_H
#define MPSIM_SCENARIO_KEYS_H

#include <glib.h>
#include <stdbool.h>

struct scen_key {
	const char *group;	/* "fs", or "file" for every [file.NAME] */
	const char *name;
	const char *type;	/* number, size, duration, on/off, word, list,
				 * text */
	const char *unit;	/* what a bare number means, or NULL */
	const char *def;	/* the default; "" none; NULL required, or
				 * per preset for [disk] */
	const char *meaning;	/* one line */
};

/* Every key, grouped, in the order `mpsim keys` lists them. */
const struct scen_key *scen_keys(size_t *n);

/* The catalogue's group for a scenario group ("file.a" -> "file"), or NULL. */
const char *scen_key_group_of(const char *group);
/* How a catalogue group is written in a file ("file" -> "file.NAME"). */
const char *scen_key_group_shown(const char *group);

/* The key `name` of scenario group `group`, or NULL. */
const struct scen_key *scen_key_find(const char *group, const char *name);

/* The names of a group's keys, NULL-terminated (free the array only). */
GPtrArray *scen_key_names(const char *group);
/*
 * The groups in catalogue order (free the array only): as written in a
 * file ("file.NAME") when `shown`, else as the catalogue names them.
 */
GPtrArray *scen_key_groups(bool shown);

/* "unknown key (did you mean X?); known keys: ..." for messages. */
char *scen_key_unknown_message(const char *group, const char *name);

#endif /* MPSIM_SCENARIO_KEYS_H */
