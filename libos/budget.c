// The slice budget: see budget.h for the contract.
#include "libos/budget.h"
#include "libos/hw.h"
#include "libos/limits.h"

static void (*volatile expiry_hook)(void);

void budget_arm(uint32_t us, void (*hook)(void)) {
    expiry_hook = hook;
    hw_budget_start(us);
}

void budget_disarm(void) {
    hw_budget_stop();
    expiry_hook = NULL;
}

void budget_expired(void) {
    void (*hook)(void) = expiry_hook;
    if (hook != NULL) {
        hook();
        hw_budget_start(LIBOS_BUDGET_REPEAT_US);
    }
}
