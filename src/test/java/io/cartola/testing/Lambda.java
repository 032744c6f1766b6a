package io.cartola.testing;

import static io.restassured.RestAssured.given;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.response.Response;

/** Invokes the exported function through Quarkus's mock Lambda event server, as the Lambda service does. */
public final class Lambda {

    private Lambda() {
    }

    public static Response invoke(String event) {
        int port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
        return given().baseUri("http://localhost:" + port).contentType("application/json").body(event)
                .when().post("/_lambda_");
    }
}
