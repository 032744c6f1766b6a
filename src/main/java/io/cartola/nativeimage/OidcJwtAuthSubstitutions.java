package io.cartola.nativeimage;

import java.security.Key;
import java.util.Map;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfig;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Native executable only, for its size: Khipu's token comes with client_secret basic/post, so the OIDC client's
 * JWT client authentication (private_key_jwt, client_secret_jwt, JWT bearer grant assertions signed here) is left out.
 * These two methods, and smallrye-jwt's JwtProvider (registered for reflection as a service), are the only ways into
 * smallrye-jwt-build and jose4j; without them the native executable drops both. JVM mode is unchanged. Configuring quarkus.oidc-client.credentials.jwt.* in the native executable fails
 * when the client is created, with the message below (a substitution class can hold no fields of its own).
 */
@TargetClass(className = "io.quarkus.oidc.common.runtime.OidcCommonUtils")
final class OidcJwtAuthSubstitutions {

    @Substitute
    public static Uni<Key> clientJwtKey(OidcClientCommonConfig.Credentials creds) {
        throw new ConfigurationException("JWT client authentication (quarkus.oidc-client.credentials.jwt.*) is not built"
                + " into cartola's native executable; use the client secret (see OidcJwtAuthSubstitutions)");
    }

    @Substitute
    public static String signJwtWithKey(OidcClientCommonConfig oidcConfig, String tokenRequestUri, Key key) {
        throw new ConfigurationException("JWT client authentication (quarkus.oidc-client.credentials.jwt.*) is not built"
                + " into cartola's native executable; use the client secret (see OidcJwtAuthSubstitutions)");
    }
}

/** See {@link OidcJwtAuthSubstitutions}: nothing in cartola builds a JWT. */
@TargetClass(className = "io.smallrye.jwt.build.impl.JwtProviderImpl")
final class JwtProviderSubstitutions {

    @Substitute
    public JwtClaimsBuilder claims() {
        throw new UnsupportedOperationException("smallrye-jwt-build is not in cartola's native executable");
    }

    @Substitute
    public JwtClaimsBuilder claims(Map<String, Object> claims) {
        throw new UnsupportedOperationException("smallrye-jwt-build is not in cartola's native executable");
    }

    @Substitute
    public JwtClaimsBuilder claims(JsonObject jsonObject) {
        throw new UnsupportedOperationException("smallrye-jwt-build is not in cartola's native executable");
    }

    @Substitute
    public JwtClaimsBuilder claims(String jsonLocation) {
        throw new UnsupportedOperationException("smallrye-jwt-build is not in cartola's native executable");
    }

    @Substitute
    public JwtClaimsBuilder claimsJson(String json) {
        throw new UnsupportedOperationException("smallrye-jwt-build is not in cartola's native executable");
    }

    @Substitute
    public JwtClaimsBuilder claims(JsonWebToken jwt) {
        throw new UnsupportedOperationException("smallrye-jwt-build is not in cartola's native executable");
    }
}
