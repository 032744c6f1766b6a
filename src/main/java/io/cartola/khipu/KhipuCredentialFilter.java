package io.cartola.khipu;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.resteasy.reactive.client.spi.ResteasyReactiveClientRequestContext;

import io.cartola.config.CartolaConfig;
import io.quarkus.oidc.client.reactive.filter.runtime.AbstractOidcClientRequestReactiveFilter;

/**
 * Puts one credential on each request to Khipu, never two. A request that already carries an
 * {@code Authorization} header is for an account with its own access token and is left alone.
 * Otherwise the deployment's credential: the client-credentials token, which Quarkus' OIDC client
 * obtains, caches and renews (and, after a 401, replaces on the next request), or else the
 * configured bearer token, or else the API key.
 */
@Singleton
@Priority(Priorities.AUTHENTICATION)
public class KhipuCredentialFilter extends AbstractOidcClientRequestReactiveFilter {

    @Inject
    CartolaConfig config;

    @Override
    public void filter(ResteasyReactiveClientRequestContext request) {
        MultivaluedMap<String, Object> headers = request.getHeaders();
        if (headers.containsKey(HttpHeaders.AUTHORIZATION)) {
            return;
        }
        CartolaConfig.Khipu khipu = config.khipu();
        if (khipu.clientId().isPresent()) {
            super.filter(request);
        } else if (khipu.bearerToken().isPresent()) {
            headers.putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + khipu.bearerToken().get());
        } else {
            khipu.apiKey().ifPresent(key -> headers.putSingle("x-api-key", key));
        }
    }

    @Override
    protected boolean refreshOnUnauthorized() {
        return true;
    }
}
