package io.cartola.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A Lambda Function URL event (payload format 2.0), shaped like the example in AWS's documentation:
 * lower-case headers, {@code rawQueryString} and {@code queryStringParameters}, {@code isBase64Encoded}.
 */
public final class FunctionUrlEvent {

    private FunctionUrlEvent() {
    }

    public static String post(String token, String body) {
        return of("POST", token, body, false);
    }

    public static String postBase64(String token, byte[] body) {
        return of("POST", token, Base64.getEncoder().encodeToString(body), true);
    }

    public static String of(String method, String token, String body, boolean base64) {
        String query = token == null ? "" : "t=" + token;
        String params = token == null ? "" : "\"queryStringParameters\":{\"t\":" + quote(token) + "},";
        int length = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length * (base64 ? 3 : 4) / 4;
        return """
                {"version":"2.0","routeKey":"$default","rawPath":"/","rawQueryString":%s,\
                "headers":{"content-type":"application/json","content-length":"%d","host":"abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws",\
                "user-agent":"Khipu-Callback/1.0","x-amzn-trace-id":"Root=1-5eb33c07-de25b420cd1f4e9a44a7bd0a",\
                "x-forwarded-for":"203.0.113.10","x-forwarded-port":"443","x-forwarded-proto":"https"},%s\
                "requestContext":{"accountId":"anonymous","apiId":"abcdefghijklmnopqrstuvwxyz012345",\
                "domainName":"abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws","domainPrefix":"abcdefghijklmnopqrstuvwxyz012345",\
                "http":{"method":%s,"path":"/","protocol":"HTTP/1.1","sourceIp":"203.0.113.10","userAgent":"Khipu-Callback/1.0"},\
                "requestId":"8a1b5c0e-3f4d-4b2a-9c6e-1d2f3a4b5c6d","routeKey":"$default","stage":"$default",\
                "time":"24/Nov/2026:09:30:00 +0000","timeEpoch":1795512600000},\
                "body":%s,"isBase64Encoded":%s}"""
                .formatted(quote(query), length, params, quote(method), body == null ? "null" : quote(body), base64);
    }

    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
