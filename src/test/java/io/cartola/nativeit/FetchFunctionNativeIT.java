package io.cartola.nativeit;

import io.cartola.function.FetchFunctionTest;
import io.cartola.testing.FetchProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The fetch tests against the native executable (QUARKUS_FUNQY_EXPORT=fetch), through the mock Lambda event server. */
@QuarkusIntegrationTest
@TestProfile(FetchProfile.class)
class FetchFunctionNativeIT extends FetchFunctionTest {
}
