package io.cartola.function;

import java.util.Map;

import jakarta.inject.Inject;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cartola.callback.CallbackService;
import io.cartola.callback.CallbackService.Callback;
import io.cartola.callback.CallbackService.Reply;
import io.quarkus.funqy.Funq;

/**
 * Lambda entry point behind the Function URL that Khipu calls back: translates the Function URL
 * event (payload format 2.0) into a {@link Callback} and the reply into the HTTP response, whose
 * body is the reply as JSON ({@code {"status":200,"message":"stored 3 transactions of ..."}}).
 */
public class WebhookFunction {

    static final String TOKEN_PARAMETER = "t";

    @Inject
    CallbackService callbacks;

    @Inject
    ObjectMapper json;

    @Funq("webhook")
    public APIGatewayV2HTTPResponse webhook(APIGatewayV2HTTPEvent event) throws JsonProcessingException {
        Reply reply = callbacks.handle(new Callback(method(event), token(event), event.getBody(), event.getIsBase64Encoded()));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(reply.status())
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(json.writeValueAsString(reply))
                .build();
    }

    private static String method(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        return context == null || context.getHttp() == null ? null : context.getHttp().getMethod();
    }

    /** Lambda decodes the query string into {@code queryStringParameters} (absent without one). */
    private static String token(APIGatewayV2HTTPEvent event) {
        Map<String, String> query = event.getQueryStringParameters();
        return query == null ? null : query.get(TOKEN_PARAMETER);
    }
}
