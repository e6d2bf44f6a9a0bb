// SPDX-License-Identifier: GPL-2.0
// Memory-parcel messages of the resource manager, pure: the wire form of
// LEND/SHARE, APPEND and RECLAIM requests (built by the client, parsed by the
// simulated RM), and how a scatter-gather list is split across messages.
//
//   LEND/SHARE: {u8 mem_type, pad, u8 flags, pad, le32 label}
//               ACL  {le16 n, pad16} n x {le16 vmid, u8 rights, pad}
//               SGL  {le16 n, pad16} n x {le64 ipa, le64 size}
//               ATTR {le16 n, pad16} n x {le16 attr, le16 vmid}
//   reply:      le32 handle
//   APPEND:     {le32 handle, u8 flags, pad[3]} SGL
//   RECLAIM:    {le32 handle, u8 flags, pad[3]}
#pragma once

#include "rpc.hpp"
#include <kcpp/types.hpp>

namespace armature::gunyah::memparcel {

using kcpp::u16;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;

inline constexpr unsigned max_entries = 512;  // per list, per message
inline constexpr u8 flag_sanitize = 1;        // LEND/SHARE, RECLAIM
inline constexpr u8 flag_append = 2;          // LEND/SHARE: more SGL follows
inline constexpr u8 flag_end = 1;             // APPEND: the last one

inline constexpr usize header_size = 8;
inline constexpr usize list_header_size = 4;
inline constexpr usize acl_entry_size = 4;
inline constexpr usize sgl_entry_size = 16;
inline constexpr usize attr_entry_size = 4;

struct AclEntry {
	u16 vmid;
	u8 rights;
};

struct SglEntry {
	u64 ipa;
	u64 size;
};

struct AttrEntry {
	u16 attr;
	u16 vmid;
};

// Little-endian loads and stores on byte buffers (no alignment assumed).
inline void put16(u8 *p, u16 v)
{
	p[0] = static_cast<u8>(v);
	p[1] = static_cast<u8>(v >> 8);
}
inline void put32(u8 *p, u32 v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = static_cast<u8>(v >> (8 * i));
}
inline void put64(u8 *p, u64 v)
{
	for (unsigned i = 0; i < 8; i++)
		p[i] = static_cast<u8>(v >> (8 * i));
}
inline u16 get16(const u8 *p) { return static_cast<u16>(p[0] | p[1] << 8); }
inline u32 get32(const u8 *p)
{
	u32 v = 0;
	for (unsigned i = 0; i < 4; i++)
		v |= static_cast<u32>(p[i]) << (8 * i);
	return v;
}
inline u64 get64(const u8 *p)
{
	u64 v = 0;
	for (unsigned i = 0; i < 8; i++)
		v |= static_cast<u64>(p[i]) << (8 * i);
	return v;
}

// Size of a LEND/SHARE request with these list lengths (the ATTR list is
// always present, possibly empty).
constexpr usize share_size(usize n_acl, usize n_sgl, usize n_attr = 0)
{
	return header_size + list_header_size + n_acl * acl_entry_size + list_header_size +
	       n_sgl * sgl_entry_size + list_header_size + n_attr * attr_entry_size;
}
constexpr usize append_size(usize n_sgl)
{
	return header_size + list_header_size + n_sgl * sgl_entry_size;
}
inline constexpr usize reclaim_size = header_size;

// The SGL entries the first message carries, and how many APPEND messages
// carry the rest (each up to max_entries; the last one has END).
struct Split {
	usize first;
	usize appends;
};
constexpr Split split(usize n_sgl)
{
	if (n_sgl <= max_entries)
		return {n_sgl, 0};
	return {max_entries, (n_sgl - max_entries + max_entries - 1) / max_entries};
}

// An SGL list (header and entries) at p; returns where it ends.
inline u8 *put_sgl(u8 *p, const SglEntry *sgl, usize n_sgl)
{
	put16(p, static_cast<u16>(n_sgl));
	put16(p + 2, 0);
	p += list_header_size;
	for (usize i = 0; i < n_sgl; i++, p += sgl_entry_size) {
		put64(p, sgl[i].ipa);
		put64(p + 8, sgl[i].size);
	}
	return p;
}

// Builders write into out, which holds at least the *_size() bytes, and
// return the size written.
inline usize encode_share(u8 *out, u8 mem_type, u8 flags, u32 label, const AclEntry *acl,
			  usize n_acl, const SglEntry *sgl, usize n_sgl)
{
	u8 *p = out;
	*p++ = mem_type;
	*p++ = 0;
	*p++ = flags;
	*p++ = 0;
	put32(p, label);
	p += 4;
	put16(p, static_cast<u16>(n_acl));
	put16(p + 2, 0);
	p += list_header_size;
	for (usize i = 0; i < n_acl; i++, p += acl_entry_size) {
		put16(p, acl[i].vmid);
		p[2] = acl[i].rights;
		p[3] = 0;
	}
	p = put_sgl(p, sgl, n_sgl);
	put16(p, 0);
	put16(p + 2, 0);
	p += list_header_size;
	return static_cast<usize>(p - out);
}

inline usize encode_append(u8 *out, u32 handle, u8 flags, const SglEntry *sgl, usize n_sgl)
{
	put32(out, handle);
	out[4] = flags;
	out[5] = out[6] = out[7] = 0;
	return static_cast<usize>(put_sgl(out + header_size, sgl, n_sgl) - out);
}

inline usize encode_reclaim(u8 *out, u32 handle, u8 flags)
{
	put32(out, handle);
	out[4] = flags;
	out[5] = out[6] = out[7] = 0;
	return reclaim_size;
}

// A list inside a received message: entries read in place.
struct ListView {
	const u8 *entries = nullptr;
	usize count = 0;

