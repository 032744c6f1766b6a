package io.cartola.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.cartola.callback.CallbackToken;
import io.cartola.testing.Accounts;
import io.cartola.testing.Envelopes;
import io.cartola.testing.FunctionUrlEvent;
import io.cartola.testing.Lambda;
import io.cartola.testing.S3Objects;
import io.cartola.testing.Tokens;
import io.cartola.testing.WebhookProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * 10,000+ hostile requests to the webhook, as Function URL events through the mock Lambda event
 * server: mutated envelopes, wrong types, huge strings and arrays, deep nesting, invalid UTF-8, bad
 * base64, forged, replayed and expired tokens, wrong methods. Each must get a 4xx whose message names
 * the problem, and nothing may be stored. Seeded: -Dfuzz.seed=N replays a run; the seed is printed.
 */
@QuarkusTest
@TestProfile(WebhookProfile.class)
class WebhookFuzzTest {

    static final int CASES = Integer.getInteger("fuzz.cases", 10_000);

    final CallbackToken tokens = Tokens.signer();
    final S3Objects s3 = new S3Objects();

    /** One generated request and the words one of which its answer's message must contain. */
    record Case(String kind, String event, int expectedStatus, List<String> mentions) {
    }

    @Test
    void hostileInputNeverGets5xxOrStoresAnything() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        String account = Accounts.fresh();
        // a token already consumed by a genuine callback, for the replays
        String used = Tokens.requested(account);
        JsonPath first = Lambda.invoke(FunctionUrlEvent.post(used, Envelopes.ok("op-genuine", Envelopes.transactions(2, "g"))))
                .then().statusCode(200).extract().jsonPath();
        assertEquals(200, first.getInt("statusCode"));
        List<String> before = s3.keys("");

