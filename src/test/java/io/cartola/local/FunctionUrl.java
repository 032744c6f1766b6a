package io.cartola.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Lambda Function URL on loopback: turns each HTTP request into a payload-format-2.0 event for the
 * function behind a {@link RuntimeApi} and its answer back into the HTTP response, as AWS does
 * (lower-case headers, base64 for bodies that are not text, 502 when the function fails).
 */
public final class FunctionUrl implements AutoCloseable {

    static {
        // small request/response exchanges on loopback: without TCP_NODELAY, Nagle's algorithm and delayed
        // ACKs stall each one about 40 ms (read once, when the JDK's HTTP server is first used)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads;
    private final RuntimeApi function;

    public FunctionUrl(RuntimeApi function) throws IOException {
        this.function = function;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        this.threads = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "function-url");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The public URL the webhook would have in AWS, here on loopback. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            RuntimeApi.Result result;
            try {
                result = function.invoke(event(exchange, body)).get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                send(exchange, 504, Map.of(), "{\"message\":\"Function timed out\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (result.error()) {
                send(exchange, 502, Map.of(), "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            JsonNode response = JSON.readTree(result.body());
            int status = response.path("statusCode").asInt(200);
            Map<String, String> headers = response.path("headers").isObject()
                    ? JSON.convertValue(response.get("headers"), JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class))
                    : Map.of();
            String text = response.path("body").isTextual() ? response.get("body").asText() : "";
            byte[] out = response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(text)
                    : text.getBytes(StandardCharsets.UTF_8);
            send(exchange, status, headers, out);
        }
    }

    private static String event(HttpExchange exchange, byte[] body) throws IOException {
        ObjectNode event = JSON.createObjectNode();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String path = exchange.getRequestURI().getRawPath();
        String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
        event.put("version", "2.0").put("routeKey", "$default").put("rawPath", path)
                .put("rawQueryString", rawQuery == null ? "" : rawQuery);
        ObjectNode headers = event.putObject("headers");
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
        headers.put("x-forwarded-proto", "http").put("x-forwarded-for", "127.0.0.1");
        if (rawQuery != null && !rawQuery.isEmpty()) {
            ObjectNode params = event.putObject("queryStringParameters");
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.put(name, params.has(name) ? params.get(name).asText() + "," + value : value);
            }
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "anonymous").put("apiId", "local").put("domainName", "127.0.0.1")
                .put("domainPrefix", "local").put("requestId", UUID.randomUUID().toString())
                .put("routeKey", "$default").put("stage", "$default").put("timeEpoch", Instant.now().toEpochMilli());
        context.putObject("http").put("method", exchange.getRequestMethod()).put("path", path)
                .put("protocol", exchange.getProtocol()).put("sourceIp", "127.0.0.1")
                .put("userAgent", userAgent == null ? "" : userAgent);
        String text = utf8(body);
        if (body.length == 0) {
            event.putNull("body");
            event.put("isBase64Encoded", false);
        } else if (text != null && textual(headers.path("content-type").asText(""))) {
            event.put("body", text).put("isBase64Encoded", false);
        } else {
            event.put("body", Base64.getEncoder().encodeToString(body)).put("isBase64Encoded", true);
        }
        return JSON.writeValueAsString(event);
    }

    private static boolean textual(String contentType) {
        String type = contentType.toLowerCase();
        return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript");
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        RuntimeApi.send(exchange, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
