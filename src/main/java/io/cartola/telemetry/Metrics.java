package io.cartola.telemetry;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cartola.config.CartolaConfig;

/**
 * CloudWatch Embedded Metric Format: one JSON document per line on standard output, which Lambda
 * sends to CloudWatch Logs, where CloudWatch turns it into metrics (no API call, no extra latency).
 * Written straight to stdout, not through the logger: a JSON log line would wrap the document in
 * its "message" field, and CloudWatch would no longer see it.
 */
@ApplicationScoped
public class Metrics {

    /** The one dimension: which bank's accounts, so several institutions can share a namespace. */
    public static final String DIMENSION = "Institution";

    private final ObjectMapper mapper;
    private final Clock clock;
    private final String namespace;
    private final String institution;
    private final boolean enabled;
    private final PrintStream out;

    @jakarta.inject.Inject
    public Metrics(ObjectMapper mapper, Clock clock, CartolaConfig config) {
        this(mapper, clock, config.metrics().namespace(), config.khipu().institution(), config.metrics().enabled(), System.out);
    }

    Metrics(ObjectMapper mapper, Clock clock, String namespace, String institution, boolean enabled, PrintStream out) {
        this.mapper = mapper;
        this.clock = clock;
        this.namespace = namespace;
        this.institution = institution;
        this.enabled = enabled;
        this.out = out;
    }

    /** Emits the values (counts, unless the name ends in {@code Hours}) as one document. */
    public void emit(Map<String, ? extends Number> values) {
        if (enabled && !values.isEmpty()) {
            String line = document(values);
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
    }

    String document(Map<String, ? extends Number> values) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add(DIMENSION);
        ArrayNode metrics = directive.putArray("Metrics");
        root.put(DIMENSION, institution);
        values.forEach((name, value) -> {
            metrics.addObject().put("Name", name).put("Unit", name.endsWith("Hours") ? "None" : "Count");
            if (value instanceof Integer || value instanceof Long) {
                root.put(name, value.longValue());
            } else {
                root.put(name, value.doubleValue());
            }
        });
        return root.toString();
    }
}
