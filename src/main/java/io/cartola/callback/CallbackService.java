package io.cartola.callback;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.cartola.config.CartolaConfig;
import io.cartola.records.AccountRequest;
import io.cartola.records.Accounts;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.records.OperationRecord;
import io.cartola.khipu.EnvelopeReader;
import io.cartola.khipu.InvalidEnvelopeException;
import io.cartola.khipu.model.Envelope;
import io.cartola.storage.StorageException;

/**
 * Receives Khipu's callback: checks size, token and envelope before storing anything, consumes the
 * token's nonce for the operation, then stores the result. Answers 2xx only for what is stored.
 */
@ApplicationScoped
public class CallbackService {

    private static final Logger LOG = Logger.getLogger(CallbackService.class);

    private final CartolaConfig config;
    private final CallbackToken tokens;
    private final EnvelopeReader envelopes;
    private final OperationLog results;

    public CallbackService(CartolaConfig config, CallbackToken tokens, EnvelopeReader envelopes, OperationLog results) {
        this.config = config;
        this.tokens = tokens;
        this.envelopes = envelopes;
        this.results = results;
    }

    /** An HTTP request as the webhook received it; {@code body} is base64 text when {@code base64}. */
    public record Callback(String method, String token, String body, boolean base64) {
    }

    /** The HTTP answer. */
    public record Reply(int status, String message) {
    }

    public Reply handle(Callback callback) {
        try {
            return accept(callback);
        } catch (CallbackRejectedException e) {
            LOG.warnf("callback rejected (%d): %s", e.status(), e.getMessage());
            return new Reply(e.status(), e.getMessage());
        } catch (InvalidEnvelopeException e) {
            LOG.warnf("callback rejected (400): %s", e.getMessage());
            return new Reply(400, e.getMessage());
        } catch (StorageException e) {
            LOG.errorf(e, "callback not stored: %s", e.getMessage());
            return new Reply(503, "storage unavailable, nothing was recorded as done; deliver again later");
        }
    }

    private Reply accept(Callback callback) {
        if (!"POST".equals(callback.method())) {
            throw new CallbackRejectedException(405, "method: only POST is accepted, got " + Accounts.printable(
                    String.valueOf(callback.method()), 10));
        }
        byte[] body = body(callback);
        CallbackToken.Claims claims = tokens.verify(callback.token());
        Envelope envelope = envelopes.read(body);
        AccountRequest s = new AccountRequest(config.khipu().institution(), claims.account(), claims.nonce(), claims.issuedAt(),
                LocalDate.ofInstant(claims.issuedAt(), config.zone()), Mode.async);
        String holder = results.claim(s, envelope.operationId());
        if (!holder.equals(envelope.operationId())) {
            throw new CallbackRejectedException(401, "callback token already used for another operation");
        }
        if (results.finalRecord(s).isPresent()) {
            return duplicate(s, envelope);
        }
        Optional<OperationRecord> stored = results.store(s, body, envelope, null);
        if (stored.isEmpty()) {
            // a concurrent delivery of the same operation finished first
            return duplicate(s, envelope);
        }
        OperationRecord r = stored.get();
        LOG.infof("callback account=%s operation=%s: %s %s", s.maskedAccount(), envelope.operationId(), r.state(),
                r.state() == OperationRecord.State.COMPLETED ? r.transactions() + " transactions" : r.errorCode() + " " + r.errorType());
        return new Reply(200, envelope.ok()
                ? "stored " + r.transactions() + " transactions of operation " + envelope.operationId()
                : "stored error " + r.errorCode() + " of operation " + envelope.operationId());
    }

    private static Reply duplicate(AccountRequest s, Envelope envelope) {
        LOG.infof("callback account=%s operation=%s: duplicate, already stored", s.maskedAccount(), envelope.operationId());
        return new Reply(200, "duplicate: operation " + envelope.operationId() + " is already stored");
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
