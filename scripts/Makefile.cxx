# SPDX-License-Identifier: GPL-2.0
# Kbuild rules for freestanding C++ in kernel modules. Included by every
# Kbuild file that lists a .cpp object; needs ARMATURE_ROOT (set by the top
# Kbuild).
#
# The C++ flags are the kernel's own c_flags for the object (so arch, ABI,
# stack protector, branch protection, patchable entries and sanitizers match
# the kernel exactly) less what is C-only, with the kernel's include paths
# reduced to the UAPI ones: C++ cannot reach a kernel-internal header.

CXX := $(subst gcc,g++,$(CC))

# C glue includes the C-compatible ABI headers of include/kcpp, and both
# languages kcpp_compat.h (made by the top Kbuild, which sets ARMATURE_OBJ;
# modules built without it, such as the bench's, have none).
ccflags-y += -I$(ARMATURE_ROOT)/include $(if $(ARMATURE_OBJ),-I$(ARMATURE_OBJ))

cxx-drop := -D__KERNEL__ -std=gnu11 -std=gnu89 -Wstrict-prototypes -Werror=strict-prototypes \
	-Wdeclaration-after-statement -Wno-pointer-sign -Wmissing-prototypes \
	-Wold-style-definition -Wno-override-init -Wenum-conversion \
	-Werror=implicit-function-declaration -Werror=implicit-int \
	-Werror=incompatible-pointer-types -Werror=designated-init \
	-Wno-alloc-size-larger-than

# -include of compiler-version.h, kconfig.h and compiler_types.h: the files
# do not parse as C++, and C++ uses none of their definitions.
cxx-forced-includes = -include $(filter %/compiler-version.h %/kconfig.h %/compiler_types.h,$(c_flags))

# The kernel's -I paths, minus every non-UAPI one.
cxx-kernel-includes = $(filter-out -I%,$(1)) $(filter -I%/uapi,$(1))

# libstdc++'s header-only freestanding parts (<type_traits>, <bit>, ...).
cxx-stdlib-dirs := $(shell $(CXX) -xc++ -E -v /dev/null 2>&1 | \
	sed -n '/search starts here/,/End of search/{s/^ \(.*c++.*\)/\1/p}' | grep -v backward)

# The kernel has no libgcc: atomics builtins must be inline, not calls to
# libgcc's __aarch64_* (LL/SC is correct on every arm64 CPU).
cxx-arch-flags := $(if $(CONFIG_ARM64),-mno-outline-atomics)

cxx_flags = $(call cxx-kernel-includes,$(filter-out $(cxx-drop) $(cxx-forced-includes),$(c_flags))) \
	-D__EXPORTED_HEADERS__ -std=gnu++20 -fno-exceptions -fno-rtti -fno-threadsafe-statics \
	-fno-use-cxa-atexit -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-gnu-unique -nostdinc++ $(cxx-arch-flags) \
	$(addprefix -isystem ,$(cxx-stdlib-dirs)) \
	-isystem $(ARMATURE_ROOT)/include/kcpp/freestanding \
	-I$(ARMATURE_ROOT)/include $(if $(ARMATURE_OBJ),-I$(ARMATURE_OBJ)) -I$(obj) \
	$(CXXFLAGS_$(target-stem).o) $(cxxflags-y)

quiet_cmd_cxx_o_cpp = CXX $(quiet_modtag) $@
      cmd_cxx_o_cpp = $(CXX) $(cxx_flags) -c -o $@ $<

$(obj)/%.o: $(src)/%.cpp $(obj)/kcpp_layout.h FORCE
	$(call if_changed_dep,cxx_o_cpp)

# Sizes, alignments and constants of the kernel structures that C++ code
# embeds, generated per directory from kcpp/layout.c for the kernel being
# built against (lockdep, KASAN and friends change them).
quiet_cmd_kcpp_layout_s = CC $(quiet_modtag) $@
      cmd_kcpp_layout_s = $(CC) $(c_flags) -S -o $@ $<

$(obj)/kcpp_layout.s: $(ARMATURE_ROOT)/kcpp/layout.c FORCE
	$(call if_changed_dep,kcpp_layout_s)

$(obj)/kcpp_layout.h: $(obj)/kcpp_layout.s FORCE
	$(call filechk,offsets,KCPP_LAYOUT_H)

targets += kcpp_layout.s kcpp_layout.h
