// SPDX-License-Identifier: GPL-2.0
/*
 * runas: runs a command as another user, for tests of what an unprivileged
 * user may do (the guest's busybox has no su).
 *
 *   runas UID COMMAND [ARG...]     group = UID, no supplementary groups
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t id;

	if (argc < 3) {
		fprintf(stderr, "usage: runas UID COMMAND [ARG...]\n");
		return 2;
	}
	id = (uid_t)strtoul(argv[1], NULL, 0);
	if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
		perror("runas");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror("runas: exec");
	return 127;
}
