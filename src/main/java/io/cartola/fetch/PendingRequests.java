package io.cartola.fetch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cartola.config.CartolaConfig;
import io.cartola.khipu.EnvelopeReader;
import io.cartola.khipu.InvalidEnvelopeException;
import io.cartola.khipu.model.Envelope;
import io.cartola.khipu.model.KhipuError;
import io.cartola.records.AccountRequest;
import io.cartola.records.AccountState;
import io.cartola.records.AccountState.Pending;
import io.cartola.records.OperationLog;
import io.cartola.records.OperationRecord;

/**
 * Settles an account's pending requests from what is stored for them, before a run decides anything: the
 * webhook and a synchronous answer write only raw and view, so the state learns of an answer here, at the
 * next look. An answer found is stored again (idempotent: it finishes a view merge a crashed writer left
 * undone, and writes nothing otherwise); a request past its deadline without one is recorded lost.
 */
@ApplicationScoped
public class PendingRequests {

    private static final Logger LOG = Logger.getLogger(PendingRequests.class);

    private final OperationLog log;
    private final EnvelopeReader envelopes;
    private final CartolaConfig config;

    public PendingRequests(OperationLog log, EnvelopeReader envelopes, CartolaConfig config) {
        this.log = log;
        this.envelopes = envelopes;
        this.config = config;
    }

    /** What was found for one pending request. */
    enum Kind {
        /** an answer is stored: taken into the state */
        ANSWERED,
        /** none by the deadline: given up on (kept, so a late callback still counts) */
        LOST,
        /** a lost one whose callback would be refused now: forgotten */
        EXPIRED
    }

    record Settled(Pending request, Kind kind, String errorCode, Instant notBefore) {
    }

    /** What {@link #settle} found; {@code newlyLost}: requests recorded lost by this look (not by an overlapping one). */
    record Found(List<Settled> settled, int newlyLost) {

        /** The state with what was found taken in; applied to the state as it is when written, so it holds under contention. */
        AccountState applyTo(AccountState state) {
            AccountState st = state;
            for (Settled s : settled) {
                String id = s.request().requestId();
                st = switch (s.kind()) {
                    case ANSWERED -> st.answered(s.request(), s.errorCode(), s.notBefore());
                    case LOST -> st.withLost(Set.of(id));
                    case EXPIRED -> st.withoutPending(Set.of(id));
                };
            }
            return st;
        }
    }

    /** The request a pending entry of {@code state} stands for (where its answer is stored). */
    AccountRequest request(AccountState state, Pending p) {
        return new AccountRequest(state.institution(), state.account(), p.requestId(), p.requestedAt(),
                AccountRequest.dayOf(p.requestedAt(), config.zone()), p.mode());
    }

    /** Whether an answer to the pending request {@code p} is stored. */
    boolean answered(AccountState state, Pending p) {
        return log.answer(request(state, p)).isPresent();
    }

    Found settle(AccountState state, Instant now) {
        List<Settled> settled = new ArrayList<>();
        int newlyLost = 0;
        for (Pending p : state.pending()) {
            AccountRequest r = request(state, p);
            Optional<byte[]> raw = log.answer(r);
            if (raw.isPresent()) {
                settled.add(answered(p, r, raw.get()));
            } else if (p.lost()) {
                if (p.requestedAt().plus(config.callback().maxAge()).isBefore(now)) {
                    settled.add(new Settled(p, Kind.EXPIRED, null, null));
                }
            } else if (p.deadline().isBefore(now)) {
                if (log.lost(r)) {
                    newlyLost++;
                    LOG.warnf("fetch account=%s request=%s: LOST, no %s by %s; asking %s", r.maskedAccount(), p.requestId(),
                            p.mode() == io.cartola.records.Mode.async ? "callback" : "answer stored", p.deadline(),
                            p.mode() == io.cartola.records.Mode.async ? "synchronously" : "again");
                }
                settled.add(new Settled(p, Kind.LOST, null, null));
            }
        }
        return new Found(List.copyOf(settled), newlyLost);
    }

    private Settled answered(Pending p, AccountRequest r, byte[] raw) {
        Envelope envelope;
        try {
            envelope = envelopes.read(raw);
        } catch (InvalidEnvelopeException e) {
            // stored by an earlier version with other rules: taken as answered, with the reason
            LOG.errorf("fetch account=%s request=%s: the stored answer is no longer readable (%s)", r.maskedAccount(),
                    p.requestId(), e.getMessage());
            return new Settled(p, Kind.ANSWERED, "UNREADABLE_ANSWER", null);
        }
        OperationLog.Stored stored = log.finish(r, raw, envelope);
        if (stored.changed()) {
            LOG.warnf("fetch account=%s request=%s: finished storing an answer a failed attempt left half-way",
                    r.maskedAccount(), p.requestId());
        }
        if (envelope.ok()) {
            return new Settled(p, Kind.ANSWERED, null, null);
        }
        // an error's record written by an earlier version may hold no code: a failure all the same
        OperationRecord.Failure error = stored.error();
        return new Settled(p, Kind.ANSWERED, error == null || error.code() == null ? KhipuError.NO_CODE : error.code(),
                error == null ? null : error.retryNotBefore());
    }
}
