/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the TTP tools (scripts/ttpcat.c, ttpping.c) share: the address
 * family number and the way they die.  Included once, by one .c file.
 */
#ifndef TTP_TOOL_H
#define TTP_TOOL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ttp.h>

/*
 * AF_TTP's number: the module takes a free one when 25 is taken (its
 * parameter "family"), so the tools ask the module, or $TTP_FAMILY.
 */
static int family = AF_TTP;

static void read_family(void)
{
	const char *env = getenv("TTP_FAMILY");
	FILE *f;

	if (env) {
		family = atoi(env);
		return;
	}
	f = fopen("/sys/module/ttp/parameters/family", "r");
	if (f) {
		if (fscanf(f, "%d", &family) != 1)
			family = AF_TTP;
		fclose(f);
	}
}

/*
 * "TOOL: CALL: strerror (ERRNO_NAME)", then exit with @status: tests and
 * students see exactly which errno the kernel gave.
 */
static void ttp_tool_die(const char *call, int status)
{
	int e = errno;

	fprintf(stderr, "%s: %s: %s (%s)\n", program_invocation_short_name,
		call, strerror(e),
		strerrorname_np(e) ? strerrorname_np(e) : "?");
	exit(status);
}

#endif
