/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C++ reads the UAPI headers straight from the kernel tree it builds
 * against, unsanitised: include/uapi/linux/stddef.h still includes
 * <linux/compiler_types.h>, which headers_install would drop. This stand-in
 * gives the UAPI headers the few annotations they use, as headers_install
 * would strip them.
 */
#ifndef KCPP_FREESTANDING_COMPILER_TYPES_H
#define KCPP_FREESTANDING_COMPILER_TYPES_H
#define __user
#define __force
#define __iomem
#define __attribute_const__ __attribute__((__const__))
#endif
