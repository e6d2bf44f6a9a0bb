// SPDX-License-Identifier: GPL-2.0
// kcpp's user-memory adapter, C++ side (C side: kcpp/user_pages.h): a
// reference to an address space, and an array allocated with kvcalloc().
#pragma once

#include <kcpp/user_pages.h>
#include <kcpp/types.hpp>
#include <type_traits>
#include <utility>

namespace kcpp {

// mmgrab() of an mm_struct: it stays allocated (for locked_vm accounting)
// after the process has gone.
class MmRef {
public:
	MmRef() = default;
	explicit MmRef(mm_struct *mm) : mm_(mm)
	{
		if (mm_)
			kcpp_mmgrab(mm_);
	}
	MmRef(MmRef &&other) : mm_(std::exchange(other.mm_, nullptr)) {}
	MmRef(const MmRef &) = delete;
	MmRef &operator=(const MmRef &) = delete;
	~MmRef()
	{
		if (mm_)
			kcpp_mmdrop(mm_);
	}
	mm_struct *get() const { return mm_; }

private:
	mm_struct *mm_ = nullptr;
};

// n zeroed Ts from kvcalloc() (T must need no constructor or destructor).
template <typename T>
class KvArray {
	static_assert(std::is_trivially_default_constructible_v<T> &&
		      std::is_trivially_destructible_v<T>);

public:
	KvArray() = default;
	KvArray(KvArray &&other) : p_(std::exchange(other.p_, nullptr)), n_(std::exchange(other.n_, 0)) {}
	KvArray &operator=(KvArray &&other)
	{
		reset();
		p_ = std::exchange(other.p_, nullptr);
		n_ = std::exchange(other.n_, 0);
		return *this;
	}
	KvArray(const KvArray &) = delete;
	KvArray &operator=(const KvArray &) = delete;
	~KvArray() { reset(); }

	// False when out of memory.
	[[nodiscard]] bool allocate(usize n)
	{
		reset();
		p_ = static_cast<T *>(kcpp_kvcalloc(n, sizeof(T)));
		n_ = p_ ? n : 0;
		return p_ != nullptr;
	}
	void reset()
	{
		if (p_)
			kcpp_kvfree(p_);
		p_ = nullptr;
		n_ = 0;
	}
	T *data() const { return p_; }
	usize size() const { return n_; }
	T &operator[](usize i) const { return p_[i]; }

private:
	T *p_ = nullptr;
	usize n_ = 0;
};

} // namespace kcpp
