package io.cartola.config;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Reads cartola's secrets from AWS Secrets Manager when the function starts, so they never sit in
 * environment variables or templates. {@code cartola.khipu.secret-arn} names a secret holding
 * {@code {"api-key": "..."}}, {@code {"bearer-token": "..."}} or
 * {@code {"client-id": "...", "client-secret": "..."}} (a plain string is an API key);
 * {@code cartola.callback.secret-arn} names the callback signing key. Nothing happens when neither
 * is set (local runs and tests).
 */
public class SecretsManagerConfigSourceFactory implements ConfigSourceFactory {

    static final String KHIPU_ARN = "cartola.khipu.secret-arn";
    static final String CALLBACK_ARN = "cartola.callback.secret-arn";
    static final String ENDPOINT = "cartola.secrets.endpoint-override";
    // below environment variables (300), so an explicit variable still wins; above application.properties
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String khipuArn = value(context, KHIPU_ARN);
        String callbackArn = value(context, CALLBACK_ARN);
        if (khipuArn == null && callbackArn == null) {
            return List.of();
        }
        Map<String, String> properties = new HashMap<>();
        try (SecretsManagerClient client = client(value(context, ENDPOINT))) {
            if (khipuArn != null) {
                properties.putAll(khipu(read(client, khipuArn, KHIPU_ARN)));
            }
            if (callbackArn != null) {
                properties.put("cartola.callback.secret", read(client, callbackArn, CALLBACK_ARN).trim());
            }
        }
        return List.of(new PropertiesConfigSource(properties, "aws-secrets-manager", ORDINAL));
    }

    static Map<String, String> khipu(String secret) {
        String text = secret.trim();
        if (!text.startsWith("{")) {
            return Map.of("cartola.khipu.api-key", text);
        }
        try {
            JsonNode json = new ObjectMapper().readTree(text);
            Map<String, String> out = new HashMap<>();
            for (String key : List.of("api-key", "bearer-token", "client-id", "client-secret", "token-url")) {
                if (json.hasNonNull(key)) {
                    out.put("cartola.khipu." + key, json.get(key).asText());
                }
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the secret named by " + KHIPU_ARN
                    + " is neither a plain API key nor JSON like {\"api-key\": \"...\"} or {\"client-id\": \"...\", \"client-secret\": \"...\"}");
        }
    }

    private static String read(SecretsManagerClient client, String arn, String property) {
        try {
            String value = client.getSecretValue(b -> b.secretId(arn)).secretString();
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("the secret named by " + property + " is empty");
            }
            return value;
        } catch (SdkException e) {
            throw new IllegalStateException("could not read the secret named by " + property + " (" + arn + "): "
                    + e.getMessage(), e);
        }
    }

    private static SecretsManagerClient client(String endpoint) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue();
    }
}
