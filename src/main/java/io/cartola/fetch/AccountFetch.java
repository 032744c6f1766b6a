package io.cartola.fetch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
import io.cartola.khipu.model.KhipuError;
import io.cartola.records.AccountRequest;
import io.cartola.records.AccountState;
import io.cartola.records.AccountStates;
import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.records.OperationRecord;
import io.cartola.storage.StorageException;

/**
 * One account's fetch, for an in-process run, a worker's message and a look at a request whose callback is
 * overdue: read the account's state, settle its pending requests, decide (ask, wait, duplicate, unauthorised),
 * record the request and ask Khipu, then store or record what came back. Its failure is recorded and
 * reported in its own result; it never stops other accounts.
 */
@ApplicationScoped
public class AccountFetch {

    private static final Logger LOG = Logger.getLogger(AccountFetch.class);
    // one account can take this long: Khipu's retries (2 minutes at most), the last attempt's timeouts, storage
    static final Duration MAX_MARGIN = Duration.ofSeconds(180);

    private final CartolaConfig config;
    private final KhipuGateway khipu;
    private final OperationLog log;
    private final AccountStates states;
    private final PendingRequests pending;
    private final CallbackToken tokens;
    private final CallbackUrls callbackUrls;
    private final AccountTokens accessTokens;
    private final Clock clock;
    private final ManagedExecutor executor;
    private final String institution;

    public AccountFetch(CartolaConfig config, KhipuGateway khipu, OperationLog log, AccountStates states, PendingRequests pending,
            CallbackToken tokens, CallbackUrls callbackUrls, AccountTokens accessTokens, Clock clock, ManagedExecutor executor) {
        this.config = config;
        this.khipu = khipu;
        this.log = log;
        this.states = states;
        this.pending = pending;
        this.tokens = tokens;
        this.callbackUrls = callbackUrls;
        this.accessTokens = accessTokens;
        this.clock = clock;
        this.executor = executor;
        this.institution = config.khipu().institution();
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
    AccountResult fetch(String account, Mode runMode, boolean force, String claim, Consumer<AccountRequest> asking,
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
            String callbackUrl = s.mode() == Mode.async ? callbackUrls.of(s.requestId(), s.account(), s.requestedAt()) : null;
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
                : new OperationRecord.Failure(KhipuError.codeOf(envelope.error()),
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
}
