// SPDX-License-Identifier: GPL-2.0
/*
 * gunyah-vm: creates a Gunyah VM through /dev/gunyah and lends or shares it
 * anonymous memory, then reclaims it (include/uapi/linux/gunyah.h).
 *
 *   gunyah-vm [options] lend|share PAGES
 *
 *   -c COUNT   regions of PAGES pages each (default 1), labels 0..COUNT-1
 *   -g ADDR    guest address of the first region (default 0x80000000)
 *   -G BYTES   guest distance between regions (default: the region size;
 *              0 makes them overlap)
 *   -r RIGHTS  the VM's access: r, rw, rx or rwx (default rw)
 *   -s         sparse: physically non-contiguous pages, so the parcel's
 *              list has one entry per page (faulted in turn with a spacer
 *              mapping's, checked in /proc/self/pagemap when readable)
 *   -m KIND    anon (default), file (a private mapping of a memfd: COW),
 *              shared (MAP_SHARED|MAP_ANONYMOUS) or hole (anonymous, its
 *              last page unmapped): all but anon are refused
 *   -a BYTES   add BYTES to the user address (misalignment tests)
 *   -S BYTES   memory_size to ask for instead of PAGES pages
 *   -u UID     after opening /dev/gunyah, become UID (drops CAP_IPC_LOCK, so
 *              RLIMIT_MEMLOCK applies)
 *   -H         hold: after giving the memory, print "held ..." and sleep until
 *              killed (the kernel must reclaim at the process's death)
 *   -k         keep: exit without reclaiming (the VM file's release must)
 *   -w FILE    after opening /dev/gunyah, wait until FILE exists before
 *              creating the VM (tests of a file open across an unbind)
 *   -e ERRNO   expect this error (a name: EINVAL, ENOMEM, ...) at some step:
 *              exit 0 if it happens, 1 if everything succeeds
 *   -d PATH    the device (default /dev/gunyah)
 *
 * Prints one line per step, key=value:
 *   vm vmid=128
 *   lend label=0 pages=513 entries=513 handle=4 pinned=513
 *   reclaim label=0 pinned=0
 * Exits non-zero with "gunyah-vm: STEP: MESSAGE (errno=NAME)" on stderr at
 * the first error. Plain C, static, for the guest (tools/qemu/run builds it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>

#include <linux/gunyah.h>

static const char *expect_errno;
static long page_size;

static const struct {
	int value;
	const char *name;
} errnos[] = {
	{ EPERM, "EPERM" },   { ENOENT, "ENOENT" }, { EINTR, "EINTR" },   { EIO, "EIO" },
	{ E2BIG, "E2BIG" },   { EBADF, "EBADF" },   { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },   { EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { ENOTTY, "ENOTTY" },
	{ ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" }, { ETIMEDOUT, "ETIMEDOUT" }, { ENXIO, "ENXIO" },
	{ EREMOTEIO, "EREMOTEIO" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { EPROTO, "EPROTO" }, { EBADMSG, "EBADMSG" },
};

static const char *errno_name(int e)
{
	static char other[16];
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].value == e)
			return errnos[i].name;
	snprintf(other, sizeof(other), "%d", e);
	return other;
}

/* The step failed with errno e: the end of the program. */
static void __attribute__((noreturn, format(printf, 2, 3))) fail(int e, const char *fmt, ...)
{
	va_list args;

	if (expect_errno && e && !strcmp(expect_errno, errno_name(e))) {
		printf("expected errno=%s\n", expect_errno);
		exit(0);
	}
	fprintf(stderr, "gunyah-vm: ");
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	if (e)
		fprintf(stderr, ": %s (errno=%s)", strerror(e), errno_name(e));
	fputc('\n', stderr);
	exit(1);
}

static unsigned long long number(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end)
		fail(0, "%s: not a number: '%s'", what, s);
	return v;
}

static uint32_t rights(const char *s)
{
	if (!strcmp(s, "r"))
		return GUNYAH_MEM_ALLOW_READ;
	if (!strcmp(s, "rw"))
		return GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE;
	if (!strcmp(s, "rx"))
		return GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_EXEC;
	if (!strcmp(s, "rwx"))
		return GUNYAH_MEM_ALLOW_RWX;
	if (!strcmp(s, "w"))   /* refused by the kernel: no read */
		return GUNYAH_MEM_ALLOW_WRITE;
	fail(0, "-r: rights are r, rw, rx or rwx, not '%s'", s);
}

