# SPDX-License-Identifier: GPL-2.0
# armature: build the modules against a kernel, install them, test them.
#
#   make                    modules for the stock kernel (Debian's newest 6.12 arm64)
#   make KERNEL=6.1         modules for another Debian arm64 kernel, fetched
#   make KDIR=<tree>        modules for any prepared kernel tree
#   make install            into /lib/modules/<release>/updates (INSTALL_MOD_PATH)
#   make deb                build/deb/armature-dkms_<version>_all.deb, for DKMS
#                           (Documentation/install.rst)
#   make check              every test; ends with "N passed, N failed"
#   make check-matrix       make check, and smoke runs on the cloud and rt
#                           kernels and KUnit on an RT debug kernel
#   make check-dkms         make deb, lintian, DKMS on it in a sandbox, booted
#   make stress             the long forms of make check's bounded tests
#   make demo               the stock kernel in QEMU, the suite loaded, perf list
#   make bench              benchmarks against the kernel's own code, as ratios
#   make size               module sizes of what a machine loads, against upstream's
#
# Objects go to build/<kernel release>/, so several kernels can be built side
# by side from one checkout.

ARMATURE_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# KERNEL names a Debian arm64 kernel to fetch (once, cached) and build for:
# stock (the default), a series such as 6.1 or 6.12-16k, or a release such
# as 6.1.0-57-arm64 (tools/qemu/fetch-kernel). Fetched only when a target
# needs it, and only when KDIR is not given.
KERNEL ?= stock
KDIR ?= $(eval KDIR := $(shell $(ARMATURE_ROOT)/tools/qemu/fetch-kernel $(KERNEL)))$(KDIR)
ifneq ($(shell uname -m),aarch64)
  export ARCH := arm64
  export CROSS_COMPILE ?= aarch64-linux-gnu-
endif

# The release the kernel reports (uname -r), where its modules live: Debian's
# headers have the upstream version in include/config/kernel.release.
krel = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
have_kunit = $(shell grep -qx 'CONFIG_KUNIT=y' $(KDIR)/.config 2>/dev/null && echo y)
have_acpi = $(shell grep -qx 'CONFIG_ACPI=y' $(KDIR)/.config 2>/dev/null && echo y)
have_qcom_scm = $(shell grep -qE '^CONFIG_QCOM_SCM=(y|m)$$' $(KDIR)/.config 2>/dev/null && echo y)

BUILD_DIR ?= $(ARMATURE_ROOT)/build/$(krel)

# TESTS=n leaves out the test-only modules (make install does).
TESTS ?= y
config-opts = CONFIG_ARMATURE_KCPP=m \
	CONFIG_ARMATURE_IO_PGTABLE=m CONFIG_ARMATURE_IO_PGTABLE_LPAE=m CONFIG_ARMATURE_IO_PGTABLE_V7S=m \
	CONFIG_ARMATURE_IO_PGTABLE_DART=m \
	CONFIG_ARMATURE_ARM_CSPMU=m CONFIG_ARMATURE_NVIDIA_CSPMU=m CONFIG_ARMATURE_AMPERE_CSPMU=m \
	CONFIG_ARMATURE_ARM_SPE_PMU=m \
	CONFIG_ARMATURE_GUNYAH=m CONFIG_ARMATURE_GUNYAH_QCOM=m \
	$(if $(have_qcom_scm),CONFIG_ARMATURE_KCPP_QCOM_SCM=m CONFIG_ARMATURE_GUNYAH_QCOM_SCM=m) \
	$(if $(filter y,$(TESTS)),CONFIG_ARMATURE_KCPP_TEST_MODULES=m CONFIG_ARMATURE_IO_PGTABLE_HARNESS=m \
		CONFIG_ARMATURE_ARM_SPE_SIM=m CONFIG_ARMATURE_GUNYAH_SIM=m \
		$(if $(have_acpi),CONFIG_ARMATURE_CSPMU_APMT_FIXTURE=m CONFIG_ARMATURE_SPE_ACPI_FIXTURE=m) \
		$(if $(have_kunit),CONFIG_ARMATURE_KCPP_KUNIT_TEST=m CONFIG_ARMATURE_IO_PGTABLE_KUNIT_TEST=m \
			CONFIG_ARMATURE_ARM_CSPMU_KUNIT_TEST=m CONFIG_ARMATURE_ARM_SPE_KUNIT_TEST=m \
			CONFIG_ARMATURE_GUNYAH_KUNIT_TEST=m))

kbuild = $(MAKE) -C $(KDIR) M=$(BUILD_DIR) ARMATURE_ROOT=$(ARMATURE_ROOT) \
	PAHOLE=$(ARMATURE_ROOT)/scripts/pahole-cxx $(config-opts)

# Directories with Kbuild files, mirrored into the build directory as
# symlinks (Kbuild writes its objects next to the sources).
kbuild-dirs := kcpp drivers tests/modules tests/kunit

.PHONY: all modules install deb check check-matrix check-dkms stress demo bench size host-test clean help

all: modules

modules:
	@test -n "$(krel)" || { echo "error: $(KDIR) is not a prepared kernel tree" >&2; exit 1; }
	@mkdir -p $(BUILD_DIR)
	@cp -f --symbolic-link $(ARMATURE_ROOT)/Kbuild $(BUILD_DIR)/Kbuild
	@cd $(ARMATURE_ROOT) && for d in $(kbuild-dirs); do \
		[ ! -d $$d ] || { mkdir -p $(BUILD_DIR)/$$(dirname $$d) && \
		cp -rf --symbolic-link $(ARMATURE_ROOT)/$$d $(BUILD_DIR)/$$(dirname $$d)/; } || exit 1; \
	done
	+$(kbuild) modules
	@$(ARMATURE_ROOT)/scripts/check-ko $(KDIR) $(BUILD_DIR)

# Installs what users run, not the tests, from a build of its own. Modules
# are installed unsigned (the distribution's signing key is not ours).
install:
	$(MAKE) -f $(ARMATURE_ROOT)/Makefile KDIR=$(KDIR) TESTS=n BUILD_DIR=$(BUILD_DIR)-release modules
	$(MAKE) -C $(KDIR) M=$(BUILD_DIR)-release INSTALL_MOD_DIR=updates CONFIG_MODULE_SIG_ALL= modules_install
	depmod -b $(or $(INSTALL_MOD_PATH),/) $(krel)

deb:
	@$(ARMATURE_ROOT)/tools/deb

check:
	@$(ARMATURE_ROOT)/tools/check

check-matrix:
	@$(ARMATURE_ROOT)/tools/check --matrix

check-dkms:
	@$(ARMATURE_ROOT)/tools/dkms-check

stress:
	@$(ARMATURE_ROOT)/tools/stress

demo:
	@$(ARMATURE_ROOT)/tools/qemu/demo

bench:
	@$(ARMATURE_ROOT)/tools/qemu/bench

size:
	@$(ARMATURE_ROOT)/tools/size

host-test:
	@$(ARMATURE_ROOT)/tests/host/run

clean:
	rm -rf $(ARMATURE_ROOT)/build

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' $(ARMATURE_ROOT)/Makefile
