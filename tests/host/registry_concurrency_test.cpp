// SPDX-License-Identifier: GPL-2.0
// Host-only: the Registry under concurrent lookups while backends come and
// go. Backends here live in heap memory that is freed right after they are
// removed, so a lookup that could reach a removed backend would be a
// use-after-free for ASan to report.
#include <gtest/gtest.h>
#include <kcpp/registry.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace {

struct HostModule {
	std::mutex lock;
	int refs = 0;
	bool going = false;
};

struct HostEnv {
	using Module = HostModule;
	struct LockClass {};
	struct Lock {
		explicit Lock(LockClass &) {}
		void lock() { m.lock(); }
		void unlock() { m.unlock(); }
		std::mutex m;
	};
	static bool module_get(Module *m)
	{
		std::lock_guard g(m->lock);
		if (m->going)
			return false;
		++m->refs;
		return true;
	}
	static void module_put(Module *m)
	{
		std::lock_guard g(m->lock);
		--m->refs;
	}
	static int request_module(const char *) { return 1; }
};

struct Ops {
	int id;
};

using HostRegistry = kcpp::Registry<int, Ops, HostEnv>;

// A backend as a module would hold it: the entry, its ops and its module,
// gone together when the "module" is unloaded.
struct Backend {
	Ops ops;
	HostModule module;
	HostRegistry::Entry entry;
	explicit Backend(int id) : ops{id}, entry(id, &ops, &module) {}
};

// Unloading as the kernel does it: refuse while referenced, mark going so
// no new reference is taken, then the exit function removes the entry.
bool try_unload(HostRegistry &reg, std::unique_ptr<Backend> &b)
{
	{
		std::lock_guard g(b->module.lock);
		if (b->module.refs != 0)
			return false;
		b->module.going = true;
	}
	reg.remove(b->entry);
	b.reset();
	return true;
}

} // namespace

TEST(registry_concurrency, lookups_race_with_unload)
{
	HostEnv::LockClass cls;
	HostRegistry reg(cls);
	constexpr int keys = 4;
	std::unique_ptr<Backend> backends[keys];
	constexpr int reader_count = 3;
	std::atomic<bool> stop{false};
	std::atomic<int> started{0};
	std::atomic<long> found{0};

	std::vector<std::thread> readers;
	for (int t = 0; t < reader_count; ++t)
		readers.emplace_back([&, t] {
			started.fetch_add(1);
			for (unsigned i = 0; !stop.load(); ++i) {
				int key = (i + t) % keys;
				auto h = reg.get(key);
				if (h) {
					EXPECT_EQ(h.value()->id, key);
					found.fetch_add(1);
				} else {
					EXPECT_TRUE(h.code() == -ENOENT || h.code() == -ENODEV);
				}
			}
		});

	while (started.load() < reader_count)
		std::this_thread::yield();
	// At least 2000 add/unload rounds, and on until the readers have used
	// backends many times (bounded, so a broken registry cannot hang it).
	for (long round = 0; round < 2000 || (found.load() < 1000 && round < 10000000); ++round) {
		int key = round % keys;
		auto &b = backends[key];
		if (!b) {
			b = std::make_unique<Backend>(key);
			ASSERT_TRUE(reg.add(b->entry).ok());
		} else {
			try_unload(reg, b);
		}
	}
	stop = true;
	for (auto &r : readers)
		r.join();
	for (auto &b : backends)
		if (b)
			while (!try_unload(reg, b))
				;
	EXPECT_EQ(reg.size(), 0u);
	EXPECT_GE(found.load(), 1000);
}