/* The PFNs of n pages from addr (0 where pagemap does not say: not root). */
static void pfns_of(int pagemap, const char *addr, size_t n, uint64_t *pfn)
{
	off_t off = (off_t)((uintptr_t)addr / page_size) * 8;
	size_t i;

	if (pagemap < 0 || pread(pagemap, pfn, n * 8, off) != (ssize_t)(n * 8))
		memset(pfn, 0, n * 8);
	for (i = 0; i < n; i++)
		pfn[i] = (pfn[i] & (1ULL << 63)) ? pfn[i] & ((1ULL << 55) - 1) : 0;
}

/*
 * pages pages of anonymous memory in one mapping, no page physically right
 * after the one before it, so a parcel's list has one entry per page. The
 * pages are faulted in turn with those of a spacer mapping: the allocator
 * hands out ascending PFNs from its per-CPU lists, so each page of ours is
 * followed by one of the spacer's. Where pagemap shows a page right after
 * its predecessor all the same, the page is dropped and faulted again after
 * another spacer page.
 */
static char *sparse_pages(size_t pages)
{
	size_t spare = pages + 4096, used = 0, i;
	int pagemap = open("/proc/self/pagemap", O_RDONLY), tries;
	uint64_t *pfn = calloc(pages, sizeof(*pfn));
	char *b, *a;

	a = mmap(NULL, spare * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b = mmap(NULL, pages * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!pfn || a == MAP_FAILED || b == MAP_FAILED)
		fail(errno, "mmap of %zu pages", spare + pages);
	madvise(a, spare * page_size, MADV_NOHUGEPAGE);
	madvise(b, pages * page_size, MADV_NOHUGEPAGE);
	for (i = 0; i < pages; i++) {
		b[i * page_size] = (char)i;
		a[used++ * page_size] = 1;
	}
	pfns_of(pagemap, b, pages, pfn);
	for (i = 1; i < pages; i++) {
		for (tries = 0; pfn[i] && pfn[i] == pfn[i - 1] + 1; tries++) {
			if (tries == 16 || used == spare)
				fail(0, "page %zu stays physically after page %zu", i, i - 1);
			madvise(b + i * page_size, page_size, MADV_DONTNEED);
			a[used++ * page_size] = 1;
			b[i * page_size] = (char)i;
			pfns_of(pagemap, b + i * page_size, 1, &pfn[i]);
		}
	}
	if (pagemap >= 0)
		close(pagemap);
	free(pfn);
	return b;
}

static char *memory(const char *kind, size_t pages, int sparse)
{
	size_t bytes = pages * page_size, i;
	char *p;

	if (!strcmp(kind, "anon") && sparse)
		return sparse_pages(pages);
	if (!strcmp(kind, "anon")) {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	} else if (!strcmp(kind, "shared")) {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	} else if (!strcmp(kind, "file")) {
		int fd = memfd_create("gunyah-vm", 0);

		if (fd < 0 || ftruncate(fd, (off_t)bytes))
			fail(errno, "memfd of %zu bytes", bytes);
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		close(fd);
	} else if (!strcmp(kind, "hole")) {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED && munmap(p + bytes - page_size, page_size))
			fail(errno, "munmap");
		pages--;
	} else {
		fail(0, "-m: anon, file, shared or hole, not '%s'", kind);
	}
	if (p == MAP_FAILED)
		fail(errno, "mmap of %zu pages (%s)", pages, kind);
	for (i = 0; i < pages; i++)
		p[i * page_size] = (char)i;
	return p;
}

