package io.cartola.function;

import java.util.Map;

import jakarta.inject.Inject;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.cartola.callback.CallbackService;
import io.cartola.callback.CallbackService.Callback;
import io.cartola.callback.CallbackService.Reply;
import io.quarkus.funqy.Funq;

/**
 * Lambda entry point behind the Function URL that Khipu calls back: translates the Function URL
 * event (payload format 2.0) into a {@link Callback} and the reply into the HTTP response.
 */
public class WebhookFunction {

    static final String TOKEN_PARAMETER = "t";

    @Inject
    CallbackService callbacks;

    @Funq("webhook")
    public APIGatewayV2HTTPResponse webhook(APIGatewayV2HTTPEvent event) {
        Reply reply = callbacks.handle(new Callback(method(event), token(event), event.getBody(), event.getIsBase64Encoded()));
        String json = "{\"status\":" + reply.status() + ",\"message\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(reply.message())) + "\"}";
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(reply.status())
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(json)
                .build();
    }

    private static String method(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        return context == null || context.getHttp() == null ? null : context.getHttp().getMethod();
    }

    private static String token(APIGatewayV2HTTPEvent event) {
        Map<String, String> query = event.getQueryStringParameters();
        if (query != null && query.get(TOKEN_PARAMETER) != null) {
            return query.get(TOKEN_PARAMETER);
        }
        String raw = event.getRawQueryString();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (pair.startsWith(TOKEN_PARAMETER + "=")) {
                    return java.net.URLDecoder.decode(pair.substring(2), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }
}
