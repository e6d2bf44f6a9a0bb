// SPDX-License-Identifier: GPL-2.0
// kcpp's sysfs adapter, C++ side (C side: kcpp/sysfs.h): a device's
// attribute groups, filled from the driver's tables.
//
//   auto files = KCPP_TRY(kcpp::SysfsGroups::create(dev, 2, n_events + 1));
//   files.group("events");
//   for (const auto &e : events)
//           files.event(e.name, e.id);
//   files.group(nullptr);                     // the device's own directory
//   files.cpumask("cpumask", mask);
//   ... files.groups() for kcpp_pmu_register()
#pragma once

#include <kcpp/device.hpp>
#include <kcpp/errno.hpp>
#include <kcpp/result.hpp>
#include <kcpp/sysfs.h>

namespace kcpp {

class SysfsGroups {
public:
	// Room for at most groups groups of attrs files in all.
	static Result<SysfsGroups> create(kcpp_device *dev, unsigned groups, unsigned attrs)
	{
		kcpp_sysfs *s = kcpp_sysfs_alloc(dev, groups, attrs);
		if (!s)
			return Error(-ENOMEM);
		return SysfsGroups(s);
	}

	// Starts the next group: a directory, or the device's own (nullptr).
	void group(const char *name)
	{
		if (groups_)
			slot_++; // the previous group's terminating slot
		kcpp_sysfs_set_group(s_, groups_++, name, slot_);
	}
	void add(const char *name, kcpp_sysfs_show show, const void *arg, u64 value)
	{
		kcpp_sysfs_set_attr(s_, attrs_++, slot_++, name, show, arg, value);
	}
	// "<text>\n"
	void string(const char *name, const char *text) { add(name, kcpp_sysfs_show_string, text, 0); }
	// "event=0x<id>\n"
	void event(const char *name, u64 id) { add(name, kcpp_sysfs_show_event, nullptr, id); }
	// "<value>\n", in decimal or in hex ("0x<value>\n")
	void number(const char *name, u64 value, bool hex = false)
	{
		add(name, hex ? kcpp_sysfs_show_hex : kcpp_sysfs_show_u64, nullptr, value);
	}
	// The mask's CPU list; the mask outlives the files.
	void cpumask(const char *name, const CpuMask &mask)
	{
		add(name, kcpp_sysfs_show_cpumask, mask.raw(), 0);
	}
	const attribute_group **groups() const { return kcpp_sysfs_groups(s_); }

private:
	explicit SysfsGroups(kcpp_sysfs *s) : s_(s) {}

	kcpp_sysfs *s_;
	unsigned groups_ = 0, attrs_ = 0, slot_ = 0;
};

} // namespace kcpp
