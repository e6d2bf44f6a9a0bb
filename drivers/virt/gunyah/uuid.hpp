// SPDX-License-Identifier: GPL-2.0
// A UUID as the kernel's uuid_t holds it (16 bytes, big-endian fields:
// c1d58fcd-a453-... is c1 d5 8f cd a4 53 ...), pure.
#pragma once

#include "gunyah.h"
#include <kcpp/types.hpp>

namespace armature::gunyah {

struct Uuid {
	kcpp::u8 b[16];
	constexpr bool operator==(const Uuid &) const = default;
	constexpr gunyah_uuid raw() const
	{
		gunyah_uuid u{};
		for (unsigned i = 0; i < 16; i++)
			u.b[i] = b[i];
		return u;
	}
};

// The hypervisor's identification: the SMCCC vendor-hypervisor UID of
// Gunyah, and the platform UUID of Qualcomm's Gunyah (its 0x3F01 call).
inline constexpr Uuid gunyah_uuid = {{0xc1, 0xd5, 0x8f, 0xcd, 0xa4, 0x53, 0x5f, 0xdb,
				      0x92, 0x65, 0xce, 0x36, 0x67, 0x3d, 0x5f, 0x14}};
inline constexpr Uuid qcom_platform_uuid = {{0x19, 0xbd, 0x54, 0xbd, 0x0b, 0x37, 0x57, 0x1b,
					     0x94, 0x6f, 0x60, 0x9b, 0x54, 0x53, 0x9d, 0xe6}};

} // namespace armature::gunyah
