// SPDX-License-Identifier: GPL-2.0
/*
 * perf_open: opens one perf event from the attr fields on its command line
 * and prints "ok" or the errno's name, for tests of a PMU's event_init that
 * the perf tool cannot reach (perf fixes freq, period and exclusions for
 * SPE itself).
 *
 *   perf_open pmu=arm_spe_0 config=0x2 exclude_kernel=1 [aux_pages=N]
 *             [period=N] [freq=1] [new_period=N] [spin_ms=N] ...
 *
 * With aux_pages the event is also enabled over an AUX area of N pages;
 * new_period then goes through PERF_EVENT_IOC_PERIOD, whose result is
 * printed as a second word. spin_ms (with aux_pages) then keeps this CPU
 * busy in user space for N ms, disables the event and prints the AUX
 * bytes the PMU wrote as the last word. Exit status 0 when every step
 * succeeded.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The libc headers predate config3 (perf_event_attr size 136 since 6.3). */
struct attr_v8 {
	struct perf_event_attr attr;
	uint64_t config3;
} __attribute__((packed));

static const char *errno_name(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ENOMEM: return "ENOMEM";
	case EBUSY: return "EBUSY";
	case E2BIG: return "E2BIG";
	case EIO: return "EIO";
	default: return "EOTHER";
	}
}

static int pmu_type(const char *pmu)
{
	char path[256];
	FILE *f;
	int type = -1;

	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type", pmu);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%d", &type) != 1)
		type = -1;
	if (f)
		fclose(f);
	return type;
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000ull + t.tv_nsec / 1000000;
}

/* Busy in user space for ms milliseconds, then the event disabled: its
 * stop publishes the AUX bytes written meanwhile in aux_head. */
static int spin(int fd, uint64_t ms)
{
	static volatile uint64_t sink[64];
	uint64_t end = now_ms() + ms;

	for (uint64_t i = 0; now_ms() < end; i++)
		sink[i % 64] += i;
	return ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
}

int main(int argc, char **argv)
{
	struct perf_event_mmap_page *user = NULL;
	struct attr_v8 a;
	const char *pmu = "arm_spe_0";
	long page = sysconf(_SC_PAGESIZE);
	uint64_t aux_pages = 0, new_period = 0, spin_ms = 0;
	int cpu = -1, fd, i;

	memset(&a, 0, sizeof(a));
	a.attr.size = sizeof(a);
	a.attr.disabled = 1;
	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		uint64_t v;

		if (!eq) {
			fprintf(stderr, "perf_open: %s is not key=value\n", argv[i]);
			return 2;
		}
		*eq = 0;
		v = strtoull(eq + 1, NULL, 0);
		if (!strcmp(argv[i], "pmu")) pmu = eq + 1;
		else if (!strcmp(argv[i], "config")) a.attr.config = v;
		else if (!strcmp(argv[i], "config1")) a.attr.config1 = v;
		else if (!strcmp(argv[i], "config2")) a.attr.config2 = v;
		else if (!strcmp(argv[i], "config3")) a.config3 = v;
		else if (!strcmp(argv[i], "period")) a.attr.sample_period = v;
		else if (!strcmp(argv[i], "freq")) a.attr.freq = v;
		else if (!strcmp(argv[i], "exclude_kernel")) a.attr.exclude_kernel = v;
		else if (!strcmp(argv[i], "exclude_user")) a.attr.exclude_user = v;
		else if (!strcmp(argv[i], "exclude_idle")) a.attr.exclude_idle = v;
		else if (!strcmp(argv[i], "exclude_hv")) a.attr.exclude_hv = v;
		else if (!strcmp(argv[i], "cpu")) cpu = (int)v;
		else if (!strcmp(argv[i], "aux_pages")) aux_pages = v;
		else if (!strcmp(argv[i], "new_period")) new_period = v;
		else if (!strcmp(argv[i], "spin_ms")) spin_ms = v;
		else {
			fprintf(stderr, "perf_open: unknown key %s\n", argv[i]);
			return 2;
		}
	}
	if (spin_ms && !aux_pages) {
		fprintf(stderr, "perf_open: spin_ms needs aux_pages\n");
		return 2;
	}
	a.attr.type = pmu_type(pmu);
	if ((int)a.attr.type < 0) {
		fprintf(stderr, "perf_open: no PMU %s\n", pmu);
		return 2;
	}
	fd = syscall(SYS_perf_event_open, &a, cpu < 0 ? 0 : -1, cpu, -1, 0);
	if (fd < 0) {
		printf("%s\n", errno_name(errno));
		return 1;
	}
	if (aux_pages) {
		/* The ring buffer (one data page), then the AUX area after it. */
		void *base = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		void *aux;

		if (base == MAP_FAILED) {
			printf("mmap %s\n", errno_name(errno));
			return 1;
		}
		user = base;
		user->aux_offset = 2 * page;
		user->aux_size = aux_pages * page;
		aux = mmap(NULL, aux_pages * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			   2 * page);
		if (aux == MAP_FAILED) {
			printf("aux %s\n", errno_name(errno));
			return 1;
		}
		if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0)) {
			printf("enable %s\n", errno_name(errno));
			return 1;
		}
	}
	printf("ok");
	if (new_period) {
		if (ioctl(fd, PERF_EVENT_IOC_PERIOD, &new_period)) {
			printf(" %s\n", errno_name(errno));
			return 1;
		}
		printf(" ok");
	}
	if (spin_ms) {
		if (spin(fd, spin_ms)) {
			printf(" disable %s\n", errno_name(errno));
			return 1;
		}
		printf(" %llu", (unsigned long long)__atomic_load_n(&user->aux_head,
								    __ATOMIC_ACQUIRE));
	}
	printf("\n");
	return 0;
}
