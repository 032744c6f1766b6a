package io.cartola.fetch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cartola.config.CartolaConfig;
import io.cartola.fetch.FetchResult.AccountResult;
import io.cartola.queue.AccountQueue;
import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.cartola.telemetry.Metrics;

/**
 * A fetch run: with a queue configured, the planner queues the accounts for the workers; without one, the
 * accounts are fetched here, {@code cartola.fetch.concurrency} at a time, up to {@code cartola.fetch.max-accounts}
 * (the rest reported not reached). One account's failure is in its own entry; it never stops the others.
 */
@ApplicationScoped
public class FetchRun {

    private static final Logger LOG = Logger.getLogger(FetchRun.class);

    private final CartolaConfig config;
    private final RunAccounts accounts;
    private final AccountFetch account;
    private final FetchPlanner planner;
    private final CallbackUrls callbackUrls;
    private final Optional<AccountQueue> queue;
    private final Metrics metrics;
    private final Clock clock;

    public FetchRun(CartolaConfig config, RunAccounts accounts, AccountFetch account, FetchPlanner planner, CallbackUrls callbackUrls,
            Optional<AccountQueue> queue, Metrics metrics, Clock clock) {
        this.config = config;
        this.accounts = accounts;
        this.account = account;
        this.planner = planner;
        this.callbackUrls = callbackUrls;
        this.queue = queue;
        this.metrics = metrics;
        this.clock = clock;
    }

    public FetchResult fetch(FetchInput input) {
        Instant started = clock.instant();
        FetchInput in = input == null ? new FetchInput(null, null) : input;
        Mode mode = FetchInput.mode(in.mode());
        if (queue.isPresent()) {
            return planner.plan(in, mode, queue.get());
        }
        AccountList list = in.accounts() == null ? accounts.configured() : RunAccounts.given(in.accounts());
        list.problems().forEach(p -> LOG.warnf("fetch: skipped %s", p));
        if (list.accounts().isEmpty()) {
            throw RunAccounts.noAccounts(in);
        }
        if (mode == Mode.async) {
            callbackUrls.checkLength();
        }
        int max = accounts.max();
        List<String> asked = list.accounts().size() > max ? list.accounts().subList(0, max) : list.accounts();
        Instant startBy = account.startBy(started);

        List<AccountResult> out = new ArrayList<>(list.accounts().size());
        RunGauges gauges = new RunGauges();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.fetch().concurrency(), asked.size()));
        try {
            List<Future<AccountResult>> futures = new ArrayList<>(asked.size());
            for (String a : asked) {
                futures.add(pool.submit(() -> account.fetch(a, mode, in.force(), null, null, startBy, gauges)));
            }
            for (int i = 0; i < futures.size(); i++) {
                out.add(await(futures.get(i), asked.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }
        list.accounts().subList(asked.size(), list.accounts().size()).forEach(a -> out.add(accounts.pastLimit(a)));
        FetchResult result = FetchResult.of(mode, out, list.problems());
        LOG.infof("fetch %s (%s): %d accounts, %d accepted, %d stored, %d failed, %d skipped, %d lost, %d refused, %d unauthorised",
                mode, in.trigger(), out.size(), result.accepted(), result.stored(), result.failed(), result.skipped(),
                result.lost(), result.refused(), result.unauthorised());
        if (result.notReached() > 0) {
            LOG.warnf("fetch: %d accounts not reached in this run (cartola.fetch.max-accounts %d, cartola.fetch.timeout %s)",
                    result.notReached(), max, config.fetch().timeout().map(Duration::toString).orElse("none"));
        }
        metrics.emit(result.metrics(gauges));
        return result;
    }

    private static AccountResult await(Future<AccountResult> future, String account) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "fetch account=%s: unexpected failure", Accounts.mask(account));
            return AccountResult.failed(Accounts.mask(account), null, null, "INTERNAL", e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching", e);
        }
    }
}
