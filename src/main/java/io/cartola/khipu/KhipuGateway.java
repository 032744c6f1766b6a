package io.cartola.khipu;

import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.cartola.config.CartolaConfig;
import io.cartola.khipu.model.Envelope;
import io.cartola.khipu.model.KhipuError;
import io.cartola.khipu.model.TransactionsRequest;
import io.smallrye.faulttolerance.api.CustomBackoff;

/**
 * One transactions request to Khipu, retried (bounded, with backoff and jitter) when the failure is
 * transient: 429, 5xx, connection errors and timeouts, and {@code Status=ERROR} with
 * {@code RETRY_IMMEDIATELY}: 3 more attempts, from 500 ms doubling with jitter, or as Retry-After
 * says (the one place these numbers are set; quarkus.fault-tolerance.* can override them). 401 and
 * other 4xx are not retried.
 */
@ApplicationScoped
public class KhipuGateway {

    private final KhipuApi api;
    private final EnvelopeReader envelopes;
    private final String institution;

    public KhipuGateway(@RestClient KhipuApi api, EnvelopeReader envelopes, CartolaConfig config) {
        this.api = api;
        this.envelopes = envelopes;
        this.institution = config.khipu().institution();
    }

    @Retry(maxRetries = 3, delay = 500, maxDuration = 120_000, jitter = 0, retryOn = KhipuTransientException.class)
    @CustomBackoff(RetryAfterBackoff.class)
    public KhipuReply transactions(String accountNumber, String callbackUrl) {
        RestResponse<byte[]> response;
        try {
            response = api.transactions(institution, TransactionsRequest.of(accountNumber, callbackUrl));
        } catch (ProcessingException e) {
            // connection refused or reset, connect or read timeout
            throw new KhipuTransientException(timeout(e) ? "TIMEOUT" : "CONNECTION",
                    "Khipu did not answer: " + e.getClass().getSimpleName(), null);
        }
        byte[] body = response.getEntity() == null ? new byte[0] : response.getEntity();
        if (response.getStatus() == 202) {
            // accepted: the result comes to the CallbackUrl; keep the id if the body has one
            return new KhipuReply(202, body, null, envelopes.operationIdOf(body));
        }
        Envelope envelope;
        try {
            envelope = envelopes.read(body);
        } catch (InvalidEnvelopeException e) {
            throw new KhipuException("INVALID_RESPONSE",
                    "Khipu answered HTTP " + response.getStatus() + " with an unreadable body: " + e.getMessage());
        }
        KhipuReply reply = new KhipuReply(response.getStatus(), body, envelope, envelope.operationId());
        KhipuError error = envelope.error();
        if (!envelope.ok() && error != null && error.retryNow()) {
            throw new KhipuTransientException(error.code(), "Khipu asked to retry: " + error.code(), null, reply);
        }
        return reply;
    }

    /** A connect or read timeout anywhere in the chain (Vert.x reports them as a {@link TimeoutException}). */
    private static boolean timeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
