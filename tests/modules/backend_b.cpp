// SPDX-License-Identifier: GPL-2.0
#include "backend.hpp"

using ThisBackend = kcpp_test::Backend<kcpp_test::backend_b>;

int kcpp_test_backend_init()
{
	return ThisBackend::init();
}

void kcpp_test_backend_exit()
{
	ThisBackend::exit();
}
