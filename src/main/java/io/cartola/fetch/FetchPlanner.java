package io.cartola.fetch;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cartola.callback.CallbackToken;
import io.cartola.config.CartolaConfig;
import io.cartola.fetch.FetchResult.AccountResult;
import io.cartola.queue.AccountQueue;
import io.cartola.queue.AccountTask;
import io.cartola.records.AccountRequest;
import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.storage.StorageException;
import io.cartola.telemetry.Metrics;

/**
 * A run scaled out: one queue message per account, ten a call, {@code cartola.queue.senders} calls at once; the
 * workers fetch them. An account the queue did not take is {@code FAILED} (code QUEUE), counted and recorded. The
 * list is read as it is sent (a stored list is never held whole), and batches are counted as they return, so
 * memory does not grow with the number of accounts.
 */
@ApplicationScoped
public class FetchPlanner {

    private static final Logger LOG = Logger.getLogger(FetchPlanner.class);

    private final CartolaConfig config;
    private final RunAccounts accounts;
    private final CallbackUrls callbackUrls;
    private final CallbackToken tokens;
    private final OperationLog log;
    private final Metrics metrics;
    private final Clock clock;

    public FetchPlanner(CartolaConfig config, RunAccounts accounts, CallbackUrls callbackUrls, CallbackToken tokens, OperationLog log,
            Metrics metrics, Clock clock) {
        this.config = config;
        this.accounts = accounts;
        this.callbackUrls = callbackUrls;
        this.tokens = tokens;
        this.log = log;
        this.metrics = metrics;
        this.clock = clock;
    }

    FetchResult plan(FetchInput in, Mode mode, AccountQueue queue) {
        if (mode == Mode.async) {
            callbackUrls.checkLength();
        }
        String run = clock.instant() + "/" + tokens.newRequestId();
        Planning planning = new Planning(run, mode, in.force(), queue);
        List<String> problems;
        try {
            if (in.accounts() != null) {
                AccountList list = RunAccounts.given(in.accounts());
                list.accounts().forEach(planning::add);
                problems = list.problems();
            } else {
                problems = accounts.configured(planning::add);
            }
            planning.finish();
        } finally {
            planning.pool.shutdownNow();
        }
        problems.forEach(p -> LOG.warnf("fetch: skipped %s", p));
        if (planning.accounts == 0) {
            throw RunAccounts.noAccounts(in);
        }
        recordUnqueued(run, planning.unqueued);
        FetchResult result = planning.tally.result(mode, problems);
        LOG.infof("fetch %s (%s) run %s: %d accounts, %d queued, %d not queued, %d refused", mode, in.trigger(), run,
                result.queued() + result.failed() + result.skipped(), result.queued(), result.failed(), result.refused());
        metrics.emit(result.metrics(new RunGauges()));
        return result;
    }

    /** A planning run's accounts on their way to the queue: batches of ten, at most twice the senders in flight. */
    private final class Planning {
        final String run;
        final Mode mode;
        final boolean force;
        final AccountQueue queue;
        final int senders = Math.max(1, config.queue().senders());
        final ExecutorService pool = Executors.newFixedThreadPool(senders);
        final Deque<Sending> inFlight = new ArrayDeque<>();
        final FetchResult.Tally tally = new FetchResult.Tally();
        final List<OperationLog.Unqueued.Entry> unqueued = new ArrayList<>();
        List<AccountTask> batch = new ArrayList<>(AccountQueue.MAX_BATCH);
        int accounts;

        Planning(String run, Mode mode, boolean force, AccountQueue queue) {
            this.run = run;
            this.mode = mode;
            this.force = force;
            this.queue = queue;
        }

        void add(String account) {
            accounts++;
            if (accounts > FetchPlanner.this.accounts.max()) {
                if (accounts == FetchPlanner.this.accounts.max() + 1) {
                    finish(); // the queued ones first: the answer lists accounts in the order asked
                }
                tally.add(FetchPlanner.this.accounts.pastLimit(account));
                return;
            }
            batch.add(new AccountTask(account, mode, force, run));
            if (batch.size() == AccountQueue.MAX_BATCH) {
                flush();
            }
        }

        private void flush() {
            if (batch.isEmpty()) {
                return;
            }
            List<AccountTask> sending = batch;
            batch = new ArrayList<>(AccountQueue.MAX_BATCH);
            inFlight.add(new Sending(sending, pool.submit(() -> queue.send(sending))));
            if (inFlight.size() >= 2 * senders) {
                count(inFlight.poll(), mode, tally, unqueued);
            }
        }

        void finish() {
            flush();
            while (!inFlight.isEmpty()) {
                count(inFlight.poll(), mode, tally, unqueued);
            }
        }
    }

    /** A batch on its way to the queue. */
    private record Sending(List<AccountTask> batch, Future<List<AccountQueue.Unsent>> sent) {
    }

    private static void count(Sending sending, Mode mode, FetchResult.Tally tally, List<OperationLog.Unqueued.Entry> unqueued) {
        Map<String, String> unsent = new HashMap<>();
        try {
            sending.sent().get().forEach(u -> unsent.put(u.task().account(), u.reason()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing", e);
        } catch (ExecutionException e) {
            String reason = "not queued: " + e.getCause().getClass().getSimpleName();
            sending.batch().forEach(t -> unsent.put(t.account(), reason));
        }
        for (AccountTask task : sending.batch()) {
            String reason = unsent.get(task.account());
            if (reason != null) {
                LOG.warnf("fetch account=%s: FAILED QUEUE %s", Accounts.mask(task.account()), reason);
                unqueued.add(new OperationLog.Unqueued.Entry(task.account(), reason));
            }
            tally.add(reason == null ? AccountResult.queued(Accounts.mask(task.account()), mode)
                    : AccountResult.failed(Accounts.mask(task.account()), null, mode, "QUEUE", reason));
        }
    }

    /** One record of the accounts the queue did not take, so that one invocation with them asks them again. */
    private void recordUnqueued(String run, List<OperationLog.Unqueued.Entry> unqueued) {
        if (unqueued.isEmpty()) {
            return;
        }
        String institution = config.khipu().institution();
        try {
            String key = log.unqueued(institution, AccountRequest.dayOf(clock.instant(), config.zone()), run, unqueued);
            LOG.errorf("fetch run %s: %d accounts not queued, listed in %s; invoke fetch with them to ask again", run,
                    unqueued.size(), key);
        } catch (StorageException e) {
            LOG.errorf(e, "fetch run %s: %d accounts not queued, and the record of them could not be stored", run, unqueued.size());
        }
    }
}
