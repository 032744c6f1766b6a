package io.cartola.callback;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cartola.config.CartolaConfig;
import io.cartola.records.AccountRequest;
import io.cartola.records.AccountState;
import io.cartola.records.AccountStates;
import io.cartola.telemetry.Metrics;
import io.cartola.records.Accounts;
import io.cartola.records.OperationLog;
import io.cartola.records.OperationRecord;
import io.cartola.khipu.EnvelopeReader;
import io.cartola.khipu.InvalidEnvelopeException;
import io.cartola.khipu.model.Envelope;
import io.cartola.storage.StorageException;

/**
 * Receives Khipu's callback: checks size, token and envelope before storing anything, finds the
 * request fetch recorded under the token's request id, consumes the token for this operation and
 * body, stores the result, then updates the account's state. Answers 2xx only for what is stored.
 */
@ApplicationScoped
public class CallbackService {

    private static final Logger LOG = Logger.getLogger(CallbackService.class);

    private final CartolaConfig config;
    private final CallbackToken tokens;
    private final EnvelopeReader envelopes;
    private final OperationLog log;
    private final AccountStates states;
    private final Metrics metrics;

    public CallbackService(CartolaConfig config, CallbackToken tokens, EnvelopeReader envelopes, OperationLog log,
            AccountStates states, Metrics metrics) {
        this.config = config;
        this.tokens = tokens;
        this.envelopes = envelopes;
        this.log = log;
        this.states = states;
        this.metrics = metrics;
    }

    /** An HTTP request as the webhook received it; {@code body} is base64 text when {@code base64}. */
    public record Callback(String method, String token, String body, boolean base64) {
    }

    /** The HTTP answer. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Reply(int status, String message) {
    }

    public Reply handle(Callback callback) {
        Reply reply;
        String metric;
        try {
            reply = accept(callback);
            metric = reply.message().startsWith("duplicate") ? "CallbacksDuplicate" : "CallbacksStored";
        } catch (CallbackRejectedException e) {
            LOG.warnf("callback rejected (%d): %s", e.status(), e.getMessage());
            reply = new Reply(e.status(), e.getMessage());
            metric = "CallbacksRejected";
        } catch (InvalidEnvelopeException e) {
            LOG.warnf("callback rejected (400): %s", e.getMessage());
            reply = new Reply(400, e.getMessage());
            metric = "CallbacksRejected";
        } catch (StorageException e) {
            LOG.errorf(e, "callback not stored: %s", e.getMessage());
            reply = new Reply(503, "storage unavailable, nothing was recorded as done; deliver again later");
            metric = "CallbacksFailed";
        } catch (RuntimeException e) {
            // anything else: still an answer (never 2xx) and a metric, not a failed invocation
            LOG.errorf(e, "callback not stored: unexpected %s", e.getClass().getSimpleName());
            reply = new Reply(500, "internal error, nothing was recorded as done; deliver again later");
            metric = "CallbacksFailed";
        }
        metrics.emit(Map.of(metric, 1));
        return reply;
    }

    private Reply accept(Callback callback) {
        if (!"POST".equals(callback.method())) {
            throw new CallbackRejectedException(405, "method: only POST is accepted, got " + Accounts.printable(
                    String.valueOf(callback.method()), 10));
        }
        byte[] body = body(callback);
        CallbackToken.Claims claims = tokens.verify(callback.token());
        Envelope envelope = envelopes.read(body);
        String institution = config.khipu().institution();
        AccountRequest s = log.request(institution, AccountRequest.dayOf(claims.issuedAt(), config.zone()),
                claims.requestId(), config.zone())
                .orElseThrow(() -> new CallbackRejectedException(404,
                        "callback token names request " + claims.requestId() + ", which fetch never recorded"));
        switch (log.claim(s, envelope.operationId(), sha256(body))) {
            case OTHER_OPERATION -> throw new CallbackRejectedException(401, "callback token already used for another operation");
            case OTHER_BODY -> throw new CallbackRejectedException(409, "operation " + envelope.operationId()
                    + " was already received with a different body; refused");
            case OURS -> {
                // first delivery, or a redelivery of the same body: finish what an earlier attempt left undone
            }
        }
        Optional<OperationRecord> done = log.finalRecord(s).filter(r -> envelope.operationId().equals(r.operationId()));
        if (done.isPresent()) {
            settle(s, done.get(), false);
            return duplicate(s, envelope);
        }
        // stores it, also over a failure fetch recorded without Khipu's answer (a timeout after Khipu had accepted)
        Optional<OperationRecord> stored = log.store(s, body, envelope, null);
        if (stored.isEmpty()) {
            // a concurrent delivery of the same operation finished first
            settle(s, log.finalRecord(s).orElseThrow(), false);
            return duplicate(s, envelope);
        }
        OperationRecord r = stored.get();
        settle(s, r, true);
        LOG.infof("callback account=%s operation=%s: %s %s", s.maskedAccount(), envelope.operationId(), r.state(),
                r.state() == OperationRecord.State.COMPLETED ? r.transactions() + " transactions" : r.error().code() + " " + r.error().type());
        return new Reply(200, envelope.ok()
                ? "stored " + r.transactions() + " transactions of operation " + envelope.operationId()
                : "stored error " + r.error().code() + " of operation " + envelope.operationId());
    }

    /**
     * Updates the account's state for a stored callback: no longer pending, back to asynchronous requests, last
     * data or failure. Data is recorded on every delivery (it is idempotent); a failure only on the first, or on a
     * redelivery whose first delivery stopped before this (still pending), so it is never counted twice.
     */
    private void settle(AccountRequest s, OperationRecord record, boolean first) {
        Set<String> request = Set.of(s.requestId());
        states.update(s.institution(), s.account(), st -> {
            boolean pending = st.isPending(s.requestId());
            if (first && !pending) {
                LOG.infof("callback account=%s request=%s: no longer awaited (recorded lost or failed); merged",
                        s.maskedAccount(), s.requestId());
            }
            AccountState settled = st.withoutPending(request, false);
            if (record.error() == null) {
                return settled.stored(s.requestedAt(), true);
            }
            if (!first && !pending) {
                return st;
            }
            return settled.failed(record.error().code(), s.requestedAt(), record.error().retryNotBefore(), true);
        });
    }

    private static Reply duplicate(AccountRequest s, Envelope envelope) {
        LOG.infof("callback account=%s operation=%s: duplicate, already stored", s.maskedAccount(), envelope.operationId());
        return new Reply(200, "duplicate: operation " + envelope.operationId() + " is already stored");
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] body(Callback callback) {
        int limit = config.callback().maxBodyBytes();
        String text = callback.body();
        if (text == null || text.isEmpty()) {
            throw new CallbackRejectedException(400, "body: empty, expected a Khipu envelope (JSON object)");
        }
        // a size check before decoding: base64 is 4 characters per 3 bytes
        long size = callback.base64() ? (long) text.length() * 3 / 4 : (long) text.length();
        if (size > limit) {
            throw new CallbackRejectedException(413, "body: larger than the limit of " + limit + " bytes");
        }
        byte[] bytes;
        if (callback.base64()) {
            try {
                bytes = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new CallbackRejectedException(400, "body: isBase64Encoded is true but the body is not valid base64");
            }
        } else {
            bytes = text.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > limit) {
            throw new CallbackRejectedException(413, "body: " + bytes.length + " bytes, larger than the limit of " + limit);
        }
        return bytes;
    }
}
