package io.cartola.callback;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cartola.config.CartolaConfig;
import io.cartola.records.AccountRequest;
import io.cartola.telemetry.Metrics;
import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.khipu.EnvelopeReader;
import io.cartola.khipu.InvalidEnvelopeException;
import io.cartola.khipu.model.Envelope;
import io.cartola.storage.StorageException;

/**
 * Receives Khipu's callback: checks size, token and envelope before storing anything, then stores the
 * answer under the token's request id (that first write consumes the token for this operation and body)
 * and merges the view. The account's state takes the answer in at its next run (see
 * {@code PendingRequests}), so a callback costs two writes. Answers 2xx only for what is stored.
 */
@ApplicationScoped
public class CallbackService {

    private static final Logger LOG = Logger.getLogger(CallbackService.class);

    private final CartolaConfig config;
    private final CallbackToken tokens;
    private final EnvelopeReader envelopes;
    private final OperationLog log;
    private final Metrics metrics;

    public CallbackService(CartolaConfig config, CallbackToken tokens, EnvelopeReader envelopes, OperationLog log,
            Metrics metrics) {
        this.config = config;
        this.tokens = tokens;
        this.envelopes = envelopes;
        this.log = log;
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
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        try {
            reply = accept(callback, counts);
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
        counts.put(metric, 1);
        metrics.emit(counts);
        return reply;
    }

    private Reply accept(Callback callback, Map<String, Integer> counts) {
        if (!"POST".equals(callback.method())) {
            throw new CallbackRejectedException(405, "method: only POST is accepted, got " + Accounts.printable(
                    String.valueOf(callback.method()), 10));
        }
        byte[] body = body(callback);
        CallbackToken.Claims claims = tokens.verify(callback.token());
        Envelope envelope = envelopes.read(body);
        // the token, made by fetch with our key, names the request and its account: nothing to look up first
        AccountRequest s = new AccountRequest(config.khipu().institution(), claims.account(), claims.requestId(),
                claims.issuedAt(), AccountRequest.dayOf(claims.issuedAt(), config.zone()), Mode.async);
        OperationLog.Stored stored = log.store(s, body, envelope, null);
        switch (stored.kept()) {
            case OTHER_OPERATION -> throw new CallbackRejectedException(401, "callback token already used for another operation");
            case OTHER_BODY -> throw new CallbackRejectedException(409, "operation " + envelope.operationId()
                    + " was already received with a different body; refused");
            case AGAIN -> {
                if (!stored.changed()) {
                    LOG.infof("callback account=%s operation=%s: duplicate, already stored", s.maskedAccount(), envelope.operationId());
                    return new Reply(200, "duplicate: operation " + envelope.operationId() + " is already stored");
                }
                // a redelivery after a failure half-way: what the first attempt left undone is done now
            }
            case FIRST -> {
            }
        }
        counts.putAll(stored.changes().metrics());
        LOG.infof("callback account=%s request=%s operation=%s: %s", s.maskedAccount(), s.requestId(), envelope.operationId(),
                envelope.ok() ? "COMPLETED " + stored.transactions() + " transactions (" + stored.changes().describe() + ")"
                        : "FAILED " + stored.error().code() + " " + stored.error().type());
        return new Reply(200, envelope.ok()
                ? "stored " + stored.transactions() + " transactions of operation " + envelope.operationId() + " ("
                        + stored.changes().describe() + ")"
                : "stored error " + stored.error().code() + " of operation " + envelope.operationId());
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
