/* tests/native/test_svc_names.c: the state and start-type name tables. */
#include "harness/test.h"
#include "pure/svc_names.h"

#include <string.h>

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

START_TEST(svc_names)
{
    ok(same(svc_state_name(SVC_STATE_RUNNING), "Running"), "running: %s\n", svc_state_name(4));
    ok(same(svc_state_name(SVC_STATE_STOPPED), "Stopped"), "stopped\n");
    ok(same(svc_state_name(SVC_STATE_PAUSED), "Paused"), "paused\n");
    ok(svc_state_name(0) == NULL, "0 is no state\n");
    ok(svc_state_name(8) == NULL, "8 is no state\n");
    ok(svc_state_is_pending(SVC_STATE_STOP_PENDING), "stop pending is pending\n");
    ok(!svc_state_is_pending(SVC_STATE_RUNNING), "running is not pending\n");
    ok(same(svc_start_name(SVC_START_AUTO), "Automatic"), "auto\n");
    ok(same(svc_start_name(SVC_START_DEMAND), "Manual"), "demand is Manual\n");
    ok(same(svc_start_name(svc_start_effective(SVC_START_AUTO, 1)), "Automatic (delayed start)"),
       "delayed auto\n");
    ok(svc_start_effective(SVC_START_DEMAND, 1) == SVC_START_DEMAND, "delayed flag only matters for auto\n");
    ok(svc_start_effective(SVC_START_AUTO, -1) == SVC_START_AUTO, "unknown delayed flag reads as plain auto\n");
    ok(svc_start_name(99) == NULL, "99 is no start type\n");
}
