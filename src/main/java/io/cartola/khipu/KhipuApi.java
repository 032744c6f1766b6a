package io.cartola.khipu;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.cartola.khipu.model.TransactionsRequest;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * Khipu's Open Banking API. The institution is a path parameter so that another bank of the same
 * family ({@code /v1/cl/banking/personal/{institution}/transactions}) is configuration, not a copy.
 */
@RegisterRestClient(configKey = "khipu")
@RegisterProvider(KhipuCredentialFilter.class)
@Path("/v1/cl/banking/personal")
public interface KhipuApi {

    /**
     * 200 carries the result, 202 means it will be POSTed to the CallbackUrl. Raw bytes: they are stored as sent.
     * {@code authorization}: the account's own {@code Bearer} token, or null for the deployment's credential
     * (see {@link KhipuCredentialFilter}).
     */
    @POST
    @Path("/{institution}/transactions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    RestResponse<byte[]> transactions(@PathParam("institution") String institution,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, TransactionsRequest request);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status == 429 || status >= 500) {
            return new KhipuTransientException("HTTP_" + status, "Khipu answered HTTP " + status,
                    retryAfter(response.getHeaderString("Retry-After")));
        }
        if (status == 401) {
            return new KhipuUnauthorizedException();
        }
        if (status == 403) {
            return new KhipuException("HTTP_403", "Khipu refused the request (HTTP 403): the credential lacks access; not retried");
        }
        return new KhipuException("HTTP_" + status, "Khipu answered HTTP " + status + "; not retried");
    }

    /** {@code Retry-After} is either delta-seconds or an HTTP date. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
