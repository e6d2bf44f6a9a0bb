// SPDX-License-Identifier: GPL-2.0
// SPE packets, the encoding side: headers and payloads as the architecture
// (and perf's arm-spe decoder) read them, and a small writer that builds one
// record in a fixed array. Pure code; the simulated SPE (model.hpp) uses it
// and the tests decode what it wrote with a decoder of their own.
//
// A record is a run of packets ended by END, or by TIMESTAMP when timestamps
// are on. Every payload is little-endian.
#pragma once

#include <kcpp/types.hpp>

namespace armature::spe::sim {

using kcpp::u16;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;

namespace packet {

// One-byte headers. The sized ones (EVENTS, DATA_SOURCE) carry the payload
// size as log2 in bits [5:4]; ADDRESS and COUNTER carry their index in the
// low bits of the header.
inline constexpr u8 padding = 0x00;
inline constexpr u8 end = 0x01;
inline constexpr u8 timestamp = 0x71;    // 8 bytes: a generic-timer count
inline constexpr u8 events = 0x42;       // | size << 4; bitmap of EVENTS bits
inline constexpr u8 data_source = 0x43;  // | size << 4; IMPLEMENTATION DEFINED
inline constexpr u8 context_el1 = 0x64;  // 4 bytes: CONTEXTIDR_EL1
inline constexpr u8 op_other = 0x48;     // OP_TYPE, 1 byte each
inline constexpr u8 op_ldst = 0x49;
inline constexpr u8 op_branch = 0x4a;
inline constexpr u8 address = 0xb0;      // | index; 8 bytes
inline constexpr u8 counter = 0x98;      // | index; 2 bytes
inline constexpr u8 size_shift = 4;

// ADDRESS indices.
inline constexpr u8 pc = 0;
inline constexpr u8 branch_target = 1;
inline constexpr u8 data_va = 2;
inline constexpr u8 data_pa = 3;

// COUNTER indices.
inline constexpr u8 total_latency = 0;
inline constexpr u8 issue_latency = 1;
inline constexpr u8 translation_latency = 2;

// OP_TYPE payloads used by the model.
inline constexpr u8 ldst_gp_load = 0x00;  // general-purpose register load
inline constexpr u8 ldst_gp_store = 0x01; // ... store (bit 0 is "store")
inline constexpr u8 branch_conditional = 0x01;

// The largest packet: a header and an 8-byte payload.
inline constexpr usize max_packet = 9;

// An instruction address (PC, branch target): VA[55:0], the exception level
// in bits [62:61], NS in bit 63. The model is a non-secure CPU, so NS is
// always set; perf needs it to restore the top byte of kernel addresses.
constexpr u64 code_address(u64 va, unsigned el)
{
	return (va & ((u64(1) << 56) - 1)) | u64(el & 3) << 61 | u64(1) << 63;
}

// A physical data address: PA[55:0] and NS in bit 63 (CH and PAT zero).
constexpr u64 physical_address(u64 pa)
{
	return (pa & ((u64(1) << 56) - 1)) | u64(1) << 63;
}

} // namespace packet

// Builds one record. Capacity bounds what a record of the model can hold;
// a packet that would not fit is not written and sets overflowed(), which
// the model checks (by construction it never happens, see model.hpp).
template <usize Capacity>
class RecordWriter {
public:
	constexpr void address(u8 index, u64 payload) { put(packet::address | (index & 7), payload, 8); }
	constexpr void op_type(u8 header, u8 payload) { put(header, payload, 1); }
	constexpr void counter(u8 index, u16 value) { put(packet::counter | (index & 7), value, 2); }
	// EVENTS and DATA_SOURCE take the smallest payload (1, 2, 4 or 8
	// bytes) that holds the value, but at least min_bytes.
	constexpr void events(u64 bits, unsigned min_bytes = 2) { sized(packet::events, bits, min_bytes); }
	constexpr void data_source(u64 source, unsigned min_bytes = 2)
	{
		sized(packet::data_source, source, min_bytes);
	}
	constexpr void context(u32 id) { put(packet::context_el1, id, 4); }
	constexpr void timestamp(u64 count) { put(packet::timestamp, count, 8); }
	constexpr void end() { put(packet::end, 0, 0); }

	constexpr const u8 *data() const { return bytes_; }
	constexpr usize size() const { return size_; }
	constexpr bool overflowed() const { return overflowed_; }

private:
	constexpr void sized(u8 header, u64 value, unsigned min_bytes)
	{
		unsigned log2 = 0;
		while ((1u << log2) < min_bytes || (log2 < 3 && (value >> (8u << log2)) != 0))
			log2++;
		put(static_cast<u8>(header | log2 << packet::size_shift), value, 1u << log2);
	}

	constexpr void put(u8 header, u64 payload, unsigned bytes)
	{
		if (Capacity - size_ < 1 + usize(bytes)) {
			overflowed_ = true;
			return;
		}
		bytes_[size_++] = header;
		for (unsigned i = 0; i < bytes; i++)
			bytes_[size_++] = static_cast<u8>(payload >> (8 * i));
	}

	u8 bytes_[Capacity] = {};
	usize size_ = 0;
	bool overflowed_ = false;
};

} // namespace armature::spe::sim
