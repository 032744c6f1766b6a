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
 * @param pending requests whose answer has not been taken into this state yet (see {@link Pending})
 * @param retryNotBefore Khipu answered {@code WAIT_4_HOURS_BEFORE_RETRY}: no request before this
 * @param syncUntilCallback a callback was lost: ask synchronously until a callback arrives again, or the lost
 *        request expires (see {@link #withoutPending})
 * @param lastStoredAt when a result with data was last stored
 * @param firstSeenAt when cartola first asked for this account (the age of its data when it has none)
 * @param consecutiveFailures failed requests since the last stored result
 * @param lastError the code of the last failure
 * @param lastFailedAt when the request that failed last was made
 * @param tokenRejectedAt when a request Khipu answered with 401 for the account's own access token was made: the
 *        account is not asked again with that token (see {@link #awaitsNewToken})
 * @param claim the last queued run a worker asked Khipu for this account (see {@link #claimed})
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

    /** The queued run a worker asked Khipu for, written with the request itself: a second delivery finds it and does not ask again. */
    @RegisterForReflection
    public record Claim(String run, Instant at) {
    }

    /** Whether {@code run} was claimed already: a duplicate delivery. */
    public boolean claimed(String run) {
        return claim != null && claim.run().equals(run);
    }

    /** This state with {@code run} claimed at {@code now}, or released ({@code null}). */
    public AccountState withClaim(Claim claim) {
        return new AccountState(institution, account, pending, retryNotBefore, syncUntilCallback, lastStoredAt, firstSeenAt,
                consecutiveFailures, lastError, lastFailedAt, tokenRejectedAt, claim);
    }

    /**
     * A request made whose answer has not been taken into this state yet: asked synchronously or asynchronously,
     * answered or not. The next reader settles it from what is stored for it (see {@code PendingRequests}): an
     * answer stored since, or past its deadline without one, {@code lost}; a lost one is kept until its callback
     * could no longer be accepted, so a late callback still brings the account back to asynchronous requests.
     */
    @RegisterForReflection
    public record Pending(String requestId, Instant requestedAt, Instant deadline, Mode mode, boolean lost) {
        public Pending {
            mode = mode == null ? Mode.async : mode;
        }
    }

    public static AccountState initial(String institution, String account, Instant now) {
        return new AccountState(institution, account, List.of(), null, false, null, now, 0, null, null, null, null);
    }

    /** Pending requests, not yet given up on, whose deadline has passed at {@code now}. */
    public List<Pending> overdue(Instant now) {
        return pending.stream().filter(p -> !p.lost() && p.deadline().isBefore(now)).toList();
    }

    public boolean waiting(Instant now) {
        return retryNotBefore != null && retryNotBefore.isAfter(now);
    }

    public boolean isPending(String requestId) {
        return pending.stream().anyMatch(p -> p.requestId().equals(requestId));
    }

    /**
     * Gives up on the given requests: kept as lost, and the account is asked synchronously if one of them was
     * asynchronous and is still awaited here (an overlapping run may have settled it meanwhile).
     */
    public AccountState withLost(Set<String> requestIds) {
        return givenUp(requestIds, true);
    }

    /**
     * Stops waiting for the given requests but keeps them, so an answer that still comes is taken in;
     * {@code syncFallback}: their callback was due and never came, so the account is asked synchronously.
     */
    public AccountState givenUp(Set<String> requestIds, boolean syncFallback) {
        boolean async = syncFallback
                && pending.stream().anyMatch(p -> requestIds.contains(p.requestId()) && !p.lost() && p.mode() == Mode.async);
        List<Pending> list = pending.stream().map(p -> requestIds.contains(p.requestId())
                ? new Pending(p.requestId(), p.requestedAt(), p.deadline(), p.mode(), true) : p).toList();
        return new AccountState(institution, account, list, retryNotBefore, syncUntilCallback || async, lastStoredAt,
                firstSeenAt, consecutiveFailures, lastError, lastFailedAt, tokenRejectedAt, claim);
    }

    /**
     * Takes a stored answer into the state, once: the request is no longer pending; data or Khipu's error counts
     * from the time it was asked; an asynchronous one proves callbacks arrive again.
     */
    public AccountState answered(Pending request, String errorCode, Instant notBefore) {
        if (!isPending(request.requestId())) {
            return this;
        }
        AccountState without = withoutPending(Set.of(request.requestId()));
        boolean viaCallback = request.mode() == Mode.async;
        return errorCode == null ? without.stored(request.requestedAt(), viaCallback)
                : without.failed(errorCode, request.requestedAt(), notBefore, viaCallback);
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
     * Drops the given requests from the pending ones (given up on while still awaited: see {@link #givenUp}). The
     * account stays on synchronous requests only while a lost asynchronous request is kept: once the last one is
     * dropped (answered, or expired because its callback could no longer be accepted), asynchronous requests are
     * tried again. If callbacks still do not come, that costs one more lost request a day, recorded and counted.
     */
    public AccountState withoutPending(Set<String> requestIds) {
        List<Pending> list = pending.stream().filter(p -> !requestIds.contains(p.requestId())).toList();
        boolean sync = syncUntilCallback && list.stream().anyMatch(p -> p.lost() && p.mode() == Mode.async);
        return new AccountState(institution, account, list, retryNotBefore, sync,
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
