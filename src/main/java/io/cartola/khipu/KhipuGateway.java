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
import io.quarkus.oidc.client.OidcClientException;
import io.smallrye.faulttolerance.api.CustomBackoff;

/**
 * One transactions request to Khipu, retried (bounded, with backoff and jitter) when the failure is
 * transient: 429, 5xx, connection errors and timeouts, and {@code Status=ERROR} with
 * {@code RETRY_IMMEDIATELY}: 3 more attempts, from 500 ms doubling with jitter, or as Retry-After
 * says (the one place these numbers are set; quarkus.fault-tolerance.* can override them). Other 4xx
 * are not retried, and neither is a 401, except once with a new client-credentials token: Khipu may
 * have revoked the one cached.
 */
@ApplicationScoped
public class KhipuGateway {

    /** Recorded when Khipu rejects an account's own access token: the account waits for a new one. */
    public static final String TOKEN_REJECTED = "TOKEN_REJECTED";
    /** Recorded when Khipu's token endpoint gave no client-credentials token. */
    static final String TOKEN_ENDPOINT = "TOKEN_ENDPOINT";

    private final KhipuApi api;
    private final EnvelopeReader envelopes;
    private final String institution;
    private final boolean clientCredentials;

    public KhipuGateway(@RestClient KhipuApi api, EnvelopeReader envelopes, CartolaConfig config) {
        this.api = api;
        this.envelopes = envelopes;
        this.institution = config.khipu().institution();
        this.clientCredentials = config.khipu().clientId().isPresent();
    }

    /**
     * @param accessToken the account's own token, sent as its {@code Bearer}; null: the deployment's credential
     */
    @Retry(maxRetries = 3, delay = 500, maxDuration = 120_000, jitter = 0, retryOn = KhipuTransientException.class)
    @CustomBackoff(RetryAfterBackoff.class)
    public KhipuReply transactions(String accountNumber, String callbackUrl, String accessToken) {
        TransactionsRequest request = TransactionsRequest.of(accountNumber, callbackUrl);
        String authorization = accessToken == null ? null : "Bearer " + accessToken;
        try {
            return ask(request, authorization);
        } catch (KhipuUnauthorizedException e) {
            if (accessToken != null) {
                throw new KhipuException(TOKEN_REJECTED, "Khipu rejected this account's access token (HTTP 401): "
                        + "register a new one; the account is not asked again until then");
            }
            if (!clientCredentials) {
                throw new KhipuException(e.code(), "Khipu rejected the credential (HTTP 401): check "
                        + "cartola.khipu.api-key or cartola.khipu.bearer-token; not retried");
            }
        }
        // the OIDC filter saw the 401 and gets a new client-credentials token for the next request
        try {
            return ask(request, null);
        } catch (KhipuUnauthorizedException again) {
            throw new KhipuException(again.code(), "Khipu rejected the client-credentials token, also a new one "
                    + "(HTTP 401): check cartola.khipu.client-id and client-secret, or register this account's own token");
        }
    }

    private KhipuReply ask(TransactionsRequest request, String authorization) {
        RestResponse<byte[]> response;
        try {
            response = api.transactions(institution, authorization, request);
        } catch (ProcessingException e) {
            // connection refused or reset, connect or read timeout
            throw new KhipuTransientException(timeout(e) ? "TIMEOUT" : "CONNECTION",
                    "Khipu did not answer: " + e.getClass().getSimpleName(), null);
        } catch (OidcClientException e) {
            // the token endpoint refused or did not answer; its message is its answer, which holds no secret
            throw new KhipuTransientException(TOKEN_ENDPOINT, "no client-credentials token from cartola.khipu.token-url: "
                    + EnvelopeReader.brief(e.getMessage()), null);
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
