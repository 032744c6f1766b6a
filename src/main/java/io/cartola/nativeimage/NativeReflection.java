package io.cartola.nativeimage;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import io.quarkus.amazon.lambda.runtime.FunctionError;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson binds in the native executable that nothing else registers: Lambda's error document
 * (without it a failed invocation, such as bad fetch input, never answers in native: "No serializer
 * found for class FunctionError") and the Function URL event and response with their nested classes.
 */
@RegisterForReflection(targets = {
        FunctionError.class,
        APIGatewayV2HTTPEvent.class,
        APIGatewayV2HTTPEvent.RequestContext.class,
        APIGatewayV2HTTPEvent.RequestContext.Http.class,
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.class,
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.class,
        APIGatewayV2HTTPEvent.RequestContext.IAM.class,
        APIGatewayV2HTTPEvent.RequestContext.CognitoIdentity.class,
        APIGatewayV2HTTPResponse.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
