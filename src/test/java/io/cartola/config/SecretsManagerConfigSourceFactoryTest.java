package io.cartola.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The shapes Khipu's secret may take. */
class SecretsManagerConfigSourceFactoryTest {

    @Test
    void aPlainStringIsAnApiKey() {
        assertEquals(Map.of("cartola.khipu.api-key", "abc123"), SecretsManagerConfigSourceFactory.khipu("  abc123\n"));
    }

    @Test
    void jsonNamesTheKind() {
        assertEquals(Map.of("cartola.khipu.bearer-token", "eyJ.x.y"),
                SecretsManagerConfigSourceFactory.khipu("{\"bearer-token\":\"eyJ.x.y\"}"));
        assertEquals(Map.of("cartola.khipu.api-key", "k"), SecretsManagerConfigSourceFactory.khipu("{\"api-key\":\"k\"}"));
        assertEquals(Map.of("cartola.khipu.client-id", "id-1", "cartola.khipu.client-secret", "s3cr3t"),
                SecretsManagerConfigSourceFactory.khipu("{\"client-id\":\"id-1\",\"client-secret\":\"s3cr3t\"}"));
    }

    @Test
    void theGeneratedPlaceholderProvidesNothingSoStartUpSaysTheKeyIsMissing() {
        assertTrue(SecretsManagerConfigSourceFactory.khipu("{\"placeholder\":\"Xy7\"}").isEmpty());
    }

    @Test
    void brokenJsonIsReportedWithoutItsContent() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SecretsManagerConfigSourceFactory.khipu("{\"api-key\": \"sec"));
        assertTrue(e.getMessage().contains("cartola.khipu.secret-arn"));
        assertTrue(!e.getMessage().contains("sec\""));
    }
}
