// SPDX-License-Identifier: GPL-2.0
// kcpp's MMIO helpers (include/kcpp/abi.h) on the host: plain volatile
// accesses, so a kcpp::Mmio on an ordinary buffer is a register file in
// memory, as it is in KUnit (where readl()/writel() work on RAM too).
#include <kcpp/abi.h>

extern "C" {

__u32 kcpp_readl(const volatile void *addr) { return *static_cast<const volatile __u32 *>(addr); }
void kcpp_writel(__u32 value, volatile void *addr) { *static_cast<volatile __u32 *>(addr) = value; }
__u64 kcpp_readq(const volatile void *addr) { return *static_cast<const volatile __u64 *>(addr); }
void kcpp_writeq(__u64 value, volatile void *addr) { *static_cast<volatile __u64 *>(addr) = value; }
__u32 kcpp_readl_relaxed(const volatile void *addr) { return kcpp_readl(addr); }
void kcpp_writel_relaxed(__u32 value, volatile void *addr) { kcpp_writel(value, addr); }
__u64 kcpp_readq_relaxed(const volatile void *addr) { return kcpp_readq(addr); }
void kcpp_writeq_relaxed(__u64 value, volatile void *addr) { kcpp_writeq(value, addr); }

}
