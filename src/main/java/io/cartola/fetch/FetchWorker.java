package io.cartola.fetch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cartola.config.CartolaConfig;
import io.cartola.fetch.FetchResult.AccountResult;
import io.cartola.fetch.FetchResult.Outcome;
import io.cartola.queue.AccountQueue;
import io.cartola.queue.AccountTask;
import io.cartola.records.Mode;
import io.cartola.records.AccountState;
import io.cartola.records.AccountRequest;
import io.cartola.records.AccountStates;
import io.cartola.records.Accounts;
import io.cartola.storage.StorageException;
import io.cartola.telemetry.Metrics;

/**
 * Fetches the accounts a planning run queued, one message each. The account's run is claimed in its
 * state with the same conditional write that records the request (see {@link AccountFetch#fetch}), so
 * a second delivery of the same message does not ask Khipu again (Khipu bills each request). A failure
 * that may pass (Khipu or storage unreachable, 429, 5xx) frees the claim and is redelivered by the queue;
 * the rest is recorded and done.
 */
@ApplicationScoped
public class FetchWorker {

    private static final Logger LOG = Logger.getLogger(FetchWorker.class);
    // failures that may pass: the message goes back to the queue and is tried again (then the dead-letter queue)
    private static final Set<String> PASSING = Set.of("TIMEOUT", "CONNECTION", "HTTP_429", "STORAGE", "INTERNAL", "TOKEN_ENDPOINT");

