package io.cartola.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cartola.fetch.FetchResult.AccountResult;
import io.cartola.fetch.PendingRequests.Kind;
import io.cartola.fetch.PendingRequests.Settled;
import io.cartola.records.AccountState;
import io.cartola.records.Mode;

/**
 * A lost callback puts an account on synchronous requests; it comes back to asynchronous ones when the lost
 * request expires (its callback could no longer be accepted), not only when that very callback arrives late.
 */
class SyncWayBackTest {

    static final Instant T = Instant.parse("2026-03-02T12:00:00Z");

    @Test
    void theAccountComesBackToAsynchronousRequestsWhenItsLostRequestExpires() {
        AccountState.Pending asked = new AccountState.Pending("r-async", T, T.plus(Duration.ofMinutes(20)), Mode.async, false);
        AccountState lost = AccountState.initial("btgpactual.cl", "000011887755", T).withPending(asked).withLost(Set.of("r-async"));
        assertTrue(lost.syncUntilCallback());

        // a synchronous request answered meanwhile: still on sync, the lost callback may still come
        AccountState.Pending sync = new AccountState.Pending("r-sync", T.plusSeconds(1500), T.plusSeconds(1680), Mode.sync, false);
        AccountState answered = new PendingRequests.Found(List.of(new Settled(sync, Kind.ANSWERED, null, null)), 0)
                .applyTo(lost.withPending(sync));
        assertTrue(answered.syncUntilCallback());

        AccountState expired = new PendingRequests.Found(List.of(new Settled(lost.pending().get(0), Kind.EXPIRED, null, null)), 0)
                .applyTo(answered);
        assertFalse(expired.syncUntilCallback(), expired.toString());
        assertEquals(List.of(), expired.pending());
    }

    @Test
    void accountsOnSyncAreCounted() {
        RunGauges gauges = new RunGauges();
        AccountState onSync = AccountState.initial("btgpactual.cl", "000011887755", T)
                .withPending(new AccountState.Pending("r", T, T.plusSeconds(1), Mode.async, false)).withLost(Set.of("r"));
        gauges.seen(onSync, T.plusSeconds(60));
        gauges.seen(AccountState.initial("btgpactual.cl", "000022334455", T), T.plusSeconds(60));
        FetchResult result = FetchResult.of(Mode.async, List.<AccountResult>of(), List.of());
        assertEquals(1, result.metrics(gauges).get("AccountsOnSync"));
        assertFalse(result.metrics(new RunGauges()).containsKey("AccountsOnSync"), "none without states seen");
    }
}
