/* SPDX-License-Identifier: GPL-2.0 */
/* The C side of kcpp_test_core: what its glue exports and calls. */
#ifndef KCPP_TEST_CORE_H
#define KCPP_TEST_CORE_H

#ifdef __cplusplus
extern "C" {
#endif

struct kcpp_test_registry;

struct kcpp_test_registry *kcpp_test_core_registry(void);
int kcpp_test_core_init(void);
void kcpp_test_core_exit(void);
/* The "hold" parameter: a backend id to look up and keep, 0 to let go. */
int kcpp_test_core_hold(unsigned int id);
unsigned int kcpp_test_core_held(void);

int kcpp_test_backend_init(void);
void kcpp_test_backend_exit(void);

#ifdef __cplusplus
}
#endif

#endif
