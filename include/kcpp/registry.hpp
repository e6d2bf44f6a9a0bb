// SPDX-License-Identifier: GPL-2.0
// The registry of backends: a core module owns a Registry, backend modules
// add an Entry (key, ops, owning module) at load time and remove it at
// unload. A lookup returns a Handle that holds a reference on the backend's
// module, so a backend in use cannot be unloaded; a lookup of an absent key
// may first ask for the backend's module by name.
//
// Env supplies the platform: its Lock (constructed from an Env::LockClass),
// its Module type, and module_get/module_put/request_module. KernelEnv
// (kcpp/module.hpp) is the kernel's; host tests supply a model of it.
//
// Unregistering while lookups run is safe: the entry leaves the list under
// the lock, and a lookup takes its module reference under the same lock; a
// module on its way out refuses new references (try_module_get fails once
// its exit has begun), so no Handle outlives the ops it points to.
#pragma once

#include <kcpp/errno.hpp>
#include <kcpp/list.hpp>
#include <kcpp/result.hpp>
#include <utility>

namespace kcpp {

template <typename Key, typename Ops, typename Env>
class Registry {
public:
	using Module = typename Env::Module;

	// Lives in the backend module's static data for as long as it is added.
	class Entry : public ListNode<> {
	public:
		constexpr Entry(Key key, const Ops *ops, Module *owner)
			: key_(key), ops_(ops), owner_(owner) {}
		const Key &key() const { return key_; }

	private:
		friend class Registry;
		Key key_;
		const Ops *ops_;
		Module *owner_;
	};

	// A backend in use: its ops and a reference on its module.
	class [[nodiscard]] Handle {
	public:
		Handle() = default;
		Handle(Handle &&other)
			: ops_(std::exchange(other.ops_, nullptr)),
			  owner_(std::exchange(other.owner_, nullptr)) {}
		Handle &operator=(Handle &&other)
		{
			reset();
			ops_ = std::exchange(other.ops_, nullptr);
			owner_ = std::exchange(other.owner_, nullptr);
			return *this;
		}
		Handle(const Handle &) = delete;
		Handle &operator=(const Handle &) = delete;
		~Handle() { reset(); }

		explicit operator bool() const { return ops_ != nullptr; }
		const Ops *operator->() const { return ops_; }
		const Ops &operator*() const { return *ops_; }
		const Ops *get() const { return ops_; }
		Module *module() const { return owner_; }
		// Hands the module reference to the caller, who drops it with
		// Env::module_put() (for an owner that is not C++, such as a C
		// struct that outlives this Handle).
		[[nodiscard]] Module *release()
		{
			ops_ = nullptr;
			return std::exchange(owner_, nullptr);
		}
		void reset()
		{
			if (ops_)
				Env::module_put(owner_);
			ops_ = nullptr;
			owner_ = nullptr;
		}

	private:
		friend class Registry;
		Handle(const Ops *ops, Module *owner) : ops_(ops), owner_(owner) {}
		const Ops *ops_ = nullptr;
		Module *owner_ = nullptr;
	};

	explicit Registry(typename Env::LockClass &cls) : lock_(cls) {}
	Registry(const Registry &) = delete;
	Registry &operator=(const Registry &) = delete;

	// -EEXIST if the key is taken, -EBUSY if the entry is already added,
	// -EINVAL if it has no ops or no module (a Handle needs both).
	Result<void> add(Entry &entry)
	{
		if (!entry.ops_ || !entry.owner_)
			return Error(-EINVAL);
		Locked held(lock_);
		if (entry.linked())
			return Error(-EBUSY);
		if (find_locked(entry.key_))
			return Error(-EEXIST);
		entries_.push_back(entry);
		return {};
	}

	void remove(Entry &entry)
	{
		Locked held(lock_);
		if (entry.linked())
			entries_.remove(entry);
	}

	// The backend for key, with a reference on its module. When there is
	// none and module_name is given, requests that module (it adds itself
	// on load) and looks again. -ENOENT: no backend for key; -ENODEV: the
	// backend is being unloaded; or the error of the module request.
	Result<Handle> get(const Key &key, const char *module_name = nullptr)
	{
		Result<Handle> found = lookup(key);
		if (found || found.code() != -ENOENT || !module_name)
			return found;
		// The backend's init calls add(), so the lock is not held here.
		int ret = Env::request_module(module_name);
		if (ret < 0)
			return Error(ret);
		return lookup(key);
	}

	bool contains(const Key &key)
	{
		Locked held(lock_);
		return find_locked(key) != nullptr;
	}

	usize size()
	{
		Locked held(lock_);
		return entries_.size();
	}

private:
	class Locked {
	public:
		explicit Locked(typename Env::Lock &lock) : lock_(lock) { lock_.lock(); }
		~Locked() { lock_.unlock(); }
		Locked(const Locked &) = delete;
		Locked &operator=(const Locked &) = delete;

	private:
		typename Env::Lock &lock_;
	};

	Entry *find_locked(const Key &key)
	{
		return entries_.find_if([&](Entry &e) { return e.key_ == key; });
	}

	Result<Handle> lookup(const Key &key)
	{
		Locked held(lock_);
		Entry *entry = find_locked(key);
		if (!entry)
			return Error(-ENOENT);
		if (!Env::module_get(entry->owner_))
			return Error(-ENODEV);
		return Handle(entry->ops_, entry->owner_);
	}

	typename Env::Lock lock_;
	List<Entry> entries_;
};

} // namespace kcpp
