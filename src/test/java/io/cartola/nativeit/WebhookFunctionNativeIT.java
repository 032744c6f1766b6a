package io.cartola.nativeit;

import io.cartola.function.WebhookFunctionTest;
import io.cartola.testing.WebhookProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The webhook tests against the native executable (QUARKUS_FUNQY_EXPORT=webhook), with Function URL events. */
@QuarkusIntegrationTest
@TestProfile(WebhookProfile.class)
class WebhookFunctionNativeIT extends WebhookFunctionTest {
}
