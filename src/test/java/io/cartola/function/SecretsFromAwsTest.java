package io.cartola.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.cartola.callback.CallbackToken;
import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.MotoServer;
import io.cartola.testing.SecretsManagerProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** As deployed: Khipu's key and the signing key come from Secrets Manager (moto) and nowhere else. */
@QuarkusTest
@TestProfile(SecretsFromAwsTest.FromSecretsManager.class)
class SecretsFromAwsTest {

    static final String API_KEY = "key-from-secrets-manager-" + UUID.randomUUID();
    static final String SIGNING_KEY = "signing-key-from-secrets-manager-0123456789";

    public static class StoredSecrets extends SecretsManagerProfile.Secrets {
        @Override
        protected Map<String, String> store(MotoServer moto) {
            String suffix = UUID.randomUUID().toString();
            return Map.of(
                    "cartola.khipu.secret-arn", moto.secret("cartola/khipu-" + suffix, "{\"api-key\":\"" + API_KEY + "\"}"),
                    "cartola.callback.secret-arn", moto.secret("cartola/callback-" + suffix, SIGNING_KEY));
        }
    }

    public static class FromSecretsManager extends SecretsManagerProfile {
        @Override
        protected List<String> fromSecretsManager() {
            return List.of("cartola.khipu.api-key", "cartola.callback.secret");
        }

        @Override
        protected Class<StoredSecrets> secrets() {
            return StoredSecrets.class;
        }
    }

    @Inject
    CallbackToken tokens;

    @Test
    void fetchAuthenticatesWithTheKeyFromSecretsManager() {
        String account = Accounts.fresh();
        KhipuStandIn.get().answer(account, Envelopes.ok("op-sm"));

        Lambda.invoke("{\"accounts\":[\"" + account + "\"],\"mode\":\"sync\"}").then().statusCode(200);

        LoggedRequest sent = KhipuStandIn.get().requests(account).get(0);
        assertEquals(API_KEY, sent.getHeader("x-api-key"));
        assertFalse(sent.containsHeader("Authorization"));
    }

    @Test
    void tokensAreSignedWithTheKeyFromSecretsManager() {
        String requestId = tokens.newRequestId();
        String token = tokens.issue(requestId, "000011887755", Instant.now());
        CallbackToken sameKey = new CallbackToken(SIGNING_KEY, java.time.Duration.ofHours(1), java.time.Clock.systemUTC());
        assertEquals(requestId, sameKey.verify(token).requestId());
    }
}
