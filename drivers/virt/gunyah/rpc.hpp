// SPDX-License-Identifier: GPL-2.0
// The resource manager's RPC framing, pure: what a message header holds, how
// many fragments a payload takes, and what the RM's error codes mean. Used by
// the client (rm.hpp) and by the simulated RM (tests/modules/gunyah_sim).
//
// A message is at most 240 bytes: an 8-byte header and up to 232 bytes of
// payload. A longer payload continues in up to 62 continuation fragments that
// repeat the first one's msg_id, seq and fragment count with type 0.
#pragma once

#include <kcpp/errno.hpp>
#include <kcpp/types.hpp>

namespace armature::gunyah::rpc {

using kcpp::u8;
using kcpp::u16;
using kcpp::u32;
using kcpp::usize;

inline constexpr usize message_size = 240;
inline constexpr usize header_size = 8;
inline constexpr usize fragment_payload = message_size - header_size;
inline constexpr unsigned max_continuations = 62;
inline constexpr usize max_payload = fragment_payload * (1 + max_continuations);
inline constexpr u8 api_version = 1;
inline constexpr u8 header_words = 2;

enum class Type : u8 { continuation = 0, request = 1, reply = 2, notification = 3 };

// Message IDs of the calls the client makes.
enum MsgId : u32 {
	mem_lend = 0x51000012,
	mem_share = 0x51000013,
	mem_reclaim = 0x51000015,
	mem_append = 0x51000018,
	vm_alloc_vmid = 0x56000001,
	vm_dealloc_vmid = 0x56000002,
};

// The RM's error codes (the first word of every reply's payload), as in
// quic/gunyah-resource-manager include/rm_types.h (checked: 0x1..0x11 and
// 0xffffffff match; 0x12..0x14 are from its latest version).
enum class RmError : u32 {
	ok = 0,
	unimplemented = 0xffffffff,
	no_memory = 1,
	no_resources = 2,
	denied = 3,
	msg_invalid = 4,
	busy = 5,
	argument_invalid = 6,
	handle_invalid = 7,
	validate_failed = 8,
	map_failed = 9,
	mem_invalid = 0xa,
	mem_inuse = 0xb,
	mem_released = 0xc,
	vmid_invalid = 0xd,
	lookup_failed = 0xe,
	irq_invalid = 0xf,
	irq_inuse = 0x10,
	irq_released = 0x11,
	in_use = 0x12,
	irq_not_mapped = 0x13,
	vm_state = 0x14,
};

struct Header {
	Type type;
	u8 fragments;  // continuation fragments after the first (0..62)
	u16 seq;
	u32 msg_id;

	// Little-endian wire form.
	void encode(u8 *out) const
	{
		out[0] = static_cast<u8>(header_words << 4 | api_version);
		out[1] = static_cast<u8>(fragments << 2 | static_cast<u8>(type));
		out[2] = static_cast<u8>(seq);
		out[3] = static_cast<u8>(seq >> 8);
		for (unsigned i = 0; i < 4; i++)
			out[4 + i] = static_cast<u8>(msg_id >> (8 * i));
	}

	// False for a header the RM and the client both drop: another API
	// version or header size. fragments is not range-checked here (6 bits
	// hold up to 63; the caller decides what more than 62 means).
	static bool decode(const u8 *in, Header &h)
	{
		if (in[0] != (header_words << 4 | api_version))
			return false;
		h.type = static_cast<Type>(in[1] & 3);
		h.fragments = in[1] >> 2;
		h.seq = static_cast<u16>(in[2] | in[3] << 8);
		h.msg_id = static_cast<u32>(in[4]) | static_cast<u32>(in[5]) << 8 |
			   static_cast<u32>(in[6]) << 16 | static_cast<u32>(in[7]) << 24;
		return true;
	}
};

// Continuation fragments a payload of size bytes needs (a 0-byte payload is
// one message with no continuation), or -1 when it is too long.
constexpr int continuations_for(usize size)
{
	if (size > max_payload)
		return -1;
	return size <= fragment_payload ? 0 : static_cast<int>((size - 1) / fragment_payload);
}

// The errno an RM error becomes for the in-kernel API's callers.
constexpr int to_errno(RmError e)
{
	switch (e) {
	case RmError::ok:
		return 0;
	case RmError::unimplemented:
		return -EOPNOTSUPP;
	case RmError::no_memory:
		return -ENOMEM;
	case RmError::no_resources:
		return -ENOSPC;
	case RmError::denied:
		return -EPERM;
	case RmError::busy:
	case RmError::mem_inuse:
	case RmError::irq_inuse:
	case RmError::in_use:
		return -EBUSY;
	case RmError::msg_invalid:
	case RmError::argument_invalid:
	case RmError::handle_invalid:
	case RmError::validate_failed:
	case RmError::mem_invalid:
	case RmError::vmid_invalid:
	case RmError::irq_invalid:
	case RmError::vm_state:
		return -EINVAL;
	case RmError::map_failed:
		return -EFAULT;
	case RmError::mem_released:
	case RmError::irq_released:
		return -ENOENT;
	case RmError::lookup_failed:
	case RmError::irq_not_mapped:
		return -ENXIO;
	}
	return -EREMOTEIO;
}

// The RM's name for an error, for the log; nullptr for one it does not define.
constexpr const char *name(RmError e)
{
	switch (e) {
	case RmError::ok: return "OK";
	case RmError::unimplemented: return "UNIMPLEMENTED";
	case RmError::no_memory: return "NOMEM";
	case RmError::no_resources: return "NORESOURCE";
	case RmError::denied: return "DENIED";
	case RmError::msg_invalid: return "MSG_INVALID";
	case RmError::busy: return "BUSY";
	case RmError::argument_invalid: return "ARGUMENT_INVALID";
	case RmError::handle_invalid: return "HANDLE_INVALID";
	case RmError::validate_failed: return "VALIDATE_FAILED";
	case RmError::map_failed: return "MAP_FAILED";
	case RmError::mem_invalid: return "MEM_INVALID";
	case RmError::mem_inuse: return "MEM_INUSE";
	case RmError::mem_released: return "MEM_RELEASED";
	case RmError::vmid_invalid: return "VMID_INVALID";
	case RmError::lookup_failed: return "LOOKUP_FAILED";
	case RmError::irq_invalid: return "IRQ_INVALID";
	case RmError::irq_inuse: return "IRQ_INUSE";
	case RmError::irq_released: return "IRQ_RELEASED";
	case RmError::in_use: return "IN_USE";
	case RmError::irq_not_mapped: return "IRQ_NOT_MAPPED";
	case RmError::vm_state: return "VM_STATE";
	}
	return nullptr;
}

} // namespace armature::gunyah::rpc
