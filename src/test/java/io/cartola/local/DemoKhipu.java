package io.cartola.local;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A stand-in for Khipu's transactions endpoint (WireMock) that answers as the documentation says:
 * 401 without credentials, 400 for a bad body, 200 with the day's transactions for a synchronous
 * request, and for an asynchronous one 202 and then, a moment later, a POST of the result to the
 * CallbackUrl. Every call returns the whole day so far, so consecutive runs overlap.
 */
public final class DemoKhipu implements AutoCloseable {

    static final String PATH = "/v1/cl/banking/personal/btgpactual.cl/transactions";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A callback Khipu delivered, and what the webhook answered. */
    public record Delivery(String operationId, int status, String body) {
    }

    private final WireMockServer server;
    private final ScheduledExecutorService callbacks = Executors.newScheduledThreadPool(4, r -> {
        Thread t = new Thread(r, "khipu-callbacks");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final java.util.Set<String> withholdOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Runnable> withheld = new ArrayList<>();
    private final Duration callbackDelay;
    private final Duration answerDelay;
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> asked = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean reverseLater;
    private final java.util.Set<String> gapIn = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {@code callbackDelay} null: accept asynchronous requests without ever calling back. */
    public DemoKhipu(Duration callbackDelay, Duration answerDelay) {
        this.callbackDelay = callbackDelay;
        this.answerDelay = answerDelay;
        this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(256).asynchronousResponseEnabled(true).asynchronousResponseThreads(64)
                .extensions(new Answer()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withTransformers(Answer.NAME)));
    }

    public DemoKhipu() {
        this(Duration.ofMillis(300), Duration.ZERO);
    }

    /** The next asynchronous request for {@code account} is accepted, but its callback is held back (a lost callback). */
    public void withholdNextCallback(String account) {
        withholdOnce.add(account);
    }

    /** From each account's second answer on, the day's last movement is gone, as a reversed transfer is. */
    public void reverseLastMovementOnLaterAnswers() {
        reverseLater = true;
    }

    /**
     * The bank books a debit for {@code account} that its answers never list (a commission of 15000 between the
     * first and the second movement): the running balances show it, so cartola finds a gap of -15000.
     */
    public void leaveGapIn(String account) {
        gapIn.add(account);
    }

    /** Delivers the callbacks held back so far, late; returns how many. */
    public int releaseWithheld() {
        List<Runnable> late;
        synchronized (withheld) {
            late = List.copyOf(withheld);
            withheld.clear();
        }
        late.forEach(callbacks::execute);
        return late.size();
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** How many requests asked for one of the {@code count} accounts numbered from {@code first} (as %012d). */
    public int requestCount(long first, int count) {
        int asked = 0;
        for (ServeEvent e : server.getAllServeEvents()) {
            try {
                long account = Long.parseLong(JSON.readTree(e.getRequest().getBodyAsString()).at("/RequestData/AccountNumber").asText("-1"));
                asked += account >= first && account < first + count ? 1 : 0;
            } catch (Exception ignored) {
                // not a transactions request
            }
        }
        return asked;
    }

    /** Waits until {@code count} callbacks were delivered (answered by the webhook), or the timeout. */
    public List<Delivery> awaitDeliveries(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (deliveries) {
            while (deliveries.size() < count && System.nanoTime() < deadline) {
                deliveries.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            return List.copyOf(deliveries);
        }
    }

    /** The day's transactions of an account as Khipu would return them. */
    public static String envelope(String operationId, String account, LocalDate day) {
        return envelope(operationId, account, day, false);
    }

    static String envelope(String operationId, String account, LocalDate day, boolean reversed) {
        return envelope(operationId, account, day, reversed, false);
    }

    /** Each movement carries the bank's running balance after it (InterimBooked), from an opening of 2,000,000. */
    static String envelope(String operationId, String account, LocalDate day, boolean reversed, boolean gap) {
        StringBuilder transactions = new StringBuilder();
        java.math.BigDecimal balance = new java.math.BigDecimal("2000000");
        String[][] movements = {
                { "Credit", "1250000", "Remuneracion " + day.getMonth() },
                { "Debit", "35990.50", "Compra supermercado" },
                { "Debit", "120000", "Transferencia a tercero" } };
        for (int i = 0; i < movements.length - (reversed ? 1 : 0); i++) {
            String id = day.toString().replace("-", "") + "-" + account.substring(Math.max(0, account.length() - 4)) + "-" + (i + 1);
            if (i > 0) {
                transactions.append(',');
            }
            java.math.BigDecimal amount = new java.math.BigDecimal(movements[i][1]);
            balance = balance.add("Debit".equals(movements[i][0]) ? amount.negate() : amount)
                    .subtract(gap && i == 1 ? new java.math.BigDecimal("15000") : java.math.BigDecimal.ZERO);
            transactions.append("""
                    {"AccountId":"%s","Amount":{"Amount":"%s","Currency":"CLP"},"CreditDebitIndicator":"%s",\
                    "Balance":{"CreditDebitIndicator":"Credit","Type":"InterimBooked","Amount":{"Amount":"%s","Currency":"CLP"}},\
                    "BookingDateTime":"%sT09:%02d:00-0300","ValueDateTime":"%sT09:%02d:00-0300",\
                    "BankTransactionCode":{"Code":"TEF","SubCode":null},"Status":"Booked","TransactionId":"%s",\
                    "TransactionInformation":"%s","TransactionMutability":"Immutable","StatementReference":[],\
                    "SupplementaryData":[]}""".formatted(account.substring(Math.max(0, account.length() - 4)),
                    movements[i][1], movements[i][0], balance.toPlainString(), day, 10 + i, day, 10 + i, id, movements[i][2]));
        }
        return "{\"OperationId\":\"" + operationId + "\",\"Status\":\"OK\",\"Data\":{\"Transaction\":[" + transactions
                + "]},\"AdditionalInformation\":null,\"Error\":null,\"LifeSpan\":null}";
    }

    private ResponseDefinition answer(ServeEvent event) {
        var request = event.getRequest();
        if (!request.getUrl().startsWith(PATH) || !"POST".equals(request.getMethod().getName())) {
            return json(404, "{\"message\":\"Not Found\"}");
        }
        boolean apiKey = request.containsHeader("x-api-key");
        boolean bearer = request.containsHeader("Authorization");
        if (apiKey == bearer) {
            return json(401, "{\"message\":\"Unauthorized\"}");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody());
        } catch (Exception e) {
            return json(400, "{\"message\":\"Malformed payload\"}");
        }
        String account = body.at("/RequestData/AccountNumber").asText("");
        JsonNode callbackUrl = body.get("CallbackUrl");
        if (account.isEmpty() || account.length() > 20 || (callbackUrl != null && callbackUrl.asText().length() > 255)) {
            return json(400, "{\"message\":\"Invalid parameters\"}");
        }
        String operationId = UUID.randomUUID().toString();
        int answer = asked.computeIfAbsent(account, a -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        String envelope = envelope(operationId, account, LocalDate.now(ZoneId.of("America/Santiago")), reverseLater && answer > 1,
                gapIn.contains(account));
        if (callbackUrl == null) {
            return json(200, envelope);
        }
        String url = callbackUrl.asText();
        if (callbackDelay == null) {
            return json(202, "{\"OperationId\":\"" + operationId + "\"}");
        }
        if (withholdOnce.remove(account)) {
            synchronized (withheld) {
                withheld.add(() -> deliver(url, operationId, envelope));
            }
        } else {
            callbacks.schedule(() -> deliver(url, operationId, envelope), callbackDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return json(202, "{\"OperationId\":\"" + operationId + "\",\"Status\":\"OK\",\"Data\":null,"
                + "\"AdditionalInformation\":null,\"Error\":null,\"LifeSpan\":null}");
    }

    private void deliver(String url, String operationId, String envelope) {
        Delivery delivery;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
            delivery = new Delivery(operationId, response.statusCode(), response.body());
        } catch (Exception e) {
            delivery = new Delivery(operationId, -1, e.toString());
        }
        synchronized (deliveries) {
            deliveries.add(delivery);
            deliveries.notifyAll();
        }
    }

    private ResponseDefinition json(int status, String body) {
        return com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)
                .withFixedDelay((int) answerDelay.toMillis()).build();
    }

    private final class Answer implements ResponseDefinitionTransformerV2 {
        static final String NAME = "khipu-answer";

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            return answer(event);
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    @Override
    public void close() {
        callbacks.shutdownNow();
        server.stop();
    }
}
