/* core/pure/svc_names.c: names of service states and start types, from one table each. */
#include "pure/svc_names.h"

#include <stddef.h>

struct value_name {
    uint32_t value;
    const char *name;
};

static const struct value_name state_names[] = {
    { SVC_STATE_STOPPED, "Stopped" },
    { SVC_STATE_START_PENDING, "Start pending" },
    { SVC_STATE_STOP_PENDING, "Stop pending" },
    { SVC_STATE_RUNNING, "Running" },
    { SVC_STATE_CONTINUE_PENDING, "Continue pending" },
    { SVC_STATE_PAUSE_PENDING, "Pause pending" },
    { SVC_STATE_PAUSED, "Paused" },
};

static const struct value_name start_names[] = {
    { SVC_START_BOOT, "Boot" },
    { SVC_START_SYSTEM, "System" },
    { SVC_START_AUTO, "Automatic" },
    { SVC_START_DEMAND, "Manual" },
    { SVC_START_DISABLED, "Disabled" },
    { SVC_START_DELAYED_AUTO, "Automatic (delayed start)" },
};

static const char *lookup(const struct value_name *table, size_t count, uint32_t value)
{
    for (size_t i = 0; i < count; i++)
        if (table[i].value == value) return table[i].name;
    return NULL;
}

const char *svc_state_name(uint32_t state)
{
    return lookup(state_names, sizeof(state_names) / sizeof(state_names[0]), state);
}

int svc_state_is_pending(uint32_t state)
{
    return state == SVC_STATE_START_PENDING || state == SVC_STATE_STOP_PENDING ||
           state == SVC_STATE_CONTINUE_PENDING || state == SVC_STATE_PAUSE_PENDING;
}

const char *svc_start_name(uint32_t start_type)
{
    return lookup(start_names, sizeof(start_names) / sizeof(start_names[0]), start_type);
}

uint32_t svc_start_effective(uint32_t start_type, int delayed_auto)
{
    if (start_type == SVC_START_AUTO && delayed_auto > 0) return SVC_START_DELAYED_AUTO;
    return start_type;
}
