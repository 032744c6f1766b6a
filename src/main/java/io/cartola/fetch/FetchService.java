package io.cartola.fetch;

import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

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
    private final CallbackToken tokens;
    private final AccountTokens accessTokens;
    private final Optional<AccountQueue> queue;
    private final ObjectStore store;
    private final Metrics metrics;
    private final Clock clock;
    private final String institution;

    public FetchService(CartolaConfig config, KhipuGateway khipu, OperationLog log, AccountStates states,
            CallbackToken tokens, AccountTokens accessTokens, Optional<AccountQueue> queue, ObjectStore store, Metrics metrics,
            Clock clock) {
        this.config = config;
        this.khipu = khipu;
        this.log = log;
        this.states = states;
        this.tokens = tokens;
        this.accessTokens = accessTokens;
        this.queue = queue;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.institution = config.khipu().institution();
    }

    public FetchResult fetch(FetchInput input) {
        Instant started = clock.instant();
        FetchInput in = input == null ? new FetchInput(null, null) : input;
        Mode mode = FetchInput.mode(in.mode());
        AccountList list = in.accounts() == null ? configured() : given(in.accounts());
        list.problems().forEach(p -> LOG.warnf("fetch: skipped %s", p));
        if (list.accounts().isEmpty()) {
            throw new InvalidInputException(in.accounts() == null
                    ? "cartola.accounts: no accounts configured (set cartola.accounts or cartola.accounts.key)"
                    : "accounts: no accounts given");
        }
        if (mode == Mode.async) {
            checkCallbackUrlLength();
        }
        int max = config.fetch().maxAccounts();
        List<String> accounts = list.accounts().size() > max ? list.accounts().subList(0, max) : list.accounts();
        if (queue.isPresent()) {
            return plan(in, mode, list, accounts, queue.get());
        }
        Instant startBy = config.fetch().timeout().map(t -> started.plus(t).minus(margin(t))).orElse(Instant.MAX);

        List<AccountResult> out = new ArrayList<>(list.accounts().size());
        DoubleAccumulator oldestHours = new DoubleAccumulator(Math::max, 0);
        int threads = Math.min(config.fetch().concurrency(), accounts.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<AccountResult>> futures = new ArrayList<>(accounts.size());
            for (String account : accounts) {
                futures.add(pool.submit(() -> fetchOne(account, mode, in.force(), startBy, oldestHours)));
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
        emit(result, oldestHours.get());
        return result;
    }

    /**
     * Scaled out: one queue message per account, ten a call, {@code cartola.queue.senders} calls at once; the
     * workers fetch them. An account the queue did not take is {@code FAILED} (code QUEUE) and counted. Batches
     * are made as they are sent and counted as they return, so memory does not grow with the run beyond the list.
     */
    private FetchResult plan(FetchInput in, Mode mode, AccountList list, List<String> accounts, AccountQueue queue) {
        String run = clock.instant() + "/" + tokens.newRequestId();
        FetchResult.Tally tally = new FetchResult.Tally();
        List<OperationLog.Unqueued.Entry> unqueued = new ArrayList<>();
        int senders = Math.max(1, config.queue().senders());
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        // twice the senders in flight keeps every sender busy while the oldest batch is counted
        Deque<Sending> inFlight = new ArrayDeque<>();
        try {
            for (int i = 0; i < accounts.size(); i += AccountQueue.MAX_BATCH) {
                List<AccountTask> batch = accounts.subList(i, Math.min(i + AccountQueue.MAX_BATCH, accounts.size())).stream()
                        .map(a -> new AccountTask(a, mode, in.force(), run)).toList();
                inFlight.add(new Sending(batch, pool.submit(() -> queue.send(batch))));
                if (inFlight.size() >= 2 * senders) {
                    count(inFlight.poll(), mode, tally, unqueued);
                }
            }
            while (!inFlight.isEmpty()) {
                count(inFlight.poll(), mode, tally, unqueued);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing", e);
        } finally {
            pool.shutdownNow();
        }
        notReached(list, accounts).forEach(tally::add);
        recordUnqueued(run, unqueued);
        FetchResult result = tally.result(mode, list.problems());
        LOG.infof("fetch %s (%s) run %s: %d accounts, %d queued, %d not queued, %d refused", mode, in.trigger(), run,
                result.queued() + result.failed() + result.skipped(), result.queued(), result.failed(), result.refused());
        emit(result, Double.NaN);
        return result;
    }

    /** A batch on its way to the queue. */
    private record Sending(List<AccountTask> batch, Future<List<AccountQueue.Unsent>> sent) {
    }

    private static void count(Sending sending, Mode mode, FetchResult.Tally tally, List<OperationLog.Unqueued.Entry> unqueued)
            throws InterruptedException {
        Map<String, String> unsent = new java.util.HashMap<>();
        try {
            sending.sent().get().forEach(u -> unsent.put(u.task().account(), u.reason()));
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
        return list.accounts().subList(accounts.size(), list.accounts().size()).stream()
                .map(account -> AccountResult.skipped(Accounts.mask(account), null,
                        "not asked: past cartola.fetch.max-accounts (" + config.fetch().maxAccounts() + ") in one run", null));
    }

    /** The configured list: the object named by cartola.accounts.key, else cartola.accounts. */
    private AccountList configured() {
        if (config.accountsKey().isPresent()) {
            String key = config.accountsKey().get();
            try (InputStream in = store.open(key).orElseThrow(() -> new InvalidInputException(
                    "cartola.accounts.key: no account list stored at " + key))) {
                return AccountList.read(in, key);
            } catch (java.io.IOException e) {
                throw new StorageException("could not read the account list " + key, e);
            }
        }
        return AccountList.of(config.accounts().orElse(List.of()), "cartola.accounts");
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

    private static Duration margin(Duration timeout) {
        Duration share = timeout.multipliedBy(3).dividedBy(5);
        return share.compareTo(MAX_MARGIN) < 0 ? share : MAX_MARGIN;
    }

    /** One account's run: its state read, lost requests recorded, Khipu asked unless it must wait. */
    AccountResult fetchOne(String account, Mode runMode, boolean force, Instant startBy, DoubleAccumulator oldestHours) {
        Instant now = clock.instant();
        String masked = Accounts.mask(account);
        if (now.isAfter(startBy)) {
            return AccountResult.skipped(masked, null, "not asked: the run was close to its timeout (cartola.fetch.timeout)", null);
        }
        int lost = 0;
        AccountRequest s = null;
        try {
            AccountState state = states.read(institution, account);
            List<AccountState.Pending> overdue = state.overdue(now);
            if (!overdue.isEmpty()) {
                lost = recordLost(account, overdue);
                Set<String> ids = overdue.stream().map(AccountState.Pending::requestId).collect(Collectors.toSet());
                boolean anyLost = lost > 0;
                state = states.update(institution, account, st -> st.withoutPending(ids, anyLost));
            }
            oldestHours.accumulate(state.dataAge(now).toSeconds() / 3600.0);
            AccountToken token = accessTokens.find(account).orElse(null);
            if (!force && token != null && state.awaitsNewToken(token.registeredAt())) {
                LOG.warnf("fetch account=%s: skipped, Khipu rejected its access token on a request of %s; waiting for a new one",
                        masked, state.tokenRejectedAt());
                return AccountResult.unauthorised(masked, state.tokenRejectedAt(), lost == 0 ? null : lost);
            }
            if (!force && state.waiting(now)) {
                LOG.infof("fetch account=%s: skipped, Khipu asked to wait until %s (%s)", masked, state.retryNotBefore(),
                        state.lastError());
                return AccountResult.skipped(masked, state.retryNotBefore(), "Khipu asked not to retry before "
                        + state.retryNotBefore() + " (" + state.lastError() + "); invoke with \"force\": true to ask anyway",
                        lost == 0 ? null : lost);
            }
            Mode mode = state.syncUntilCallback() ? Mode.sync : runMode;
            s = new AccountRequest(institution, account, tokens.newRequestId(), now, AccountRequest.dayOf(now, config.zone()), mode);
            return log(s, ask(s, token == null ? null : token.accessToken())).withLost(lost);
        } catch (StorageException e) {
            LOG.errorf(e, "fetch account=%s: storage failed", masked);
            return AccountResult.failed(masked, s == null ? null : s.requestId(), s == null ? null : s.mode(), "STORAGE",
                    "storage failed: " + e.getMessage()).withLost(lost);
        }
    }

    /**
     * Records the overdue requests that got no answer as lost; returns how many were newly recorded (an
     * overlapping run may have recorded one already). A request with a final record was answered after all.
     */
    private int recordLost(String account, List<AccountState.Pending> overdue) {
        int lost = 0;
        for (AccountState.Pending p : overdue) {
            AccountRequest request = new AccountRequest(institution, account, p.requestId(), p.requestedAt(),
                    AccountRequest.dayOf(p.requestedAt(), config.zone()), Mode.async);
            if (log.finalRecord(request).isEmpty() && log.lost(request)) {
                lost++;
                LOG.warnf("fetch account=%s request=%s: LOST, no callback by %s; asking synchronously",
                        request.maskedAccount(), p.requestId(), p.deadline());
            }
        }
        return lost;
    }

    private AccountResult ask(AccountRequest s, String accessToken) {
        try {
            String callbackUrl = null;
            if (s.mode() == Mode.async) {
                // recorded before asking: a callback may come before Khipu's 202 does, and must find both
                log.requested(s);
                AccountState.Pending pending = new AccountState.Pending(s.requestId(), s.requestedAt(),
                        s.requestedAt().plus(config.callback().deadline()));
                states.update(institution, s.account(), st -> st.withPending(pending));
                callbackUrl = callbackUrl(s.requestId(), s.requestedAt());
            }
            KhipuReply reply = khipu.transactions(s.account(), callbackUrl, accessToken);
            if (reply.accepted()) {
                log.accepted(s, reply.operationId());
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

    private AccountResult stored(AccountRequest s, KhipuReply reply) {
        Envelope envelope = reply.envelope();
        OperationRecord record = log.store(s, reply.body(), envelope, reply.status())
                .orElseGet(() -> log.finalRecord(s).orElseThrow());
        Set<String> request = Set.of(s.requestId());
        if (record.error() == null) {
            states.update(institution, s.account(), st -> st.withoutPending(request, false).stored(s.requestedAt(), false));
        } else {
            states.update(institution, s.account(), st -> st.withoutPending(request, false)
                    .failed(record.error().code(), s.requestedAt(), record.error().retryNotBefore(), false));
        }
        return AccountResult.stored(s, record);
    }

    private AccountResult failed(AccountRequest s, String code, String message) {
        log.failed(s, code, message, null);
        // no longer waited for: if Khipu did accept it after all, its callback is still taken and merged
        Set<String> request = Set.of(s.requestId());
        states.update(institution, s.account(), st -> KhipuGateway.TOKEN_REJECTED.equals(code)
                ? st.withoutPending(request, false).tokenRejected(code, s.requestedAt())
                : st.withoutPending(request, false).failed(code, s.requestedAt(), null, false));
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

    /** The run's counts, and how old the oldest data among the accounts asked was when the run began. */
    private void emit(FetchResult result, double oldestHours) {
        metrics.emit(metrics(result, oldestHours));
    }

    /** A run's counts as metrics, the same for an in-process run, a planning run and a worker's batch. */
    static Map<String, Number> metrics(FetchResult result, double oldestHours) {
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
        if (!Double.isNaN(oldestHours)) {
            values.put("OldestDataAgeHours", Math.round(oldestHours * 100) / 100.0);
        }
        return values;
    }

    String callbackUrl(String requestId, Instant issuedAt) {
        URI base = config.callback().url()
                .orElseThrow(() -> new InvalidInputException("mode: async needs cartola.callback.url"));
        String url = base.toString();
        return url + (base.getRawQuery() == null ? "?" : "&") + "t=" + tokens.issue(requestId, issuedAt);
    }

    /** Refuses, before any request, a webhook URL too long for Khipu once the longest token is added. */
    private void checkCallbackUrlLength() {
        String longest = callbackUrl(tokens.newRequestId(), Instant.ofEpochSecond(99_999_999_999L));
        if (longest.length() > MAX_CALLBACK_URL) {
            throw new InvalidInputException("cartola.callback.url: too long, with its token the CallbackUrl can reach "
                    + longest.length() + " characters and Khipu accepts at most " + MAX_CALLBACK_URL);
        }
    }
}
