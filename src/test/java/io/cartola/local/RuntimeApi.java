package io.cartola.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The AWS Lambda Runtime API served locally for one function: the function process polls
 * {@code /2018-06-01/runtime/invocation/next} (the address is its {@code AWS_LAMBDA_RUNTIME_API}),
 * exactly as it does inside Lambda; {@link #invoke} queues an event and completes with the answer.
 */
public final class RuntimeApi implements AutoCloseable {

    static {
        // small request/response exchanges on loopback: without TCP_NODELAY, Nagle's algorithm and delayed
        // ACKs stall each one about 40 ms (read once, when the JDK's HTTP server is first used)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    static final String BASE = "/2018-06-01/runtime/";

    /** The function's answer: its response document, or its error document when {@code error}. */
    public record Result(boolean error, String body) {
    }

    private record Invocation(String id, byte[] event, CompletableFuture<Result> result) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final String functionName;

    public RuntimeApi(String functionName) throws IOException {
        this.functionName = functionName;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api-" + functionName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** host:port, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public CompletableFuture<Result> invoke(String event) {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event.getBytes(StandardCharsets.UTF_8),
                new CompletableFuture<>());
        queue.add(invocation);
        return invocation.result();
    }

    /** Completes if the function reports that it could not start. */
    public CompletableFuture<String> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(BASE.length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
                Invocation next = take();
                if (next == null) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                pending.put(next.id(), next);
                var headers = exchange.getResponseHeaders();
                headers.add("Lambda-Runtime-Aws-Request-Id", next.id());
                headers.add("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + 900_000));
                headers.add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:000000000000:function:cartola-" + functionName);
                headers.add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                headers.add("Content-Type", "application/json");
                send(exchange, 200, next.event());
            } else if (path.equals("init/error")) {
                initError.complete(new String(body, StandardCharsets.UTF_8));
                send(exchange, 202, "{}".getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
                Invocation done = pending.remove(id);
                if (done == null) {
                    send(exchange, 400, "{\"errorMessage\":\"unknown request id\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                done.result().complete(new Result(path.endsWith("/error"), new String(body, StandardCharsets.UTF_8)));
                send(exchange, 202, "{}".getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 404, new byte[0]);
            }
        }
    }

    private Invocation take() {
        try {
            // a long poll, as in Lambda; wakes up now and then so that close() is not held up
            Invocation next = null;
            while (next == null && !threads.isShutdown()) {
                next = queue.poll(1, TimeUnit.SECONDS);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Answers with {@code body}; no body at all when it is empty. Shared with {@link FunctionUrl}. */
    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
        server.stop(0);
    }
}
