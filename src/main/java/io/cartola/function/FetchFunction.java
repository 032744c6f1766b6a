package io.cartola.function;

import jakarta.inject.Inject;

import io.cartola.fetch.FetchInput;
import io.cartola.fetch.FetchResult;
import io.cartola.fetch.FetchRun;
import io.quarkus.funqy.Funq;

/**
 * Lambda entry point run by the EventBridge schedule or invoked directly. The event is the
 * {@link FetchInput} document (the schedule's {@code Input}); an empty event fetches the configured
 * accounts asynchronously. Bad input fails the invocation with a message naming the field.
 */
public class FetchFunction {

    @Inject
    FetchRun fetch;

    @Funq("fetch")
    public FetchResult fetch(FetchInput input) {
        return fetch.fetch(input);
    }
}
