package io.cartola.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cartola.fetch.FetchResult.AccountResult;

/** What each kind of skip counts as: the alarms add up failed, lost, not reached and refused accounts. */
class RunMetricsTest {

    @Test
    void aDuplicateDeliveryOrAParkedAccountIsNotAnAccountTheRunFailedToReach() {
        FetchResult result = FetchResult.of(null, List.of(AccountResult.duplicate("****0001", "run-1"),
                AccountResult.unauthorised("****0002", java.time.Instant.now(), null),
                AccountResult.skipped("****0003", null, "not asked: past cartola.fetch.max-accounts", null)), List.of());
        Map<String, Number> metrics = result.metrics(new RunGauges());
        assertEquals(3, metrics.get("AccountsSkipped"));
        assertEquals(1, metrics.get("AccountsNotReached"), "only the account past the limit");
        assertEquals(1, metrics.get("AccountsUnauthorised"));
        assertFalse(metrics.containsKey("OldestDataAgeHours"), "a planning run measures no data age");
    }
}