static void usage(void)
{
	fprintf(stderr, "usage: gunyah-vm [-c COUNT] [-g ADDR] [-G BYTES] [-r RIGHTS] [-s] [-m anon|file|shared|hole]\n"
			"                 [-a BYTES] [-S BYTES] [-u UID] [-H] [-k] [-w FILE] [-e ERRNO] [-d PATH]\n"
			"                 lend|share PAGES\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/gunyah", *kind = "anon", *wait_for = NULL;
	unsigned long long guest = 0x80000000ULL, stride = 0, offset = 0, size = 0;
	int stride_set = 0, sparse = 0, hold = 0, keep = 0, opt, devfd, vmfd;
	long uid = -1;
	uint32_t flags = GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE;
	size_t count = 1, pages, i;
	struct gunyah_vm_info info;
	const char *op;

	page_size = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "c:g:G:r:sm:a:S:u:Hkw:e:d:")) != -1) {
		switch (opt) {
		case 'c': count = number(optarg, "-c"); break;
		case 'g': guest = number(optarg, "-g"); break;
		case 'G': stride = number(optarg, "-G"); stride_set = 1; break;
		case 'r': flags = rights(optarg); break;
		case 's': sparse = 1; break;
		case 'm': kind = optarg; break;
		case 'a': offset = number(optarg, "-a"); break;
		case 'S': size = number(optarg, "-S"); break;
		case 'u': uid = (long)number(optarg, "-u"); break;
		case 'H': hold = 1; break;
		case 'k': keep = 1; break;
		case 'w': wait_for = optarg; break;
		case 'e': expect_errno = optarg; break;
		case 'd': dev = optarg; break;
		default: usage();
		}
	}
	if (argc - optind != 2)
		usage();
	op = argv[optind];
	if (!strcmp(op, "lend"))
		flags |= GUNYAH_MEM_LENT;
	else if (strcmp(op, "share"))
		usage();
	pages = number(argv[optind + 1], "PAGES");
	if (!pages || !count)
		fail(0, "PAGES and COUNT must be at least 1");
	if (!size)
		size = (unsigned long long)pages * page_size;
	if (!stride_set)
		stride = (unsigned long long)pages * page_size;

	devfd = open(dev, O_RDWR | O_CLOEXEC);
	if (devfd < 0)
		fail(errno, "open %s", dev);
	if (uid >= 0 && (setgid((gid_t)uid) || setuid((uid_t)uid)))
		fail(errno, "setuid %ld", uid);
	if (wait_for) {
		printf("open %s\n", dev);
		while (access(wait_for, F_OK))
			usleep(10000);
	}
	vmfd = ioctl(devfd, GUNYAH_CREATE_VM, 0);
	if (vmfd < 0)
		fail(errno, "GUNYAH_CREATE_VM");
	if (ioctl(vmfd, GUNYAH_VM_GET_INFO, &info))
		fail(errno, "GUNYAH_VM_GET_INFO");
	printf("vm vmid=%u\n", info.vmid);

	for (i = 0; i < count; i++) {
		char *mem = memory(kind, pages, sparse);
		struct gunyah_userspace_memory_region region = {
			.label = (uint32_t)i,
			.flags = flags,
			.guest_phys_addr = guest + i * stride,
			.memory_size = size,
			.userspace_addr = (uintptr_t)mem + offset,
		};
		struct gunyah_vm_region_info ri = { .label = (uint32_t)i };

		if (ioctl(vmfd, GUNYAH_VM_SET_USER_MEM_REGION, &region))
			fail(errno, "%s of region %zu (%zu pages)", op, i, pages);
		if (ioctl(vmfd, GUNYAH_VM_GET_REGION, &ri) || ioctl(vmfd, GUNYAH_VM_GET_INFO, &info))
			fail(errno, "GUNYAH_VM_GET_REGION %zu", i);
		printf("%s label=%zu pages=%" PRIu64 " entries=%u handle=%u pinned=%" PRIu64 "\n", op,
		       i, (uint64_t)ri.pages, ri.sgl_entries, ri.mem_handle,
		       (uint64_t)info.pinned_pages);
		if (sparse && ri.sgl_entries != pages)
			fail(0, "sparse pages gave %u list entries, not %zu", ri.sgl_entries, pages);
	}
	if (hold) {
		printf("held pid=%ld vmid=%u pinned=%" PRIu64 "\n", (long)getpid(), info.vmid,
		       (uint64_t)info.pinned_pages);
		for (;;)
			pause();
	}
	if (keep) {
		printf("kept pinned=%" PRIu64 "\n", (uint64_t)info.pinned_pages);
		return 0;
	}
	for (i = count; i-- > 0;) {
		struct gunyah_userspace_memory_region region = { .label = (uint32_t)i };

		if (ioctl(vmfd, GUNYAH_VM_SET_USER_MEM_REGION, &region))
			fail(errno, "reclaim of region %zu", i);
		if (ioctl(vmfd, GUNYAH_VM_GET_INFO, &info))
			fail(errno, "GUNYAH_VM_GET_INFO");
		printf("reclaim label=%zu pinned=%" PRIu64 "\n", i, (uint64_t)info.pinned_pages);
	}
	if (info.pinned_pages || info.n_regions)
		fail(0, "%" PRIu64 " pages in %u regions left after reclaim",
		     (uint64_t)info.pinned_pages, info.n_regions);
	if (expect_errno)
		fail(0, "expected errno=%s, but every step succeeded", expect_errno);
	close(vmfd);
	close(devfd);
	return 0;
}
