package io.cartola.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.cartola.storage.ObjectStore;
import io.cartola.storage.S3ObjectStore;
import io.cartola.testing.Mappers;
import io.cartola.testing.MotoServer;
import io.cartola.testing.S3Objects;

/**
 * Overlapping runs and concurrent callbacks update one account's state at once, against an S3 that
 * enforces conditional writes (moto): no update is lost.
 */
class AccountStatesTest {

    final ObjectStore s3 = new S3ObjectStore(S3Objects.client(MotoServer.get().endpoint()), MotoServer.BUCKET);
    final AccountStates states = new AccountStates(s3, Mappers.quarkusLike(), Clock.systemUTC());

    @Test
    void concurrentUpdatesOfOneAccountAreAllKept() throws Exception {
        String account = "st" + System.nanoTime();
        int writers = 12;
        Instant now = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<AccountState>> updates = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String requestId = "request-" + i;
            updates.add(pool.submit(() -> {
                go.await();
                return states.update("btgpactual.cl", account,
                        st -> st.withPending(new AccountState.Pending(requestId, now, now.plus(Duration.ofMinutes(20)), Mode.async, false)));
            }));
        }
        go.countDown();
        for (Future<AccountState> u : updates) {
            u.get();
        }
        pool.shutdown();

        Set<String> pending = states.read("btgpactual.cl", account).pending().stream()
                .map(AccountState.Pending::requestId).collect(Collectors.toSet());
        assertEquals(writers, pending.size(), "every run's pending request is kept: " + pending);
    }

    @Test
    void aCallbackAndARunRacingOnOneAccountBothCount() throws Exception {
        String account = "race" + System.nanoTime();
        Instant now = Instant.now();
        states.update("btgpactual.cl", account, st -> st.withPending(new AccountState.Pending("r1", now, now.plusSeconds(60), Mode.async, false)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        Future<?> callback = pool.submit(() -> {
            go.await();
            return states.update("btgpactual.cl", account, st -> st.withoutPending(Set.of("r1")).stored(now, true));
        });
        Future<?> run = pool.submit(() -> {
            go.await();
            return states.update("btgpactual.cl", account, st -> st.withPending(new AccountState.Pending("r2", now, now.plusSeconds(60), Mode.async, false)));
        });
        go.countDown();
        callback.get();
        run.get();
        pool.shutdown();

        AccountState state = states.read("btgpactual.cl", account);
        assertEquals(List.of("r2"), state.pending().stream().map(AccountState.Pending::requestId).toList());
        assertTrue(state.lastStoredAt() != null);
    }

    @Test
    void aLateResultOfAnOlderRequestDoesNotUndoANewerWait() {
        Instant ten = Instant.parse("2026-11-24T13:00:00Z");
        Instant noon = ten.plus(Duration.ofHours(2));
        AccountState waiting = AccountState.initial("btgpactual.cl", "1", ten)
                .failed("E201", noon, noon.plus(Duration.ofHours(4)), false);

        AccountState late = waiting.stored(ten, true);

        assertEquals(noon.plus(Duration.ofHours(4)), late.retryNotBefore(), "the newer wait stands");
        assertEquals(1, late.consecutiveFailures());
        assertEquals(ten, late.lastStoredAt());
        AccountState newer = waiting.stored(noon.plus(Duration.ofHours(5)), false);
        assertEquals(null, newer.retryNotBefore());
        assertEquals(0, newer.consecutiveFailures());
    }

    @Test
    void aRequestSettledMeanwhileIsNotMadeLost() {
        Instant now = Instant.now();
        AccountState settled = AccountState.initial("btgpactual.cl", "1", now);
        assertFalse(settled.withLost(Set.of("r1")).syncUntilCallback(), "r1 was no longer pending");
        AccountState lost = settled.withPending(new AccountState.Pending("r1", now, now, Mode.async, false)).withLost(Set.of("r1"));
        assertTrue(lost.syncUntilCallback());
        assertTrue(lost.pending().get(0).lost(), "kept, so a late callback is still taken in");
        assertFalse(settled.withPending(new AccountState.Pending("r2", now, now, Mode.sync, false)).withLost(Set.of("r2"))
                .syncUntilCallback(), "a synchronous request lost says nothing about callbacks");
    }

    @Test
    void anAnswerIsTakenInOnceAndAnAsynchronousOneEndsTheSynchronousFallback() {
        Instant now = Instant.now();
        AccountState.Pending r1 = new AccountState.Pending("r1", now, now.plusSeconds(60), Mode.async, true);
        AccountState st = AccountState.initial("btgpactual.cl", "1", now).withPending(r1).withLost(Set.of("r1"));
        AccountState answered = st.answered(r1, null, null);
        assertTrue(answered.pending().isEmpty());
        assertFalse(answered.syncUntilCallback());
        assertEquals(now, answered.lastStoredAt());
        AccountState failed = AccountState.initial("btgpactual.cl", "1", now)
                .withPending(new AccountState.Pending("r2", now, now, Mode.sync, false));
        AccountState.Pending r2 = failed.pending().get(0);
        AccountState once = failed.answered(r2, "E201", now.plusSeconds(3600));
        assertEquals(1, once.consecutiveFailures());
        assertEquals(now.plusSeconds(3600), once.retryNotBefore());
        assertEquals(once, once.answered(r2, "E201", now.plusSeconds(3600)), "not counted twice");
    }
}
