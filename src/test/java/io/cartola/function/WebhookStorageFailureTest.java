package io.cartola.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;


import org.junit.jupiter.api.Test;

import io.cartola.callback.CallbackToken;
import io.cartola.testing.Envelopes;
import io.cartola.testing.FunctionUrlEvent;
import io.cartola.testing.Lambda;
import io.cartola.testing.S3Resource;
import io.cartola.testing.Tokens;
import io.cartola.testing.WebhookProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** S3 unreachable: the webhook must not answer 2xx for what it could not store. */
@QuarkusTest
@TestProfile(WebhookStorageFailureTest.S3Unreachable.class)
class WebhookStorageFailureTest {

    public static class S3Unreachable extends WebhookProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            try (ServerSocket closed = new ServerSocket(0)) {
                // a port nobody listens on once the socket is closed
                config.putAll(S3Resource.config("http://127.0.0.1:" + closed.getLocalPort()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return config;
        }

        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of();
        }

        @Override
        public String getConfigProfile() {
            return "test";
        }
    }

    final CallbackToken tokens = Tokens.signer();

    @Test
    void aStorageFailureAnswers503() {
        String token = tokens.issue(tokens.newRequestId(), "000011887755", Instant.now());

        JsonPath response = Lambda.invoke(FunctionUrlEvent.post(token, Envelopes.ok("op-s3-down", Envelopes.transactions(1, "x"))))
                .then().statusCode(200).extract().jsonPath();

        assertEquals(503, response.getInt("statusCode"));
        assertTrue(response.getString("body").contains("storage unavailable"));
    }
}
