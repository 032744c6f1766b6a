package io.cartola.credentials;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.cartola.testing.KhipuStandIn.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.MotoServer;
import io.cartola.testing.SecretsManagerProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** As deployed with client credentials: the pair comes from the Secrets Manager secret (moto), the token from Khipu's endpoint. */
@QuarkusTest
@TestProfile(ClientCredentialsFromAwsTest.FromSecretsManager.class)
class ClientCredentialsFromAwsTest {

    static final String TOKEN_PATH = "/from-aws/oauth2/token";
    static final String CLIENT_ID = "client-from-secrets-manager";
    static final String CLIENT_SECRET = "client-secret-from-secrets-manager-" + UUID.randomUUID();
    static final String TOKEN = "token-for-the-secrets-manager-client-" + UUID.randomUUID();

    public static class Secret extends SecretsManagerProfile.Secrets {
        @Override
        protected Map<String, String> store(MotoServer moto) {
            return Map.of(
                    "cartola.khipu.secret-arn", moto.secret("cartola/khipu-cc-" + UUID.randomUUID(),
                            "{\"client-id\":\"" + CLIENT_ID + "\",\"client-secret\":\"" + CLIENT_SECRET + "\"}"),
                    "cartola.khipu.token-url", KhipuStandIn.get().baseUrl() + TOKEN_PATH);
        }
    }

    public static class FromSecretsManager extends SecretsManagerProfile {
        @Override
        protected List<String> fromSecretsManager() {
            return List.of("cartola.khipu.api-key");
        }

        @Override
        protected Class<Secret> secrets() {
            return Secret.class;
        }
    }

    @Test
    void fetchSendsTheTokenObtainedWithTheCredentialsFromSecretsManager() {
        KhipuStandIn khipu = KhipuStandIn.get();
        khipu.stub(post(urlPathEqualTo(TOKEN_PATH))
                .willReturn(json(200, "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        String account = Accounts.fresh();
        khipu.answer(account, Envelopes.ok("op-cc-sm"));

        Lambda.invoke("{\"accounts\":[\"" + account + "\"],\"mode\":\"sync\"}").then().statusCode(200);

        LoggedRequest tokenRequest = khipu.server().findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))).get(0);
        assertEquals("Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8)), tokenRequest.getHeader("Authorization"));
        LoggedRequest sent = khipu.requests(account).get(0);
        assertEquals("Bearer " + TOKEN, sent.getHeader("Authorization"));
        assertFalse(sent.containsHeader("x-api-key"));
    }
}
