package io.cartola.function;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.FetchProfile;
import io.cartola.testing.KhipuStandIn;
import io.cartola.testing.Lambda;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** fetch configured with a bearer token instead of an API key, and a webhook URL too long for Khipu. */
@QuarkusTest
@TestProfile(FetchConfigurationTest.BearerAndLongCallbackUrl.class)
class FetchConfigurationTest {

    public static class BearerAndLongCallbackUrl extends FetchProfile {
        @Override
        protected Map<String, String> overrides() {
            return Map.of(
                    "cartola.khipu.api-key", "",
                    "cartola.khipu.bearer-token", "test-jwt-token",
                    "cartola.callback.url", "https://" + "w".repeat(150) + ".lambda-url.us-east-1.on.aws/");
        }
    }

    final KhipuStandIn khipu = KhipuStandIn.get();

    @Test
    void theBearerTokenIsSentAndTheApiKeyIsNot() {
        String account = Accounts.fresh();
        khipu.answer(account, Envelopes.ok("op-bearer"));

        Lambda.invoke("{\"accounts\":[\"" + account + "\"],\"mode\":\"sync\"}").then().statusCode(200);

        LoggedRequest sent = khipu.requests(account).get(0);
        assertEquals("Bearer test-jwt-token", sent.getHeader("Authorization"));
        assertFalse(sent.containsHeader("x-api-key"));
    }

    @Test
    void aCallbackUrlThatCannotFit255CharactersIsRefusedBeforeCallingKhipu() {
        String account = Accounts.fresh();

        Lambda.invoke("{\"accounts\":[\"" + account + "\"],\"mode\":\"async\"}").then().statusCode(500)
                .body("errorMessage", containsString("cartola.callback.url: too long"))
                .body("errorMessage", containsString("at most 255"));

        assertEquals(0, khipu.requests(account).size());
    }
}
