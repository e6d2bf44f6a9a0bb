// SPDX-License-Identifier: GPL-2.0
// An intrusive doubly linked list. An element derives from ListNode<Tag> once
// for each list it can be on; the list never allocates.
#pragma once

#include <kcpp/types.hpp>

namespace kcpp {

template <typename Tag = void>
class ListNode {
public:
	constexpr ListNode() = default;
	ListNode(const ListNode &) = delete;
	ListNode &operator=(const ListNode &) = delete;

	bool linked() const { return next_ != nullptr; }

private:
	template <typename, typename>
	friend class List;
	ListNode *prev_ = nullptr;
	ListNode *next_ = nullptr;
};

template <typename T, typename Tag = void>
class List {
	using Node = ListNode<Tag>;

public:
	constexpr List() { head_.prev_ = head_.next_ = &head_; }
	List(const List &) = delete;
	List &operator=(const List &) = delete;

	bool empty() const { return head_.next_ == &head_; }

	void push_back(T &item) { insert_before(head_, node(item)); }
	void push_front(T &item) { insert_before(*head_.next_, node(item)); }

	void remove(T &item)
	{
		Node &n = node(item);
		n.prev_->next_ = n.next_;
		n.next_->prev_ = n.prev_;
		n.prev_ = n.next_ = nullptr;
	}

	usize size() const
	{
		usize count = 0;
		for (const Node *n = head_.next_; n != &head_; n = n->next_)
			++count;
		return count;
	}

	class Iterator {
	public:
		explicit Iterator(Node *n) : node_(n) {}
		T &operator*() const { return static_cast<T &>(*node_); }
		T *operator->() const { return &**this; }
		Iterator &operator++()
		{
			node_ = node_->next_;
			return *this;
		}
		bool operator==(const Iterator &) const = default;

	private:
		Node *node_;
	};
	Iterator begin() { return Iterator(head_.next_); }
	Iterator end() { return Iterator(&head_); }

	template <typename Pred>
	T *find_if(Pred pred)
	{
		for (T &item : *this)
			if (pred(item))
				return &item;
		return nullptr;
	}

private:
	static Node &node(T &item) { return static_cast<Node &>(item); }
	static void insert_before(Node &pos, Node &n)
	{
		n.prev_ = pos.prev_;
		n.next_ = &pos;
		pos.prev_->next_ = &n;
		pos.prev_ = &n;
	}

	Node head_;
};

} // namespace kcpp
