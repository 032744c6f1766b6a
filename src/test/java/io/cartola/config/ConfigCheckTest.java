package io.cartola.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;

/** What start-up refuses, naming the setting. */
class ConfigCheckTest {

    static CartolaConfig config(String timeout) {
        Map<String, String> values = new HashMap<>(Map.of("cartola.callback.secret", "x".repeat(32), "cartola.khipu.api-key", "k",
                "cartola.callback.url", "https://webhook.example.test/"));
        values.put("cartola.fetch.timeout", timeout);
        return new SmallRyeConfigBuilder().withMapping(CartolaConfig.class).withDefaultValues(values).build()
                .getConfigMapping(CartolaConfig.class);
    }

    @Test
    void aWorkerTimeoutTooShortForOneAccountIsRefused() {
        List<String> problems = ConfigCheck.problems(config("PT120S"), "fetch-worker");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("cartola.fetch.timeout (the template's WorkerTimeout) must be at least 300 s"),
                problems.get(0));
        assertEquals(List.of(), ConfigCheck.problems(config("PT300S"), "fetch-worker"));
        assertEquals(List.of(), ConfigCheck.problems(config("PT120S"), "fetch"), "in-process fetch reports what it could not reach");
    }
}
