package io.cartola.khipu;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import io.cartola.config.CartolaConfig;

/** Sends either {@code x-api-key} or {@code Authorization: Bearer}, as configured; never both. */
@ApplicationScoped
public class KhipuAuthHeaders implements ClientHeadersFactory {

    @Inject
    CartolaConfig config;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        config.khipu().apiKey().ifPresentOrElse(
                key -> headers.putSingle("x-api-key", key),
                () -> config.khipu().bearerToken().ifPresent(t -> headers.putSingle("Authorization", "Bearer " + t)));
        return headers;
    }
}
