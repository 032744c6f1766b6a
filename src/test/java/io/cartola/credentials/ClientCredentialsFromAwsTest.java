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
import io.cartola.testing.FetchProfile;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.cartola.testing.MotoServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
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

    public static class Secret implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            System.setProperty("aws.region", "us-east-1");
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
            MotoServer moto = MotoServer.get();
            return Map.of(
                    "cartola.khipu.secret-arn", moto.secret("cartola/khipu-cc-" + UUID.randomUUID(),
                            "{\"client-id\":\"" + CLIENT_ID + "\",\"client-secret\":\"" + CLIENT_SECRET + "\"}"),
                    "cartola.secrets.endpoint-override", moto.endpoint().toString(),
                    "cartola.khipu.token-url", KhipuStandIn.get().baseUrl() + TOKEN_PATH);
        }

        @Override
        public void stop() {
            System.clearProperty("aws.region");
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    public static class FromSecretsManager extends FetchProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
            config.remove("cartola.khipu.api-key");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            List<TestResourceEntry> resources = new java.util.ArrayList<>(super.testResources());
            resources.add(new TestResourceEntry(Secret.class));
            return resources;
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