        List<Supplier<Case>> generators = generators(random, account, used);
        for (int i = 0; i < CASES; i++) {
            Case c = generators.get(random.nextInt(generators.size())).get();
            JsonPath answer;
            try {
                answer = Lambda.invoke(c.event()).then().extract().jsonPath();
            } catch (RuntimeException e) {
                fail("case " + i + " (" + c.kind() + "), seed " + seed + ": the function failed: " + e);
                return;
            }
            int status = answer.getInt("statusCode");
            String message = answer.getString("body");
            String where = "case " + i + " (" + c.kind() + "), seed " + seed + " (-Dfuzz.seed=" + seed + "): HTTP " + status + " " + message;
            assertTrue(status >= 400 && status < 500, where);
            if (c.expectedStatus() > 0) {
                assertEquals(c.expectedStatus(), status, where);
            }
            assertTrue(c.mentions().stream().anyMatch(message::contains), where + " should mention one of " + c.mentions());
        }
        assertEquals(before, s3.keys(""), "seed " + seed + ": a hostile request stored something");
        System.out.println("webhook fuzz: " + CASES + " cases, seed " + seed + ", all 4xx, nothing stored");
    }

    List<Supplier<Case>> generators(Random r, String account, String used) {
        List<String> fields = List.of("OperationId", "Status", "Data", "Transaction", "Amount", "BookingDateTime",
                "ValueDateTime", "body", "ChargeAmount", "Balance", "CurrencyExchange", "Error", "AdditionalInformation",
                "StatementReference", "TransactionId", "LifeSpan");
        List<Supplier<Case>> g = new ArrayList<>();
        // syntax: a valid envelope with a byte deleted, changed, or the text cut short; kept only if it is no longer JSON
        g.add(() -> {
            String valid = envelope(r);
            String broken;
            do {
                int at = r.nextInt(valid.length());
                broken = switch (r.nextInt(3)) {
                    case 0 -> valid.substring(0, at);
                    case 1 -> valid.substring(0, at) + valid.substring(at + 1);
                    default -> valid.substring(0, at) + "{[\",:}]".charAt(r.nextInt(7)) + valid.substring(at);
                };
            } while (isJson(broken) || broken.isEmpty());
            return new Case("syntax", post(account, broken), 400, List.of("not valid JSON", "body: empty", "expected", "wrong type", "invalid"));
        });
        // wrong types where the envelope has structure
        g.add(() -> {
            String[][] swaps = {
                    { "\"Status\":\"OK\"", "\"Status\":" + pick(r, "1", "true", "[]", "{}", "null", "\"ok\"") },
                    { "\"OperationId\":\"", "\"OperationId\":" + pick(r, "[\"", "{\"a\":\"") },
                    { "\"Data\":{", "\"Data\":" + pick(r, "[{", "7,\"x\":{") },
                    { "\"Transaction\":[", "\"Transaction\":" + pick(r, "\"s\",\"y\":[", "7,\"y\":[") },
                    { "\"Amount\":{\"Amount\":\"", "\"Amount\":{\"Amount\":" + pick(r, "[\"", "{\"v\":\"", "true,\"w\":\"") },
                    { "\"BookingDateTime\":\"", "\"BookingDateTime\":\"x" + r.nextInt(1000) },
                    { "\"ValueDateTime\":\"", "\"ValueDateTime\":" + pick(r, "1,\"v\":\"", "[\"") } };
            String[] swap = swaps[r.nextInt(swaps.length)];
            String valid = Envelopes.ok("op-" + r.nextInt(1_000_000), Envelopes.transactions(1 + r.nextInt(3), "t" + r.nextInt(1000) + "-"));
            String body = valid.replaceFirst(java.util.regex.Pattern.quote(swap[0]), java.util.regex.Matcher.quoteReplacement(swap[1]));
            if (body.equals(valid)) {
                throw new IllegalStateException("the mutation " + swap[0] + " did not apply");
            }
            return new Case("type", post(account, body), 400, fields);
        });
        // a huge OperationId or a huge number, and huge arrays of nothing
        g.add(() -> {
            String body = switch (r.nextInt(3)) {
                case 0 -> "{\"OperationId\":\"" + "x".repeat(37 + r.nextInt(200_000)) + "\",\"Status\":\"OK\"}";
                case 1 -> Envelopes.ok("op", Envelopes.transaction("t", "9".repeat(14 + r.nextInt(2000)), "huge"));
                default -> "{\"OperationId\":\"op\",\"Status\":\"OK\",\"Data\":{\"Transaction\":[" + "null,".repeat(r.nextInt(50_000)) + "null]}}";
            };
            return new Case("huge", post(account, body), 400, List.of("OperationId", "Amount", "Data.Transaction", "body"));
        });
        // deep nesting
        g.add(() -> {
            int depth = 1_001 + r.nextInt(20_000);
            String body = "{\"OperationId\":\"op\",\"Status\":\"OK\",\"LifeSpan\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            return new Case("nesting", post(account, body), 400, List.of("nesting depth", "not valid JSON"));
        });
        // invalid UTF-8 (what a Function URL passes base64-encoded)
        g.add(() -> {
            byte[] valid = envelope(r).getBytes(StandardCharsets.UTF_8);
            int at = valid.length / 3 + r.nextInt(valid.length / 3);
            valid[at] = (byte) (0x80 + r.nextInt(0x7f));
            if (r.nextBoolean() && at + 1 < valid.length) {
                valid[at] = (byte) 0xC3;
                valid[at + 1] = (byte) 0x28;
            }
            return new Case("utf8", FunctionUrlEvent.postBase64(token(account), valid), 400,
                    List.of("UTF-8", "not valid JSON", "expected", "wrong type", "invalid value", "OperationId", "Status"));
        });
        // bad base64
        g.add(() -> new Case("base64", FunctionUrlEvent.of("POST", token(account),
                pick(r, "%%%", "abc$", "====", "YW=Jj", "\u00e9t\u00e9") + Base64.getEncoder().encodeToString(envelope(r).getBytes()), true),
                400, List.of("base64")));
        // tokens: forged, replayed for another operation, expired, missing, malformed, wrong key
        g.add(() -> {
            String good = token(account);
            String body = envelope(r);
            return switch (r.nextInt(6)) {
                case 0 -> {
                    char[] t = good.toCharArray();
                    int at = r.nextInt(t.length);
                    t[at] = t[at] == 'A' ? 'B' : 'A';
                    yield new Case("forged", FunctionUrlEvent.post(new String(t), body), 401, List.of("signature invalid", "malformed"));
                }
                case 1 -> new Case("replayed", FunctionUrlEvent.post(used, Envelopes.ok("op-replay-" + r.nextInt(1_000_000), Envelopes.transactions(1, "r"))),
                        401, List.of("already used"));
                case 2 -> new Case("expired", FunctionUrlEvent.post(tokens.issue(tokens.newRequestId(), "000011887755", Instant.now().minus(Duration.ofHours(25 + r.nextInt(1000)))), body), 401, List.of("expired"));
                case 3 -> new Case("missing", FunctionUrlEvent.post(null, body), 401, List.of("missing"));
                case 4 -> new Case("malformed", FunctionUrlEvent.post(pick(r, "x", "a.b.c.d", good + "x", good.replace('.', '-'), "..."), body), 401,
                        List.of("malformed"));
                default -> new Case("other key", FunctionUrlEvent.post(new CallbackToken("another-key-of-at-least-32-characters!!", Duration.ofHours(1),
                        java.time.Clock.systemUTC()).issue(tokens.newRequestId(), "000011887755", Instant.now()), body), 401, List.of("signature invalid"));
            };
        });
        // methods other than POST
        g.add(() -> new Case("method", FunctionUrlEvent.of(pick(r, "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "post"),
                token(account), envelope(r), false), 405, List.of("method")));
        // over the size limit (rarely: they are big)
        g.add(() -> r.nextInt(20) == 0
                ? new Case("oversized", post(account, Envelopes.ok("op", Envelopes.transaction("t", "1", "x".repeat(6_300_000)))), 413, List.of("limit"))
                : new Case("empty", post(account, pick(r, "", "   ", "null", "{}", "[]", "\"\"", "0")), 400,
                        List.of("body", "OperationId", "expected")));
        return g;
    }

    String envelope(Random r) {
        int n = r.nextInt(4);
        return Envelopes.ok("op-" + r.nextInt(1_000_000), Envelopes.transactions(n, "f" + r.nextInt(1000) + "-"));
    }

    /** A genuine token; its request is never looked up, since every body sent with it is refused first. */
    String token(String account) {
        return tokens.issue(tokens.newRequestId(), "000011887755", Instant.now());
    }

    /** A request with a genuine token for {@code account}: only the body is hostile. */
    String post(String account, String body) {
        return FunctionUrlEvent.post(token(account), body);
    }

    static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    static boolean isJson(String text) {
        try {
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
