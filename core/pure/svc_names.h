/* core/pure/svc_names.h: names of service states and start types, from one table each. */
#ifndef CSD_SVC_NAMES_H
#define CSD_SVC_NAMES_H

#include <stdint.h>

/* The numbers are the SCM's own (SERVICE_STOPPED ..., SERVICE_BOOT_START ...), so a
 * value read from Windows can be passed straight in; this header needs no <windows.h>. */
enum svc_state_value {
    SVC_STATE_STOPPED = 1,
    SVC_STATE_START_PENDING = 2,
    SVC_STATE_STOP_PENDING = 3,
    SVC_STATE_RUNNING = 4,
    SVC_STATE_CONTINUE_PENDING = 5,
    SVC_STATE_PAUSE_PENDING = 6,
    SVC_STATE_PAUSED = 7
};

enum svc_start_value {
    SVC_START_BOOT = 0,
    SVC_START_SYSTEM = 1,
    SVC_START_AUTO = 2,
    SVC_START_DEMAND = 3,
    SVC_START_DISABLED = 4,
    /* Not an SCM value: automatic with the delayed-start flag set. */
    SVC_START_DELAYED_AUTO = 0x100
};

/* "Running", "Stop pending", ...; "Unknown (N)" is never returned: unknown gives NULL. */
const char *svc_state_name(uint32_t state);

/* 1 for the start and stop pending states, where the service owes the SCM progress. */
int svc_state_is_pending(uint32_t state);

/* "Automatic", "Automatic (delayed start)", "Manual", "Disabled", "Boot", "System". */
const char *svc_start_name(uint32_t start_type);

/* The start type as one value: SVC_START_DELAYED_AUTO when auto and delayed. */
uint32_t svc_start_effective(uint32_t start_type, int delayed_auto);

#endif
