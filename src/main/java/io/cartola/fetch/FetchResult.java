package io.cartola.fetch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.cartola.khipu.KhipuGateway;
import io.cartola.records.AccountRequest;
import io.cartola.records.Mode;
import io.cartola.records.OperationRecord.Failure;
import io.cartola.records.TransactionView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * fetch's answer: the counts, then one entry per account in the order asked, with masked account
 * numbers. Past {@link #MAX_LISTED} accounts (or problems) the list stops and {@code unlisted} says
 * how many more there were; the counts always cover every account.
 *
 * @param lost asynchronous requests found without a callback past their deadline in this run
 * @param refused entries of the account list skipped as invalid (see {@code problems})
 * @param notReached accounts skipped because the run reached cartola.fetch.max-accounts or neared its timeout
 *        (the rest of {@code skipped} are accounts Khipu told to wait or whose access token it rejected)
 * @param queued accounts sent to the queue for the workers (scaled out; see cartola.queue.url)
 * @param unauthorised accounts whose own access token Khipu rejected (401), in this run or before, and that wait
 *        for a new one ({@code errorCode} TOKEN_REJECTED)
 * @param view what the answers stored in this run changed in the views (lines added, changed, removed; partial
 *        snapshots, which remove nothing), absent when no answer was stored
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FetchResult(Mode mode, int queued, int accepted, int stored, int failed, int skipped, int lost, int refused,
        int notReached, int unauthorised, TransactionView.Changes view, List<AccountResult> accounts, Integer unlisted,
        List<String> problems) {

    static final int MAX_LISTED = 1000;

    /** The run's counts as metrics, the same for an in-process run, a planning run and a worker's batch; then the gauges. */
    Map<String, Number> metrics(RunGauges gauges) {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put("AccountsRequested", accepted + stored + failed + skipped);
        values.put("AccountsAccepted", accepted);
        values.put("AccountsStored", stored);
        values.put("AccountsFailed", failed);
        values.put("AccountsSkipped", skipped);
        values.put("AccountsLost", lost);
        values.put("AccountsRefused", refused);
        values.put("AccountsNotReached", notReached);
        values.put("AccountsUnauthorised", unauthorised);
        if (queued > 0) {
            values.put("AccountsQueued", queued);
        }
        if (view != null) {
            values.putAll(view.metrics());
        }
        values.putAll(gauges.metrics());
        return values;
    }

    static FetchResult of(Mode mode, List<AccountResult> accounts, List<String> problems) {
        Tally tally = new Tally();
        accounts.forEach(tally::add);
        return tally.result(mode, problems);
    }

    /**
     * Counts a run's results as they come, in the order asked, and keeps only the first {@link #MAX_LISTED}:
     * a planning run of 100,000 accounts answers without holding an entry for each.
     */
    static final class Tally {
        private final List<AccountResult> listed = new ArrayList<>();
        private final int[] outcomes = new int[Outcome.values().length];
        private int total;
        private int lost;
        private int notReached;
        private int unauthorised;
        private TransactionView.Changes view;

        void add(AccountResult a) {
            total++;
            view = a.view() == null ? view : a.view().plus(view);
            outcomes[a.outcome().ordinal()]++;
            lost += a.lostOperations() == null ? 0 : a.lostOperations();
            if (a.outcome() == Outcome.SKIPPED && a.retryNotBefore() == null && a.errorCode() == null) {
                notReached++;
            }
            if (KhipuGateway.TOKEN_REJECTED.equals(a.errorCode())) {
                unauthorised++;
            }
            if (listed.size() < MAX_LISTED) {
                listed.add(a);
            }
        }

        FetchResult result(Mode mode, List<String> problems) {
            return new FetchResult(mode, count(Outcome.QUEUED), count(Outcome.ACCEPTED), count(Outcome.STORED),
                    count(Outcome.FAILED), count(Outcome.SKIPPED), lost, problems.size(), notReached, unauthorised,
                    view, List.copyOf(listed), total > MAX_LISTED ? total - MAX_LISTED : null,
                    problems.isEmpty() ? null : List.copyOf(problems.size() > MAX_LISTED ? problems.subList(0, MAX_LISTED) : problems));
        }

        private int count(Outcome outcome) {
            return outcomes[outcome.ordinal()];
        }
    }

    public enum Outcome {
        /** Sent to the queue; a worker fetches it (its outcome is in the worker's log and metrics). */
        QUEUED,
        /** Khipu accepted an asynchronous request (202); the webhook will store the result. */
        ACCEPTED,
        /** The result was stored. */
        STORED,
        /** Khipu reported an error or could not be served; see errorCode and errorType. */
        FAILED,
        /**
         * Not asked this run: Khipu said to wait (see retryNotBefore) or rejected the account's own token
         * (errorCode TOKEN_REJECTED), or the run ran out of time or room.
         */
        SKIPPED
    }

    /**
     * One account's outcome.
     *
     * @param mode how it was asked: sync when a lost callback made it fall back, whatever the run's mode
     * @param lostOperations earlier requests found lost (no callback by the deadline) in this run
     * @param view what a stored answer changed in the account's view
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccountResult(String account, String requestId, String operationId, Outcome outcome, Mode mode,
            Integer transactions, String errorCode, String errorType, String message, Instant retryNotBefore,
            Integer lostOperations, TransactionView.Changes view) {

        AccountResult(String account, String requestId, String operationId, Outcome outcome, Mode mode, Integer transactions,
                String errorCode, String errorType, String message, Instant retryNotBefore, Integer lostOperations) {
            this(account, requestId, operationId, outcome, mode, transactions, errorCode, errorType, message, retryNotBefore,
                    lostOperations, null);
        }

        static AccountResult queued(String account, Mode mode) {
            return new AccountResult(account, null, null, Outcome.QUEUED, mode, null, null, null, null, null, null);
        }

        static AccountResult accepted(AccountRequest s, String operationId) {
            return new AccountResult(s.maskedAccount(), s.requestId(), operationId, Outcome.ACCEPTED, s.mode(), null, null, null,
                    null, null, null);
        }

        /** Khipu's answer was stored: with data, or with Khipu's error. */
        static AccountResult stored(AccountRequest s, String operationId, Integer transactions, Failure error,
                TransactionView.Changes view) {
            return new AccountResult(s.maskedAccount(), s.requestId(), operationId,
                    error == null ? Outcome.STORED : Outcome.FAILED, s.mode(), transactions,
                    error == null ? null : error.code(), error == null ? null : error.type(),
                    error == null ? null : error.description(), error == null ? null : error.retryNotBefore(), null,
                    error == null ? view : null);
        }

        /** No answer to store: {@code code} says why (HTTP_401, TIMEOUT, STORAGE, ...). */
        static AccountResult failed(String account, String requestId, Mode mode, String code, String message) {
            return new AccountResult(account, requestId, null, Outcome.FAILED, mode, null, code, null, message, null, null);
        }

        static AccountResult skipped(String account, Instant until, String message, Integer lost) {
            return new AccountResult(account, null, null, Outcome.SKIPPED, null, null, null, null, message, until, lost);
        }

        /** A second delivery of a queued run that was fetched already (not one the run failed to reach). */
        static AccountResult duplicate(String account, String run) {
            return new AccountResult(account, null, null, Outcome.SKIPPED, null, null, "DUPLICATE", null,
                    "duplicate delivery: run " + run + " was fetched already", null, null);
        }

        /** Khipu rejected the account's own token on a request made at {@code rejectedAt}; no new one since. */
        static AccountResult unauthorised(String account, Instant rejectedAt, Integer lost) {
            return new AccountResult(account, null, null, Outcome.SKIPPED, null, null, KhipuGateway.TOKEN_REJECTED, null,
                    "not asked: Khipu rejected this account's access token (HTTP 401) on a request made at " + rejectedAt
                            + "; register a new one (the credentials function), or invoke with \"force\": true", null, lost);
        }

        AccountResult withLost(int lost) {
            return lost == 0 ? this : new AccountResult(account, requestId, operationId, outcome, mode, transactions,
                    errorCode, errorType, message, retryNotBefore, lost, view);
        }
    }
}
