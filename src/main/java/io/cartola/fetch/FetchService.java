package io.cartola.fetch;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cartola.config.CartolaConfig;
import io.cartola.callback.CallbackToken;
import io.cartola.records.AccountRequest;
import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.records.OperationRecord;
import io.cartola.fetch.FetchResult.AccountResult;
import io.cartola.fetch.FetchResult.Outcome;
import io.cartola.khipu.KhipuException;
import io.cartola.khipu.KhipuGateway;
import io.cartola.khipu.KhipuReply;
import io.cartola.khipu.KhipuTransientException;
import io.cartola.khipu.model.Envelope;
import io.cartola.storage.StorageException;

/**
 * Asks Khipu for the day's transactions of each account, a bounded number at a time. One account's
 * failure is recorded and reported in its own entry; it never stops the others.
 */
@ApplicationScoped
public class FetchService {

    private static final Logger LOG = Logger.getLogger(FetchService.class);
    /** Khipu's limit for {@code CallbackUrl}. */
    static final int MAX_CALLBACK_URL = 255;

    private final CartolaConfig config;
    private final KhipuGateway khipu;
    private final OperationLog results;
    private final CallbackToken tokens;
    private final Clock clock;

    public FetchService(CartolaConfig config, KhipuGateway khipu, OperationLog results, CallbackToken tokens, Clock clock) {
        this.config = config;
        this.khipu = khipu;
        this.results = results;
        this.tokens = tokens;
        this.clock = clock;
    }

    public FetchResult fetch(FetchInput input) {
        FetchInput in = input == null ? new FetchInput(null, null) : input;
        Mode mode = FetchInput.mode(in.mode());
        List<String> accounts = in.accounts() == null
                ? validate(config.accounts().orElse(List.of()), "cartola.accounts", config.fetch().maxAccounts())
                : validate(in.accounts(), "accounts", config.fetch().maxAccounts());
        if (mode == Mode.async) {
            checkCallbackUrlLength();
        }
        int threads = Math.min(config.fetch().concurrency(), accounts.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<AccountResult>> futures = new ArrayList<>();
            for (String account : accounts) {
                futures.add(pool.submit(() -> fetchOne(account, mode)));
            }
            List<AccountResult> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                out.add(await(futures.get(i), accounts.get(i)));
            }
            FetchResult result = FetchResult.of(mode, out);
            LOG.infof("fetch %s: %d accounts, %d accepted, %d stored, %d failed", mode, out.size(),
                    result.accepted(), result.stored(), result.failed());
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private AccountResult fetchOne(String account, Mode mode) {
        Instant requestedAt = clock.instant();
        LocalDate day = LocalDate.ofInstant(requestedAt, config.zone());
        AccountRequest s = new AccountRequest(config.khipu().institution(), account, tokens.newNonce(), requestedAt, day, mode);
        try {
            String callbackUrl = mode == Mode.async ? callbackUrl(account, requestedAt, s.requestId()) : null;
            KhipuReply reply = khipu.transactions(account, callbackUrl);
            if (reply.accepted()) {
                String operationId = reply.operationId();
                results.accepted(s, operationId);
                return log(s, new AccountResult(s.maskedAccount(), s.requestId(), operationId, Outcome.ACCEPTED,
                        null, null, null, null));
            }
            return stored(s, reply);
        } catch (KhipuTransientException e) {
            if (e.reply() != null) {
                // Khipu kept answering Status=ERROR with RETRY_IMMEDIATELY: store its last answer
                return stored(s, e.reply());
            }
            return failed(s, e.code(), e.getMessage(), null);
        } catch (KhipuException e) {
            return failed(s, e.code(), e.getMessage(), null);
        } catch (StorageException e) {
            LOG.errorf(e, "fetch account=%s request=%s: storage failed", s.maskedAccount(), s.requestId());
            return new AccountResult(s.maskedAccount(), s.requestId(), null, Outcome.FAILED, null, "STORAGE", null,
                    "storage failed: " + e.getMessage());
        }
    }

    private AccountResult stored(AccountRequest s, KhipuReply reply) {
        Envelope envelope = reply.envelope();
        OperationRecord record = results.store(s, reply.body(), envelope, reply.status())
                .orElseGet(() -> results.finalRecord(s).orElseThrow());
        Outcome outcome = envelope.ok() ? Outcome.STORED : Outcome.FAILED;
        return log(s, new AccountResult(s.maskedAccount(), s.requestId(), envelope.operationId(), outcome,
                record.transactions(), record.errorCode(), record.errorType(), record.errorDescription()));
    }

    private AccountResult failed(AccountRequest s, String code, String message, Integer status) {
        try {
            results.failed(s, code, message, status);
        } catch (RuntimeException e) {
            LOG.errorf(e, "fetch account=%s request=%s: could not record the failure", s.maskedAccount(), s.requestId());
        }
        return log(s, new AccountResult(s.maskedAccount(), s.requestId(), null, Outcome.FAILED, null, code, null, message));
    }

    private static AccountResult log(AccountRequest s, AccountResult r) {
        if (r.outcome() == Outcome.FAILED) {
            LOG.warnf("fetch account=%s request=%s: FAILED %s%s: %s", r.account(), r.requestId(), r.errorCode(),
                    r.errorType() == null ? "" : " " + r.errorType(), r.message());
        } else {
            LOG.infof("fetch account=%s request=%s: %s operation=%s", r.account(), r.requestId(), r.outcome(),
                    r.operationId());
        }
        return r;
    }

    private static AccountResult await(Future<AccountResult> future, String account) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "fetch account=%s: unexpected failure", Accounts.mask(account));
            return new AccountResult(Accounts.mask(account), null, null, Outcome.FAILED, null, "INTERNAL", null,
                    e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching", e);
        }
    }

    /** Checks each account and drops repeats (keeping the first), or throws naming the bad entry. */
    static List<String> validate(List<String> accounts, String field, int max) {
        if (accounts == null || accounts.isEmpty()) {
            throw new InvalidInputException(field + ": no accounts given and cartola.accounts is not set");
        }
        if (accounts.size() > max) {
            throw new InvalidInputException(field + ": at most " + max + " accounts per invocation, got " + accounts.size());
        }
        for (int i = 0; i < accounts.size(); i++) {
            String problem = Accounts.problem(accounts.get(i));
            if (problem != null) {
                throw new InvalidInputException(field + "[" + i + "]: " + problem);
            }
        }
        return new ArrayList<>(new java.util.LinkedHashSet<>(accounts));
    }

    String callbackUrl(String account, Instant issuedAt, String nonce) {
        URI base = config.callback().url()
                .orElseThrow(() -> new InvalidInputException("mode: async needs cartola.callback.url"));
        String url = base.toString();
        return url + (base.getRawQuery() == null ? "?" : "&") + "t=" + tokens.issue(account, issuedAt, nonce);
    }

    /** Refuses, before any request, a webhook URL too long for Khipu once the longest token is added. */
    private void checkCallbackUrlLength() {
        String longest = callbackUrl("X".repeat(Accounts.MAX_LENGTH), Instant.ofEpochSecond(99_999_999_999L),
                tokens.newNonce());
        if (longest.length() > MAX_CALLBACK_URL) {
            throw new InvalidInputException("cartola.callback.url: too long, with its token the CallbackUrl can reach "
                    + longest.length() + " characters and Khipu accepts at most " + MAX_CALLBACK_URL);
        }
    }
}
