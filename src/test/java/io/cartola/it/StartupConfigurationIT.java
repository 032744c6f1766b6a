package io.cartola.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cartola.local.FunctionProcess;
import io.cartola.local.RuntimeApi;

/** A packaged function missing a required setting fails at start, naming the setting. */
class StartupConfigurationIT {

    String startFailure(String function, Map<String, String> env) throws Exception {
        Path log = Path.of("target", "it-logs", "startup", function + "-" + env.size() + ".log");
        try (RuntimeApi api = new RuntimeApi(function);
                FunctionProcess process = FunctionProcess.start(function, FunctionProcess.Launcher.fromSystemProperties(),
                        api, env, log)) {
            var answer = api.invoke("{}");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && process.isAlive() && !api.initError().isDone() && !answer.isDone()) {
                Thread.sleep(100);
            }
            Thread.sleep(200);
            return (api.initError().isDone() ? api.initError().get() : "") + (answer.isDone() ? answer.get().body() : "")
                    + Files.readString(log);
        }
    }

    @Test
    void webhookWithoutTheCallbackSecret() throws Exception {
        String failure = startFailure("webhook", Map.of("CARTOLA_STORAGE", "file"));
        assertTrue(failure.contains("cartola.callback.secret is required"), failure);
    }

    @Test
    void fetchWithoutCredentialsOrWebhookUrlAndS3WithoutBucket() throws Exception {
        String failure = startFailure("fetch", Map.of("CARTOLA_STORAGE", "s3",
                "CARTOLA_CALLBACK_SECRET", "short"));
        assertTrue(failure.contains("a Khipu credential is required: cartola.khipu.client-id with client-secret and token-url, cartola.khipu.bearer-token, or cartola.khipu.api-key"), failure);
        assertTrue(failure.contains("cartola.callback.url is required"), failure);
        assertTrue(failure.contains("cartola.callback.secret must be at least 32 characters"), failure);
        assertTrue(failure.contains("cartola.s3.bucket is required when cartola.storage=s3"), failure);
        assertTrue(failure.contains("cartola.credentials.bucket is required when cartola.storage=s3"), failure);
    }

    @Test
    void clientCredentialsNeedTheSecretAndTheTokenUrl() throws Exception {
        String failure = startFailure("fetch", Map.of("CARTOLA_STORAGE", "file", "CARTOLA_KHIPU_CLIENT_ID", "cartola-it",
                "CARTOLA_CALLBACK_URL", "https://webhook.example.test/",
                "CARTOLA_CALLBACK_SECRET", "startup-it-secret-0123456789-0123456789"));
        assertTrue(failure.contains("cartola.khipu.client-secret is required with cartola.khipu.client-id"), failure);
        assertTrue(failure.contains("cartola.khipu.token-url is required with client credentials"), failure);
    }

    @Test
    void asDeployedTheLogIsJson() throws Exception {
        // the template sets QUARKUS_LOG_CONSOLE_JSON_ENABLED=true; locally logs are text. "{}" is no HTTP request: 405, logged
        String output = startFailure("webhook", Map.of("CARTOLA_STORAGE", "file", "CARTOLA_FILE_DIR", "target/it-logs/startup/data",
                "CARTOLA_CALLBACK_SECRET", "startup-it-secret-0123456789-0123456789", "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"));
        assertTrue(output.lines().anyMatch(l -> l.startsWith("{\"timestamp\"") && l.contains("\"level\":\"WARN\"")
                && l.contains("callback rejected (405)")), output);
    }
}
