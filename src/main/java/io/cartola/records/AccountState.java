package io.cartola.records;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the next run needs to know about one account, kept in the store at
 * {@code state/{institution}/account={account}.json} and only ever changed with a conditional write
 * (see {@link AccountStates}), so overlapping runs and concurrent callbacks never lose an update.
 *
 * @param pending asynchronous requests Khipu accepted whose callback has not arrived yet
 * @param retryNotBefore Khipu answered {@code WAIT_4_HOURS_BEFORE_RETRY}: no request before this
 * @param syncUntilCallback a callback was lost: ask synchronously until a callback arrives again
 * @param lastStoredAt when a result with data was last stored
 * @param firstSeenAt when cartola first asked for this account (the age of its data when it has none)
 * @param consecutiveFailures failed requests since the last stored result
 * @param lastError the code of the last failure
 * @param lastFailedAt when the request that failed last was made
 * @param tokenRejectedAt when a request Khipu answered with 401 for the account's own access token was made: the
 *        account is not asked again with that token (see {@link #awaitsNewToken})
 * @param claim the queued run a worker is fetching, or fetched, this account for (see {@link #claim})
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountState(
        String institution,
        String account,
        List<Pending> pending,
        Instant retryNotBefore,
        boolean syncUntilCallback,
        Instant lastStoredAt,
        Instant firstSeenAt,
        int consecutiveFailures,
        String lastError,
        Instant lastFailedAt,
        Instant tokenRejectedAt,
        Claim claim) {

    public AccountState {
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    /** A worker's hold on one run of this account: taken before asking Khipu, so a second delivery does not ask again. */
    @RegisterForReflection
    public record Claim(String run, Instant at, boolean done) {
    }

    /** What a worker may do with a delivery of {@code run}. */
    public enum ClaimResult {
        /** This delivery holds the run now. */
        CLAIMED,
        /** The run was fetched already: a duplicate delivery. */
        DONE,
        /** Another delivery holds the run and may still be at it: try later. */
        HELD
    }

    /** What {@link #claim} finds for {@code run} at {@code now}; a hold older than {@code timeout} is a crashed worker's. */
    public ClaimResult claimable(String run, Instant now, java.time.Duration timeout) {
        if (claim == null || !claim.run().equals(run)) {
            return ClaimResult.CLAIMED;
        }
        if (claim.done()) {
            return ClaimResult.DONE;
        }
        return claim.at().plus(timeout).isAfter(now) ? ClaimResult.HELD : ClaimResult.CLAIMED;
    }

    /** This state with {@code run} claimed at {@code now}, finished ({@code done}), or released ({@code null} run). */
    public AccountState withClaim(Claim claim) {
        return new AccountState(institution, account, pending, retryNotBefore, syncUntilCallback, lastStoredAt, firstSeenAt,
                consecutiveFailures, lastError, lastFailedAt, tokenRejectedAt, claim);
    }

    /** An accepted asynchronous request and the time by which its callback must have arrived. */
    @RegisterForReflection
    public record Pending(String requestId, Instant requestedAt, Instant deadline) {
    }

    public static AccountState initial(String institution, String account, Instant now) {
        return new AccountState(institution, account, List.of(), null, false, null, now, 0, null, null, null, null);
    }

    /** Pending requests whose deadline has passed at {@code now}. */
    public List<Pending> overdue(Instant now) {
        return pending.stream().filter(p -> p.deadline().isBefore(now)).toList();
    }

    public boolean waiting(Instant now) {
        return retryNotBefore != null && retryNotBefore.isAfter(now);
    }

    public boolean isPending(String requestId) {
        return pending.stream().anyMatch(p -> p.requestId().equals(requestId));
    }

    /** How old the newest stored data is at {@code now} (since first seen, when nothing was stored yet). */
    public java.time.Duration dataAge(Instant now) {
        Instant since = lastStoredAt != null ? lastStoredAt : firstSeenAt;
        return since == null ? java.time.Duration.ZERO : java.time.Duration.between(since, now);
    }

    public AccountState withPending(Pending added) {
        List<Pending> list = new ArrayList<>(pending);
        list.add(added);
        return new AccountState(institution, account, list, retryNotBefore, syncUntilCallback, lastStoredAt, firstSeenAt,
                consecutiveFailures, lastError, lastFailedAt, tokenRejectedAt, claim);
    }

    /**
     * Drops the given requests from the pending ones. {@code lost}: they were given up on, so the account is asked
     * synchronously, but only if one of them is still pending here (a callback may have settled it meanwhile).
     */
    public AccountState withoutPending(Set<String> requestIds, boolean lost) {
        boolean stillPending = pending.stream().anyMatch(p -> requestIds.contains(p.requestId()));
        List<Pending> list = pending.stream().filter(p -> !requestIds.contains(p.requestId())).toList();
        return new AccountState(institution, account, list, retryNotBefore, syncUntilCallback || (lost && stillPending),
                lastStoredAt, firstSeenAt, consecutiveFailures, lastError, lastFailedAt, tokenRejectedAt, claim);
    }

    /**
     * A result with data, of a request made at {@code at}, was stored. It ends a wait and the failure count only
     * if it is newer than the last failure: a late callback of an older request does not undo a newer WAIT.
     */
    public AccountState stored(Instant at, boolean viaCallback) {
        Instant last = later(lastStoredAt, at);
        boolean newer = lastFailedAt == null || !at.isBefore(lastFailedAt);
        return new AccountState(institution, account, pending, newer ? null : retryNotBefore,
                syncUntilCallback && !viaCallback, last, firstSeenAt, newer ? 0 : consecutiveFailures,
                newer ? null : lastError, newer ? null : lastFailedAt, newer ? null : tokenRejectedAt, claim);
    }

    /** A request made at {@code at} failed with {@code code}; {@code notBefore} is Khipu's wait, if it asked for one. */
    public AccountState failed(String code, Instant at, Instant notBefore, boolean viaCallback) {
        return new AccountState(institution, account, pending, later(retryNotBefore, notBefore),
                syncUntilCallback && !viaCallback, lastStoredAt, firstSeenAt, consecutiveFailures + 1, code,
                later(lastFailedAt, at), tokenRejectedAt, claim);
    }

    /** Khipu rejected the account's own access token on a request made at {@code at}. */
    public AccountState tokenRejected(String code, Instant at) {
        AccountState f = failed(code, at, null, false);
        return new AccountState(institution, account, f.pending, f.retryNotBefore, f.syncUntilCallback, f.lastStoredAt,
                f.firstSeenAt, f.consecutiveFailures, f.lastError, f.lastFailedAt, later(tokenRejectedAt, at), claim);
    }

    /**
     * Whether the account's token, registered at {@code registeredAt}, is one Khipu already rejected: only a
     * token registered after the rejection is tried again.
     */
    public boolean awaitsNewToken(Instant registeredAt) {
        return tokenRejectedAt != null && !registeredAt.isAfter(tokenRejectedAt);
    }

    /** The later of two times, either of which may be absent. */
    private static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }
}
