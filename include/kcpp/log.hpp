// SPDX-License-Identifier: GPL-2.0
// kcpp's logging, C++ side (C side: kcpp/log.h), with the compiler checking
// each format as it does printk's. dev is a device or a kcpp_device:
//
//   KCPP_DEV_ERR(kdev, "register frame %u is %llu bytes\n", index, size);
//   KCPP_DEV_ERR_RATELIMITED(kdev, "...");   // the kcpp_device's rate limit
//   KCPP_ERR("armature: ...");               // no device
#pragma once

#include <kcpp/device.h>
#include <kcpp/layout.hpp>
#include <kcpp/log.h>

namespace kcpp {

inline const device *log_device(const device *dev) { return dev; }
inline const device *log_device(const kcpp_device *kdev) { return kdev->dev; }

// A rate limit in C++ storage (the kernel's default interval and burst).
class RateLimit {
public:
	RateLimit() { kcpp_ratelimit_init(raw()); }
	RateLimit(const RateLimit &) = delete;
	RateLimit &operator=(const RateLimit &) = delete;

	// True when a message may go out now.
	bool allow() { return kcpp_ratelimit(raw()); }
	ratelimit_state *raw() { return reinterpret_cast<ratelimit_state *>(storage_); }

private:
	alignas(KCPP_RATELIMIT_ALIGN) unsigned char storage_[KCPP_RATELIMIT_SIZE];
};

} // namespace kcpp

#define KCPP_DEV_ERR(dev, ...) kcpp_dev_log(::kcpp::log_device(dev), KCPP_LOG_ERR, __VA_ARGS__)
#define KCPP_DEV_WARN(dev, ...) kcpp_dev_log(::kcpp::log_device(dev), KCPP_LOG_WARNING, __VA_ARGS__)
#define KCPP_DEV_INFO(dev, ...) kcpp_dev_log(::kcpp::log_device(dev), KCPP_LOG_INFO, __VA_ARGS__)
#define KCPP_DEV_DBG(dev, ...) kcpp_dev_dbg(::kcpp::log_device(dev), __VA_ARGS__)
#define KCPP_ERR(...) kcpp_log(KCPP_LOG_ERR, __VA_ARGS__)
#define KCPP_INFO(...) kcpp_log(KCPP_LOG_INFO, __VA_ARGS__)
// At most the kernel's default burst per interval, per kcpp_device.
#define KCPP_DEV_ERR_RATELIMITED(kdev, ...)                                    \
	do {                                                                   \
		if (kcpp_ratelimit((kdev)->ratelimit))                         \
			KCPP_DEV_ERR((kdev), __VA_ARGS__);                     \
	} while (0)
