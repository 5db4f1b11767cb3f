// SPDX-License-Identifier: GPL-2.0
/* The one place the TTP tracepoints are instantiated (module/trace.h). */
#define CREATE_TRACE_POINTS
#include "trace.h"
