package io.cartola.fetch;

import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.cartola.callback.CallbackToken;
import io.cartola.config.CartolaConfig;
import io.cartola.credentials.AccountToken;
import io.cartola.credentials.AccountTokens;
import io.cartola.fetch.FetchResult.AccountResult;
import io.cartola.fetch.FetchResult.Outcome;
import io.cartola.khipu.KhipuException;
import io.cartola.khipu.KhipuGateway;
import io.cartola.khipu.KhipuReply;
import io.cartola.khipu.KhipuTransientException;
import io.cartola.khipu.model.Envelope;
import io.cartola.queue.AccountQueue;
import io.cartola.queue.AccountTask;
import io.cartola.records.AccountRequest;
import io.cartola.records.AccountState;
import io.cartola.records.AccountStates;
import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.records.OperationRecord;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.StorageException;
import io.cartola.telemetry.Metrics;

/**
 * Asks Khipu for the day's transactions of each account, a bounded number at a time. Each account's
 * state is read first: an account Khipu told to wait is skipped (unless forced), requests whose
 * callback never came are recorded lost and the account is asked synchronously instead. One
 * account's failure is recorded and reported in its own entry; it never stops the others.
 */
@ApplicationScoped
public class FetchService {

    private static final Logger LOG = Logger.getLogger(FetchService.class);
    /** Khipu's limit for {@code CallbackUrl}. */
    static final int MAX_CALLBACK_URL = 255;
    // one account can take this long: Khipu's retries (2 minutes at most), the last attempt's timeouts, storage
    static final Duration MAX_MARGIN = Duration.ofSeconds(180);

    private final CartolaConfig config;
    private final KhipuGateway khipu;
    private final OperationLog log;
    private final AccountStates states;
    private final PendingRequests pending;
    private final CallbackToken tokens;
    private final AccountTokens accessTokens;
    private final Optional<AccountQueue> queue;
    private final ObjectStore store;
    private final Metrics metrics;
    private final Clock clock;
    private final ManagedExecutor executor;
    private final String institution;

    public FetchService(CartolaConfig config, KhipuGateway khipu, OperationLog log, AccountStates states,
            PendingRequests pending, CallbackToken tokens, AccountTokens accessTokens, Optional<AccountQueue> queue, ObjectStore store, Metrics metrics,
            Clock clock, ManagedExecutor executor) {
        this.config = config;
        this.khipu = khipu;
        this.log = log;
        this.states = states;
        this.pending = pending;
        this.tokens = tokens;
        this.accessTokens = accessTokens;
        this.queue = queue;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = executor;
        this.institution = config.khipu().institution();
    }