	AclEntry acl(usize i) const
	{
		const u8 *p = entries + i * acl_entry_size;
		return {get16(p), p[2]};
	}
	SglEntry sgl(usize i) const
	{
		const u8 *p = entries + i * sgl_entry_size;
		return {get64(p), get64(p + 8)};
	}
	AttrEntry attr(usize i) const
	{
		const u8 *p = entries + i * attr_entry_size;
		return {get16(p), get16(p + 2)};
	}
};

// A LEND/SHARE request as the RM reads it.
struct ShareRequest {
	u8 mem_type;
	u8 flags;
	u32 label;
	ListView acl, sgl, attr;
};

// Reads one list of entry_size entries at *pos; false when it does not fit.
inline bool parse_list(const u8 *msg, usize size, usize &pos, usize entry_size, ListView &out)
{
	if (size - pos < list_header_size)
		return false;
	usize n = get16(msg + pos);
	pos += list_header_size;
	if ((size - pos) / entry_size < n)
		return false;
	out = {msg + pos, n};
	pos += n * entry_size;
	return true;
}

// MSG_INVALID for a request that is truncated or has bytes after its lists;
// the ATTR list may be absent. Semantic checks are the RM's.
inline rpc::RmError parse_share(const u8 *msg, usize size, ShareRequest &out)
{
	if (size < header_size)
		return rpc::RmError::msg_invalid;
	out.mem_type = msg[0];
	out.flags = msg[2];
	out.label = get32(msg + 4);
	usize pos = header_size;
	if (!parse_list(msg, size, pos, acl_entry_size, out.acl) ||
	    !parse_list(msg, size, pos, sgl_entry_size, out.sgl))
		return rpc::RmError::msg_invalid;
	out.attr = {};
	if (pos != size && !parse_list(msg, size, pos, attr_entry_size, out.attr))
		return rpc::RmError::msg_invalid;
	return pos == size ? rpc::RmError::ok : rpc::RmError::msg_invalid;
}

struct AppendRequest {
	u32 handle;
	u8 flags;
	ListView sgl;
};

inline rpc::RmError parse_append(const u8 *msg, usize size, AppendRequest &out)
{
	if (size < header_size)
		return rpc::RmError::msg_invalid;
	out.handle = get32(msg);
	out.flags = msg[4];
	usize pos = header_size;
	if (!parse_list(msg, size, pos, sgl_entry_size, out.sgl) || pos != size)
		return rpc::RmError::msg_invalid;
	return rpc::RmError::ok;
}

struct ReclaimRequest {
	u32 handle;
	u8 flags;
};

inline rpc::RmError parse_reclaim(const u8 *msg, usize size, ReclaimRequest &out)
{
	if (size != reclaim_size)
		return rpc::RmError::msg_invalid;
	out.handle = get32(msg);
	out.flags = msg[4];
	return rpc::RmError::ok;
}

} // namespace armature::gunyah::memparcel