    // a message put back waits 30 s, doubling with each delivery, at most SQS's 15 minutes, with full jitter
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);

    private final AccountFetch fetch;
    private final AccountStates states;
    private final PendingRequests pendingRequests;
    private final Optional<AccountQueue> queue;
    private final CartolaConfig config;
    private final Metrics metrics;
    private final Clock clock;

    public FetchWorker(AccountFetch fetch, AccountStates states, PendingRequests pendingRequests, Optional<AccountQueue> queue,
            CartolaConfig config, Metrics metrics, Clock clock) {
        this.fetch = fetch;
        this.states = states;
        this.pendingRequests = pendingRequests;
        this.queue = queue;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** How long a message put back for its {@code delivery}-th time waits before the next one. */
    public static Duration backoff(int delivery) {
        long ceiling = Math.min(AccountQueue.MAX_DELAY.toSeconds(), FIRST_BACKOFF.toSeconds() << Math.min(Math.max(delivery - 1, 0), 10));
        return Duration.ofSeconds(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    /** One task's result (none for a look that found nothing to do), and whether its message should be delivered again. */
    public record Done(AccountResult result, boolean redeliver) {
    }

    /**
     * A batch's tasks, {@code cartola.fetch.concurrency} at a time; the results in the tasks' order. The look at
     * each asynchronous request is sent while Khipu is being asked (not after its answer, on the batch's
     * critical path), and before the invocation ends.
     */
    public List<Done> work(List<AccountTask> tasks, RunGauges gauges) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        // Lambda's own deadline is not given to a Funqy function: the configured timeout (WorkerTimeout) stands in.
        // An account not started in time goes back to the queue instead of being cut off by the timeout
        Instant startBy = fetch.startBy(clock.instant());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.fetch().concurrency(), tasks.size()));
        try (Looks looks = queue.map(q -> new Looks(q, config.callback().deadline())).orElse(null)) {
            List<Future<Done>> futures = tasks.stream().map(t -> pool.submit(() -> work(t, looks, gauges, startBy))).toList();
            List<Done> done = new ArrayList<>(tasks.size());
            for (int i = 0; i < futures.size(); i++) {
                try {
                    done.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    LOG.errorf(e.getCause(), "fetch-worker account=%s: unexpected failure", Accounts.mask(tasks.get(i).account()));
                    done.add(new Done(AccountResult.failed(Accounts.mask(tasks.get(i).account()), null, tasks.get(i).mode(),
                            "INTERNAL", e.getCause().getClass().getSimpleName()), true));
                }
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private Done work(AccountTask task, Looks looks, RunGauges gauges, Instant startBy) {
        if (clock.instant().isAfter(startBy)) {
            LOG.warnf("fetch-worker account=%s: not started, the invocation is near its timeout (cartola.fetch.timeout); put back",
                    Accounts.mask(task.account()));
            return new Done(AccountResult.failed(Accounts.mask(task.account()), null, task.mode(), NOT_STARTED,
                    "not started: the invocation was near its timeout; delivered again"), true);
        }
        if (task.recheck() != null) {
            return look(task, gauges);
        }
        // sent once the request is in the account's state: if this worker dies while Khipu is asked, the look still
        // comes at the deadline and finds the request unanswered
        Consumer<AccountRequest> asking = looks == null ? null : s -> looks.add(task.recheckOf(s.requestId()));
        return settle(task, fetch.fetch(task.account(), task.mode(), task.force(), task.claimKey(), asking, Instant.MAX,
                gauges));
    }

    static final String NOT_STARTED = "NOT_STARTED";

    /** A failure that may pass frees the run's claim and goes back to the queue; the rest is done. */
    private Done settle(AccountTask task, AccountResult result) {
        boolean redeliver = passing(result);
        if (redeliver) {
            try {
                states.update(config.khipu().institution(), task.account(),
                        st -> st.claimed(task.claimKey()) ? st.withClaim(null) : st);
            } catch (StorageException e) {
                // the claim stays: the redelivery is taken for a duplicate, and the next run asks for the account
                LOG.errorf(e, "fetch-worker account=%s: could not free run %s for its redelivery", result.account(), task.run());
            }
        }
        return new Done(result, redeliver);
    }

    /**
     * The delayed look at an accepted request: if its callback has not come by its deadline, the account is
     * fetched now (the request recorded lost, the account asked synchronously) rather than at the next run.
     * Nothing is written when the callback came (the next run takes it into the state) or when it is not
     * due yet (the look is sent again for the deadline).
     */
    private Done look(AccountTask task, RunGauges gauges) {
        String institution = config.khipu().institution();
        AccountState state;
        try {
            state = states.read(institution, task.account());
        } catch (StorageException e) {
            LOG.errorf(e, "fetch-worker account=%s: could not read its state to look at request %s",
                    Accounts.mask(task.account()), task.recheck());
            return new Done(AccountResult.failed(Accounts.mask(task.account()), task.recheck(), Mode.async, "STORAGE",
                    "storage failed: " + e.getMessage()), true);
        }
        Optional<AccountState.Pending> pending = state.pending().stream()
                .filter(p -> p.requestId().equals(task.recheck())).findFirst();
        if (pending.isEmpty() || pendingRequests.answered(state, pending.get())) {
            return new Done(null, false);
        }
        if (pending.get().lost()) {
            // recorded lost already: by this look, whose synchronous ask failed and was put back (ask again), or by a
            // run that has asked since (nothing to do)
            if (askedSince(state, pending.get())) {
                return new Done(null, false);
            }
        } else {
            Duration left = Duration.between(clock.instant(), pending.get().deadline());
            if (!left.isNegative()) {
                Looks.sendOne(queue.orElseThrow(), task, left);
                return new Done(null, false);
            }
        }
        LOG.infof("fetch-worker account=%s: no callback for request %s by %s; fetching now", Accounts.mask(task.account()),
                task.recheck(), pending.get().deadline());
        return settle(task, fetch.fetch(task.account(), Mode.async, false, task.claimKey(), null, Instant.MAX, gauges));
    }

    /** Whether the account was asked again, or had data stored, after {@code lost} was requested. */
    private static boolean askedSince(AccountState state, AccountState.Pending lost) {
        return (state.lastStoredAt() != null && state.lastStoredAt().isAfter(lost.requestedAt()))
                || state.pending().stream().anyMatch(p -> p.requestedAt().isAfter(lost.requestedAt()));
    }

    static boolean passing(AccountResult r) {
        return r.outcome() == Outcome.FAILED && (PASSING.contains(r.errorCode())
                || (r.errorCode() != null && r.errorCode().startsWith("HTTP_5")) || "RETRY_IMMEDIATELY".equals(r.errorType()));
    }

    /**
     * One batch's counts, in the same metrics as an in-process run, so the same alarms watch both; returns them. A
     * request found lost counts even when the account's ask is put back (the redelivery does not find it again).
     */
    public Map<String, Number> report(List<Done> done, int invalid, RunGauges gauges) {
        int redelivered = (int) done.stream().filter(Done::redeliver).count();
        List<AccountResult> settled = done.stream().filter(d -> !d.redeliver() && d.result() != null).map(Done::result).toList();
        FetchResult result = FetchResult.of(null, settled, List.of());
        Map<String, Number> values = result.metrics(gauges);
        int lostPutBack = done.stream().filter(d -> d.redeliver() && d.result() != null && d.result().lostOperations() != null)
                .mapToInt(d -> d.result().lostOperations()).sum();
        values.put("AccountsLost", result.lost() + lostPutBack);
        values.put("AccountsRetrying", redelivered);
        values.put("MessagesInvalid", invalid);
        metrics.emit(values);
        LOG.infof("fetch-worker: %d messages, %d accepted, %d stored, %d failed, %d skipped, %d put back, %d invalid",
                done.size() + invalid, result.accepted(), result.stored(), result.failed(), result.skipped(), redelivered, invalid);
        return values;
    }
}