    public FetchResult fetch(FetchInput input) {
        Instant started = clock.instant();
        FetchInput in = input == null ? new FetchInput(null, null) : input;
        Mode mode = FetchInput.mode(in.mode());
        if (queue.isPresent()) {
            return plan(in, mode, queue.get());
        }
        AccountList list = in.accounts() == null ? configured() : given(in.accounts());
        list.problems().forEach(p -> LOG.warnf("fetch: skipped %s", p));
        if (list.accounts().isEmpty()) {
            throw noAccounts(in);
        }
        if (mode == Mode.async) {
            checkCallbackUrlLength();
        }
        int max = config.fetch().maxAccounts();
        List<String> accounts = list.accounts().size() > max ? list.accounts().subList(0, max) : list.accounts();
        Instant startBy = startBy(started);

        List<AccountResult> out = new ArrayList<>(list.accounts().size());
        RunGauges gauges = new RunGauges();
        int threads = Math.min(config.fetch().concurrency(), accounts.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<AccountResult>> futures = new ArrayList<>(accounts.size());
            for (String account : accounts) {
                futures.add(pool.submit(() -> fetchOne(account, mode, in.force(), null, null, startBy, gauges)));
            }
            for (int i = 0; i < futures.size(); i++) {
                out.add(await(futures.get(i), accounts.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }
        notReached(list, accounts).forEach(out::add);
        FetchResult result = FetchResult.of(mode, out, list.problems());
        LOG.infof("fetch %s (%s): %d accounts, %d accepted, %d stored, %d failed, %d skipped, %d lost, %d refused, %d unauthorised",
                mode, in.trigger(), out.size(), result.accepted(), result.stored(), result.failed(), result.skipped(),
                result.lost(), result.refused(), result.unauthorised());
        if (result.notReached() > 0) {
            LOG.warnf("fetch: %d accounts not reached in this run (cartola.fetch.max-accounts %d, cartola.fetch.timeout %s)",
                    result.notReached(), max, config.fetch().timeout().map(Duration::toString).orElse("none"));
        }
        emit(result, gauges);
        return result;
    }

    /**
     * Scaled out: one queue message per account, ten a call, {@code cartola.queue.senders} calls at once; the
     * workers fetch them. An account the queue did not take is {@code FAILED} (code QUEUE) and counted. The list
     * is read as it is sent (a stored list is never held whole), and batches are counted as they return, so
     * memory does not grow with the number of accounts.
     */
    private FetchResult plan(FetchInput in, Mode mode, AccountQueue queue) {
        if (mode == Mode.async) {
            checkCallbackUrlLength();
        }
        String run = clock.instant() + "/" + tokens.newRequestId();
        Planner planner = new Planner(run, mode, in.force(), queue);
        List<String> problems;
        try {
            if (in.accounts() != null) {
                AccountList list = given(in.accounts());
                list.accounts().forEach(planner::add);
                problems = list.problems();
            } else {
                problems = configured(planner::add);
            }
            planner.finish();
        } finally {
            planner.pool.shutdownNow();
        }
        problems.forEach(p -> LOG.warnf("fetch: skipped %s", p));
        if (planner.accounts == 0) {
            throw noAccounts(in);
        }
        recordUnqueued(run, planner.unqueued);
        FetchResult result = planner.tally.result(mode, problems);
        LOG.infof("fetch %s (%s) run %s: %d accounts, %d queued, %d not queued, %d refused", mode, in.trigger(), run,
                result.queued() + result.failed() + result.skipped(), result.queued(), result.failed(), result.refused());
        emit(result, new RunGauges());
        return result;
    }

    /** A planning run's accounts on their way to the queue: batches of ten, at most twice the senders in flight. */
    private final class Planner {
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

        Planner(String run, Mode mode, boolean force, AccountQueue queue) {
            this.run = run;
            this.mode = mode;
            this.force = force;
            this.queue = queue;
        }

        void add(String account) {
            accounts++;
            if (accounts > config.fetch().maxAccounts()) {
                if (accounts == config.fetch().maxAccounts() + 1) {
                    finish(); // the queued ones first: the answer lists accounts in the order asked
                }
                tally.add(pastLimit(account));
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
        Map<String, String> unsent = new java.util.HashMap<>();
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
        try {
            String key = log.unqueued(institution, AccountRequest.dayOf(clock.instant(), config.zone()), run, unqueued);
            LOG.errorf("fetch run %s: %d accounts not queued, listed in %s; invoke fetch with them to ask again", run,
                    unqueued.size(), key);
        } catch (StorageException e) {
            LOG.errorf(e, "fetch run %s: %d accounts not queued, and the record of them could not be stored", run, unqueued.size());
        }
    }

    /** The accounts past cartola.fetch.max-accounts, reported as not reached. */
    private java.util.stream.Stream<AccountResult> notReached(AccountList list, List<String> accounts) {
        return list.accounts().subList(accounts.size(), list.accounts().size()).stream().map(this::pastLimit);
    }

    private AccountResult pastLimit(String account) {
        return AccountResult.skipped(Accounts.mask(account), null,
                "not asked: past cartola.fetch.max-accounts (" + config.fetch().maxAccounts() + ") in one run", null);
    }

    private static InvalidInputException noAccounts(FetchInput in) {
        return new InvalidInputException(in.accounts() == null
                ? "cartola.accounts: no accounts configured (set cartola.accounts or cartola.accounts.key)"
                : "accounts: no accounts given");
    }

    /** The configured list, handed to {@code each} as it is read (a stored list is never held whole); returns the problems. */
    private List<String> configured(java.util.function.Consumer<String> each) {
        if (config.accountsKey().isPresent()) {
            String key = config.accountsKey().get();
            try (InputStream in = store.open(key).orElseThrow(() -> new InvalidInputException(
                    "cartola.accounts.key: no account list stored at " + key))) {
                return AccountList.read(in, key, each);
            } catch (java.io.IOException e) {
                throw new StorageException("could not read the account list " + key, e);
            }
        }
        AccountList list = AccountList.of(config.accounts().orElse(List.of()), "cartola.accounts");
        list.accounts().forEach(each);
        return list.problems();
    }

    /** The configured list: the object named by cartola.accounts.key, else cartola.accounts. */
    private AccountList configured() {
        List<String> accounts = new ArrayList<>();
        List<String> problems = configured(accounts::add);
        return new AccountList(List.copyOf(accounts), problems);
    }

    /** An invocation's own list is refused whole when an entry is bad: its sender is there to fix it. */
    private static AccountList given(List<String> accounts) {
        for (int i = 0; i < accounts.size(); i++) {
            String problem = Accounts.problem(accounts.get(i));
            if (problem != null) {
                throw new InvalidInputException("accounts[" + i + "]: " + problem);
            }
        }
        return new AccountList(List.copyOf(new java.util.LinkedHashSet<>(accounts)), List.of());
    }

    /** The last moment an account may be started in an invocation started at {@code started} (cartola.fetch.timeout). */
    Instant startBy(Instant started) {
        Duration budget = config.fetch().accountBudget();
        return config.fetch().timeout().map(t -> {
            Duration share = t.multipliedBy(3).dividedBy(5);
            return started.plus(t).minus(share.compareTo(budget) < 0 ? share : budget);
        }).orElse(Instant.MAX);
    }

    /** What the state said to do with an account in this run. */
    private enum Decision {
        ASK, DUPLICATE, WAIT, UNAUTHORISED
    }

    /**
     * One account's run. Its state is read and its pending requests settled from what is stored for them (an
     * answer taken in, a request past its deadline without one recorded lost); then one conditional write of the
     * state records what was settled and the request about to be made, with the queued run it belongs to
     * ({@code claim}, for a worker: a second delivery of the run finds it and does not ask Khipu again). Khipu is
     * asked unless the account must wait. An answer with data costs two more writes (raw, view), a 202 none.
     * {@code asking}, if given, is told of an asynchronous request once it is recorded, just before Khipu is asked.
     */
    AccountResult fetchOne(String account, Mode runMode, boolean force, String claim, Consumer<AccountRequest> asking,
            Instant startBy, RunGauges gauges) {
        Instant now = clock.instant();
        String masked = Accounts.mask(account);
        if (now.isAfter(startBy)) {
            return AccountResult.skipped(masked, null, "not asked: the run was close to its timeout (cartola.fetch.timeout)", null);
        }
        int lost = 0;
        AccountRequest s = null;
        try {
            // read beside the state and its pending answers, not after them: one round trip fewer before Khipu is asked
            CompletableFuture<Optional<AccountToken>> foundToken = executor.supplyAsync(() -> accessTokens.find(account));
            AccountStates.Read read = states.readVersion(institution, account);
            if (claim != null && read.state().claimed(claim)) {
                return duplicate(masked, claim);
            }
            PendingRequests.Found found = pending.settle(read.state(), now);
            lost = found.newlyLost();
            AccountToken token = join(foundToken).orElse(null);
            // milliseconds, as the callback token carries the time: every writer of this request's view lines agrees
            Instant requestedAt = now.truncatedTo(ChronoUnit.MILLIS);
            String requestId = tokens.newRequestId();
            AtomicReference<Decision> decision = new AtomicReference<>();
            AtomicReference<Mode> mode = new AtomicReference<>(runMode);
            AccountState state = states.update(institution, account, read, current -> {
                Optional<AccountState.Pending> own = current.pending().stream().filter(p -> p.requestId().equals(requestId)).findFirst();
                if (own.isPresent()) {
                    // this attempt's own write (its request id is new): S3 committed it, the answer was lost and the
                    // SDK's retry got 412; the claim in it is ours, not a duplicate's
                    decision.set(Decision.ASK);
                    mode.set(own.get().mode());
                    return current;
                }
                if (claim != null && current.claimed(claim)) {
                    decision.set(Decision.DUPLICATE);
                    return current;
                }
                AccountState st = found.applyTo(current);
                if (!force && token != null && st.awaitsNewToken(token.registeredAt())) {
                    decision.set(Decision.UNAUTHORISED);
                    return st;
                }
                if (!force && st.waiting(now)) {
                    decision.set(Decision.WAIT);
                    return st;
                }
                decision.set(Decision.ASK);
                mode.set(st.syncUntilCallback() ? Mode.sync : runMode);
                Duration answerWithin = mode.get() == Mode.async ? config.callback().deadline() : MAX_MARGIN;
                st = st.withPending(new AccountState.Pending(requestId, requestedAt, requestedAt.plus(answerWithin), mode.get(), false));
                return claim == null ? st : st.withClaim(new AccountState.Claim(claim, now));
            });
            gauges.seen(state, now);
            Integer lostOrNull = lost == 0 ? null : lost;
            switch (decision.get()) {
                case DUPLICATE -> {
                    return duplicate(masked, claim);
                }
                case UNAUTHORISED -> {
                    LOG.warnf("fetch account=%s: skipped, Khipu rejected its access token on a request of %s; waiting for a new one",
                            masked, state.tokenRejectedAt());
                    return AccountResult.unauthorised(masked, state.tokenRejectedAt(), lostOrNull);
                }
                case WAIT -> {
                    LOG.infof("fetch account=%s: skipped, Khipu asked to wait until %s (%s)", masked, state.retryNotBefore(),
                            state.lastError());
                    return AccountResult.skipped(masked, state.retryNotBefore(), "Khipu asked not to retry before "
                            + state.retryNotBefore() + " (" + state.lastError() + "); invoke with \"force\": true to ask anyway",
                            lostOrNull);
                }
                case ASK -> {
                    s = new AccountRequest(institution, account, requestId, requestedAt,
                            AccountRequest.dayOf(requestedAt, config.zone()), mode.get());
                    if (asking != null && s.mode() == Mode.async) {
                        asking.accept(s);
                    }
                    return log(s, ask(s, token == null ? null : token.accessToken())).withLost(lost);
                }
                default -> throw new IllegalStateException("no decision for account " + masked);
            }
        } catch (StorageException e) {
            LOG.errorf(e, "fetch account=%s: storage failed", masked);
            return AccountResult.failed(masked, s == null ? null : s.requestId(), s == null ? null : s.mode(), "STORAGE",
                    "storage failed: " + e.getMessage()).withLost(lost);
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static AccountResult duplicate(String masked, String run) {
        LOG.infof("fetch-worker account=%s: run %s was asked for already, a duplicate delivery; Khipu not asked", masked, run);
        return AccountResult.duplicate(masked, run);
    }

    private AccountResult ask(AccountRequest s, String accessToken) {
        try {
            // the request is in the account's state already: a callback that comes before Khipu's 202 finds its place
            String callbackUrl = s.mode() == Mode.async ? callbackUrl(s.requestId(), s.account(), s.requestedAt()) : null;
            KhipuReply reply = khipu.transactions(s.account(), callbackUrl, accessToken);
            if (reply.accepted()) {
                return AccountResult.accepted(s, reply.operationId());
            }
            return stored(s, reply);
        } catch (KhipuTransientException e) {
            if (e.reply() != null) {
                // Khipu kept answering Status=ERROR with RETRY_IMMEDIATELY: store its last answer
                return stored(s, e.reply());
            }
            return failed(s, e.code(), e.getMessage());
        } catch (KhipuException e) {
            return failed(s, e.code(), e.getMessage());
        }
    }

    /** A synchronous answer: raw and view (or the error's record); the state takes it in at the next run. */
    private AccountResult stored(AccountRequest s, KhipuReply reply) {
        Envelope envelope = reply.envelope();
        OperationLog.Stored stored = log.store(s, reply.body(), envelope, reply.status());
        if (stored.refused()) {
            // Khipu answered this request twice, differently (a callback came first): the first answer stays
            LOG.warnf("fetch account=%s request=%s: another answer to this request was stored first; kept that one",
                    s.maskedAccount(), s.requestId());
        }
        OperationRecord.Failure error = envelope.ok() ? null : stored.error() != null && stored.error().code() != null ? stored.error()
                : new OperationRecord.Failure(io.cartola.khipu.model.KhipuError.codeOf(envelope.error()),
                        envelope.error() == null ? null : envelope.error().type(),
                        envelope.error() == null ? null : envelope.error().description(), null);
        return AccountResult.stored(s, envelope.operationId(), envelope.ok() ? envelope.transactions().size() : null, error,
                stored.changes());
    }

    private AccountResult failed(AccountRequest s, String code, String message) {
        log.failed(s, code, message, null);
        // no longer waited for; an asynchronous one is kept: if Khipu did accept it after all, its callback is
        // stored and merged, and the next run takes it in
        Set<String> request = Set.of(s.requestId());
        states.update(institution, s.account(), st -> {
            AccountState without = s.mode() == Mode.async ? st.givenUp(request, false) : st.withoutPending(request);
            return KhipuGateway.TOKEN_REJECTED.equals(code) ? without.tokenRejected(code, s.requestedAt())
                    : without.failed(code, s.requestedAt(), null, false);
        });
        return AccountResult.failed(s.maskedAccount(), s.requestId(), s.mode(), code, message);
    }

    private static AccountResult log(AccountRequest s, AccountResult r) {
        if (r.outcome() == Outcome.FAILED) {
            LOG.warnf("fetch account=%s request=%s: FAILED %s%s: %s", r.account(), r.requestId(), r.errorCode(),
                    r.errorType() == null ? "" : " " + r.errorType(), r.message());
        } else {
            LOG.infof("fetch account=%s request=%s: %s %s operation=%s", r.account(), r.requestId(), r.outcome(), s.mode(),
                    r.operationId());
        }
        return r;
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

    /** The run's counts, and what it saw of its accounts' states. */
    private void emit(FetchResult result, RunGauges gauges) {
        metrics.emit(metrics(result, gauges));
    }

    /** A run's counts as metrics, the same for an in-process run, a planning run and a worker's batch. */
    static Map<String, Number> metrics(FetchResult result, RunGauges gauges) {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put("AccountsRequested", result.accepted() + result.stored() + result.failed() + result.skipped());
        values.put("AccountsAccepted", result.accepted());
        values.put("AccountsStored", result.stored());
        values.put("AccountsFailed", result.failed());
        values.put("AccountsSkipped", result.skipped());
        values.put("AccountsLost", result.lost());
        values.put("AccountsRefused", result.refused());
        values.put("AccountsNotReached", result.notReached());
        values.put("AccountsUnauthorised", result.unauthorised());
        if (result.queued() > 0) {
            values.put("AccountsQueued", result.queued());
        }
        if (result.view() != null) {
            values.putAll(result.view().metrics());
        }
        values.putAll(gauges.metrics());
        return values;
    }

    String callbackUrl(String requestId, String account, Instant issuedAt) {
        URI base = config.callback().url()
                .orElseThrow(() -> new InvalidInputException("mode: async needs cartola.callback.url"));
        String url = base.toString();
        return url + (base.getRawQuery() == null ? "?" : "&") + "t=" + tokens.issue(requestId, account, issuedAt);
    }

    /** Refuses, before any request, a webhook URL too long for Khipu once the longest token is added. */
    private void checkCallbackUrlLength() {
        String longest = callbackUrl(tokens.newRequestId(), "9".repeat(Accounts.MAX_LENGTH), Instant.ofEpochMilli(999_999_999_999_999L));
        if (longest.length() > MAX_CALLBACK_URL) {
            throw new InvalidInputException("cartola.callback.url: too long, with its token the CallbackUrl can reach "
                    + longest.length() + " characters and Khipu accepts at most " + MAX_CALLBACK_URL);
        }
    }
}
