#ifndef BAOXUE_COMMON_H
#define BAOXUE_COMMON_H

/* Every .c file of baoxue includes this first (after its own header where it has one). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/outcome.h"
#include "util/xmalloc.h"
#include "util/error.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include "util/banned.h"

#endif
